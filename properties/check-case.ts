import type { RunOptions, RunResult } from '../models/world.js';
import { runCase, type Case } from '../models/world.js';
import { CHECKERS } from './checkers/index.js';
import type { PropertyName, Violation } from './violation.js';

export interface CaseVerdict {
  readonly result: RunResult;
  readonly violation: Violation | null;
}

/** Runs a case and checks one property over its trace. */
export function checkCase(c: Case, property: PropertyName, options: RunOptions = {}): CaseVerdict {
  const checker = CHECKERS[property];
  if (checker === undefined) throw new Error(`unknown property ${String(property)}`);
  const result = runCase(c, options);
  return { result, violation: checker(c, result) };
}

/** Runs a case once and checks every property over its trace, in PROPERTY_NAMES order: the
 * first violation (`replay --property all`). */
export function checkCaseAll(c: Case, properties: readonly PropertyName[], options: RunOptions = {}): CaseVerdict {
  const result = runCase(c, options);
  for (const property of properties) {
    const violation = CHECKERS[property](c, result);
    if (violation !== null) return { result, violation };
  }
  return { result, violation: null };
}
