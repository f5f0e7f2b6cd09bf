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
}

/**
 * The one property builder used by vitest and the CLI: "no generated case violates property P".
 * The predicate is exactly "P violated", so shrinking never drifts into a different failure;
 * a model that throws is a different finding and surfaces as the exception.
 */
export function buildProperty(settings: PropertySettings): fc.IPropertyWithHooks<[Case]> {
  return fc.property(caseArbitrary(settings), (c) => {
    const { violation } = checkCase(c, settings.property, settings.runOptions);
    settings.onRun?.(c, violation !== null);
    return violation === null;
  });
}
