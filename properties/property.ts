import fc from 'fast-check';
import type { RunOptions } from '../models/world.js';
import type { Case } from '../models/world.js';
import { caseArbitrary, type CaseSettings } from './case-arbitrary.js';
import { checkCase } from './check-case.js';
import type { PropertyName } from './violation.js';

export interface PropertySettings extends CaseSettings {
  readonly property: PropertyName;
  readonly runOptions?: RunOptions;
  /** Called with every case run (coverage statistics, progress). */
  readonly onRun?: (c: Case, violated: boolean) => void;
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
  const { onError } = settings;
  return fc.property(caseArbitrary(settings), (c) => {
    let violated: boolean;
    try {
      violated = checkCase(c, settings.property, settings.runOptions).violation !== null;
    } catch (error) {
      if (onError === undefined) throw error;
      onError(c, error);
      return true;
    }
    settings.onRun?.(c, violated);
    return !violated;
  });
}
