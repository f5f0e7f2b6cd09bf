import { isStoreContractError } from '../models/stores/checked-store.js';
import fc from 'fast-check';
import type { Case, RunResult } from '../models/world.js';
import { caseArbitrary } from './case-arbitrary.js';
import { unrecordedRuns } from './check-case.js';
import { coverageOf, CoverageTally, type CoverageParts } from './coverage.js';
import { buildProperty, type PropertySettings } from './property.js';
import { MAX_SHRINK_CANDIDATES, minimalCounterexample, type SearchOptions } from './search.js';
import type { Violation } from './violation.js';
import { messageOf, stackOf } from '../src/error-message.js';

/**
 * `search` cut in two so its runs can be spread over threads and machines with the same answer:
 * fast-check's run i is a function of (seed, i) alone (its generator jumps once per run and each
 * run generates from a copy), and its `path` option starts at any index without generating the
 * runs before it. So a range of runs is scanned on its own, the first run that violates (or
 * throws) in the lowest range is the one a single `search` stops at, and shrinking it from its
 * index is the shrink a single `search` does (the same value, the same shrink tree, the same
 * budget counted from the same first failure).
 */

/** The first run of a range that did not pass: a violation, or a model or plug-in that threw. */
export type RangeEvent =
  | { readonly kind: 'violated'; readonly index: number }
  | { readonly kind: 'error'; readonly index: number; readonly case: Case; readonly message: string; readonly stack: string; readonly storeContract?: StoreContractBreach };

/** A plug-in store broke the contract (models/stores/checked-store.ts): plain data, it crosses threads. */
export interface StoreContractBreach {
  readonly store: string;
  readonly detail: string;
}

export interface RangeScan {
  /** 0-based run indices, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The first run that did not pass (the scan stops there), or null. */
  readonly event: RangeEvent | null;
  /** The runs scanned up to and including a violating one (a run that threw is not tallied, as
   * in `search`). */
  readonly coverage: CoverageParts;
}

/** Thrown out of the property to end fast-check's loop at a run that threw (without shrinking). */
export class StopAtError extends Error {}

/** The event of run `index`, which threw. */
export function errorEvent(index: number, c: Case, error: unknown): RangeEvent {
  return {
    kind: 'error',
    index,
    case: c,
    message: messageOf(error),
    stack: stackOf(error),
    ...(isStoreContractError(error) ? { storeContract: { store: error.store, detail: error.detail } } : {}),
  };
}

/** Runs [start, end) of `search(settings, runs >= end, seed)`, stopping at the first that fails. */
export function scanRange(settings: PropertySettings, seed: number, start: number, end: number): RangeScan {
  const tally = new CoverageTally();
  let event: RangeEvent | null = null;
  let index = start - 1;
  if (end > start) {
    const property = buildProperty({
      ...settings,
      onRun: (c, violated, result) => {
        index++;
        tally.add(coverageOf(result));
        if (violated) event = { kind: 'violated', index };
        settings.onRun?.(c, violated, result);
      },
      onError: (c, error) => {
        index++;
        event = errorEvent(index, c, error);
        throw new StopAtError();
      },
    });
    // Unrecorded: a run of a scan is rebuilt from its index (caseAtRun) if it never returns.
    unrecordedRuns(() => fc.check(property, { seed, path: String(start), numRuns: end - start, endOnFailure: true }));
  }
  return { start, end, event, coverage: tally.parts() };
}

/** The case of run `index` (0-based) of `search(settings, _, seed)`, without running it: what a
 * run that never returned was given, for its replay token. */
export function caseAtRun(settings: PropertySettings, seed: number, index: number): Case {
  let found: Case | null = null;
  fc.check(
    fc.property(caseArbitrary(settings), (c) => {
      found = c;
      return true;
    }),
    { seed, path: String(index), numRuns: 1 },
  );
  if (found === null) throw new Error(`caseAtRun: fast-check produced no case for run ${index}`);
  return found;
}

export interface ShrunkRun {
  readonly case: Case;
  readonly violation: Violation;
  readonly result: RunResult;
  readonly shrinks: number;
  readonly minimizeAttempts: number;
  readonly shrinkComplete: boolean;
}

/** The shrink `search` does once run `index` (0-based) is its first failure. */
export function shrinkRun(settings: PropertySettings, seed: number, index: number, options: SearchOptions = {}): ShrunkRun {
  let violationSeen = false;
  let shouldStop: () => boolean = () => false;
  let stopped = false;
  let candidates = 0;
  let capped = false;
  const maxCandidates = options.maxShrinkCandidates ?? MAX_SHRINK_CANDIDATES;
  // fast-check's shrink candidates are judged, never reported: unhashed, unless a caller's
  // onRun sees their results (the reported run is made again, hashed: minimalCounterexample).
  const unhashed = settings.onRun === undefined ? { runOptions: { ...settings.runOptions, hashTrace: false } } : {};
  const property = buildProperty({
    ...settings,
    ...unhashed,
    skip: () => violationSeen && (stopped || capped || (capped = ++candidates > maxCandidates) || (stopped = shouldStop())),
    onRun: (c, violated, result) => {
      if (violated && !violationSeen) {
        violationSeen = true;
        if (options.startShrinkBudget !== undefined) shouldStop = options.startShrinkBudget();
      }
      settings.onRun?.(c, violated, result);
    },
    // A shrink candidate that throws is another finding: it counts as passing, as in `search`.
    onError: () => undefined,
  });
  const details = fc.check(property, { seed, path: String(index), numRuns: 1 });
  const counterexample = details.counterexample?.[0];
  if (!details.failed || counterexample === undefined) throw new Error(`shrinkRun: run ${index} no longer fails; the run is not deterministic`);
  const stop = (): boolean => stopped || (stopped = shouldStop());
  const minimal = minimalCounterexample(counterexample, settings, stop, 'shrinkRun');
  return { case: minimal.case, violation: minimal.violation, result: minimal.result, shrinks: details.numShrinks, minimizeAttempts: minimal.attempts, shrinkComplete: !stopped && minimal.complete };
}
