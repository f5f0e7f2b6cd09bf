import fc from 'fast-check';
import type { Case, RunResult } from '../models/world.js';
import { checkCase } from './check-case.js';
import { coverageOf, CoverageTally, type CoverageStats } from './coverage.js';
import { minimizeCase } from './minimize.js';
import { buildProperty, type PropertySettings } from './property.js';
import type { Violation } from './violation.js';

export type SearchOutcome =
  | { readonly verdict: 'holds'; readonly runs: number; readonly coverage: CoverageStats }
  | {
      readonly verdict: 'violated';
      readonly runs: number;
      /** 1-based index of the first failing run. */
      readonly failingRun: number;
      readonly case: Case;
      readonly violation: Violation;
      readonly result: RunResult;
      readonly shrinks: number;
      readonly minimizeAttempts: number;
      /** False when the shrink budget ran out: the case violates the property, but may not be
       * 1-minimal. */
      readonly shrinkComplete: boolean;
      /** What the runs up to and including the failing one reached. */
      readonly coverage: CoverageStats;
    }
  | { readonly verdict: 'error'; readonly runs: number; readonly case: Case; readonly error: unknown };

export interface SearchOptions {
  /** Called once, when the first violation is found; the function it returns says when to stop
   * shrinking (`check --max-shrink-ms`). The clock stays outside properties/: this module only
   * asks the question, so a shrink that is not stopped is deterministic. */
  readonly startShrinkBudget?: () => () => boolean;
  /** Shrink candidates fast-check may try before its shrink is cut short; the 1-minimal pass
   * still runs after it. A count, not a time, so a capped shrink is as deterministic as a whole
   * one. */
  readonly maxShrinkCandidates?: number;
}

/** Every counterexample of the built-in strategies and mutants shrinks in under 2,000 candidates
 * (measured: #6705 190, #5450 1,725, the rmw race 464); a multi-client case can make fast-check's
 * depth-first shrink try hundreds of thousands (the colliding-ids mutant at seed 2: 202,683
 * candidates, 40 s). The cap bounds that at a few seconds. */
export const MAX_SHRINK_CANDIDATES = 5_000;

/**
 * Property runs for one setting: fast-check generates and shrinks; then the counterexample's
 * tapes are replaced by the choices actually made, and a final pass makes it 1-minimal. Every
 * step keeps "this property is violated" as its predicate, so a shrink never drifts into another
 * failure. The runs before the first failure are tallied for coverage.
 */
export function search(settings: PropertySettings, runs: number, seed: number, options: SearchOptions = {}): SearchOutcome {
  // Runs are counted until the first failure: after it, fast-check is shrinking, and a shrink
  // candidate that throws must not hide the violation already found.
  let runsDone = 0;
  let violationSeen = false;
  let thrown: { case: Case; error: unknown; run: number } | null = null;
  let shouldStop: () => boolean = () => false;
  let stopped = false;
  let candidates = 0;
  let capped = false;
  const maxCandidates = options.maxShrinkCandidates ?? MAX_SHRINK_CANDIDATES;
  const tally = new CoverageTally();
  const property = buildProperty({
    ...settings,
    // Once the budget is spent, every further shrink candidate "passes": fast-check keeps the
    // last failing one.
    // The candidate cap ends fast-check's part only: the 1-minimal pass below still runs (it has
    // its own cap on tries), so a capped shrink can still end 1-minimal.
    skip: () => violationSeen && (stopped || capped || (capped = ++candidates > maxCandidates) || (stopped = shouldStop())),
    onRun: (c, violated, result) => {
      if (!violationSeen) {
        runsDone++;
        tally.add(coverageOf(result));
      }
      if (violated && !violationSeen) {
        violationSeen = true;
        if (options.startShrinkBudget !== undefined) shouldStop = options.startShrinkBudget();
      }
      settings.onRun?.(c, violated, result);
    },
    // A model or plug-in that throws is a different finding: keep the first case that threw.
    onError: (c, error) => {
      if (violationSeen) return;
      runsDone++;
      thrown ??= { case: c, error, run: runsDone };
    },
  });
  const details = fc.check(property, { numRuns: runs, seed });
  if (thrown !== null) {
    const { case: c, error, run } = thrown;
    return { verdict: 'error', runs: run, case: c, error };
  }
  const counterexample = details.counterexample?.[0];
  if (!details.failed || counterexample === undefined) return { verdict: 'holds', runs: details.numRuns, coverage: tally.stats() };

  const stop = (): boolean => stopped || (stopped = shouldStop());
  const minimal = minimalCounterexample(counterexample, settings, stop, 'search');
  return {
    verdict: 'violated',
    runs: details.numRuns,
    failingRun: details.numRuns,
    case: minimal.case,
    violation: minimal.violation,
    result: minimal.result,
    shrinks: details.numShrinks,
    minimizeAttempts: minimal.attempts,
    shrinkComplete: !stopped && minimal.complete,
    coverage: tally.stats(),
  };
}

/**
 * fast-check's shrunk counterexample made 1-minimal (properties/minimize.ts) on its canonical
 * tapes, then run once more with capture for the report. A candidate that throws counts as
 * passing (another finding). `stop` ends the 1-minimal pass early (then `complete` is false).
 */
export function minimalCounterexample(
  shrunk: Case,
  settings: Pick<PropertySettings, 'property' | 'runOptions'>,
  stop: () => boolean,
  who: string,
): { readonly case: Case; readonly violation: Violation; readonly result: RunResult; readonly attempts: number; readonly complete: boolean } {
  // The tries' hashes are never read: only the last run, captured, is reported.
  const tryOptions = { ...settings.runOptions, hashTrace: false };
  const violates = (c: Case): boolean => {
    try {
      return checkCase(c, settings.property, tryOptions).violation !== null;
    } catch {
      return false;
    }
  };
  const canonical = canonicalTapes(shrunk, settings);
  const minimal = minimizeCase(violates(canonical) ? canonical : shrunk, violates, undefined, stop);
  const finalCase = canonicalTapes(minimal.case, settings);
  const chosen = violates(finalCase) ? finalCase : minimal.case;
  const verdict = checkCase(chosen, settings.property, { ...settings.runOptions, capture: true });
  if (verdict.violation === null) throw new Error(`${who}: the minimal counterexample no longer fails; the run is not deterministic`);
  return { case: chosen, violation: verdict.violation, result: verdict.result, attempts: minimal.attempts, complete: minimal.complete };
}

/** The same case with its tapes replaced by the choices its run actually made. */
export function canonicalTapes(c: Case, settings: Pick<PropertySettings, 'property' | 'runOptions'>): Case {
  const { result } = checkCase(c, settings.property, { ...settings.runOptions, hashTrace: false });
  const actors = c.tapes.actors.map((_, i) => result.canonicalTapes.actors[i] ?? []);
  return { ...c, tapes: { actors, shared: result.canonicalTapes.shared } };
}
