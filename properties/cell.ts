import fc from 'fast-check';
import type { Case, RunResult } from '../models/world.js';
import { caseArbitrary } from './case-arbitrary.js';
import { checkCase } from './check-case.js';
import { minimizeCase } from './minimize.js';
import type { PropertySettings } from './property.js';
import { canonicalTapes } from './search.js';
import type { Violation } from './violation.js';

export interface CellOutcome {
  readonly runs: number;
  /** Runs whose trace violates the property. */
  readonly violations: number;
  /** 1-based index of the first violating run, or null. */
  readonly firstFailingRun: number | null;
  /** The first violating run made 1-minimal, or null. */
  readonly minimal: { readonly case: Case; readonly violation: Violation; readonly result: RunResult } | null;
  /** A run that threw (a model bug, a plug-in that throws or never returns): the cell stops
   * there, with the case for its replay token. */
  readonly error: { readonly run: number; readonly case: Case; readonly message: string } | null;
}

/** A 32-bit seed for (seed, strategy, fault profile): a cell's runs do not depend on which
 * other cells run, or in which order. */
export function cellSeed(seed: number, strategy: string, faultProfile: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of `${strategy}/${faultProfile}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h | 0;
}

/** One cell of the comparison: all N runs (for the share of failing runs), then the first
 * failing one made 1-minimal. */
export function runCell(settings: PropertySettings, runs: number, seed: number): CellOutcome {
  const cases = fc.sample(caseArbitrary(settings), { numRuns: runs, seed: cellSeed(seed, settings.strategy, settings.faultProfile.name) });
  let violations = 0;
  let first: Case | null = null;
  let firstIndex: number | null = null;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i] as Case;
    let violated: boolean;
    try {
      violated = checkCase(c, settings.property, settings.runOptions).violation !== null;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { runs: i + 1, violations, firstFailingRun: firstIndex, minimal: null, error: { run: i + 1, case: c, message } };
    }
    if (!violated) continue;
    violations++;
    if (first === null) {
      first = c;
      firstIndex = i + 1;
    }
  }
  if (first === null) return { runs, violations, firstFailingRun: null, minimal: null, error: null };
  const violates = (c: Case): boolean => {
    try {
      return checkCase(c, settings.property, settings.runOptions).violation !== null;
    } catch {
      return false; // a reduction that throws is a different finding, not this violation
    }
  };
  const minimal = canonicalTapes(minimizeCase(canonicalTapes(first, settings), violates).case, settings);
  const verdict = checkCase(minimal, settings.property, { ...settings.runOptions, capture: true });
  if (verdict.violation === null) throw new Error('cell: the minimal counterexample no longer fails; the run is not deterministic');
  return { runs, violations, firstFailingRun: firstIndex, minimal: { case: minimal, violation: verdict.violation, result: verdict.result }, error: null };
}
