import fc from 'fast-check';
import type { Case, RunOptions, RunResult } from '../models/world.js';
import { caseArbitrary, type CaseSettings } from './case-arbitrary.js';
import { checkCase } from './check-case.js';
import type { PropertyName } from './violation.js';

export interface PropertySettings extends CaseSettings {
  readonly property: PropertyName;
  readonly runOptions?: RunOptions;
  /** Called with every case run, and its result (coverage statistics, progress). */
  readonly onRun?: (c: Case, violated: boolean, result: RunResult) => void;
  /** When it answers true, cases are not run and count as passing: how a shrink that ran out of
   * its budget ends fast-check's shrinking (the budget itself lives outside properties/). */
  readonly skip?: () => boolean;
  /** A run that throws (a model or plug-in bug) is a different finding from a violation. With
   * this hook the case counts as passing and the error is handed over, so shrinking stays on
   * "P violated"; without it the error propagates, as a test runner wants. */
  readonly onError?: (c: Case, error: unknown) => void;
}

/**
 * The one property builder used by vitest and the CLI: "no generated case violates property P".
 * The predicate is exactly "P violated", so shrinking never drifts into a different failure;
 * a model that throws is a different finding and surfaces as the exception.
 */
export function buildProperty(settings: PropertySettings): fc.IPropertyWithHooks<[Case]> {
  const { onError, skip } = settings;
  return fc.property(caseArbitrary(settings), (c) => {
    if (skip?.() === true) return true;
    let verdict: ReturnType<typeof checkCase>;
    try {
      verdict = checkCase(c, settings.property, settings.runOptions);
    } catch (error) {
      if (onError === undefined) throw error;
      onError(c, error);
      return true;
    }
    const violated = verdict.violation !== null;
    settings.onRun?.(c, violated, verdict.result);
    return !violated;
  });
}
