import type { RunOptions, RunResult } from '../models/world.js';
import { runCase, type Case } from '../models/world.js';
import { checkLiveness } from './liveness.js';
import { checkProgressNeverLost } from './progress-never-lost.js';
import type { PropertyName, Violation } from './violation.js';

export interface CaseVerdict {
  readonly result: RunResult;
  readonly violation: Violation | null;
}

/** Runs a case and checks one property over its trace. */
export function checkCase(c: Case, property: PropertyName, options: RunOptions = {}): CaseVerdict {
  const result = runCase(c, options);
  switch (property) {
    case 'progress-never-lost':
      return { result, violation: checkProgressNeverLost(result.observations, result.profile, result.nodeNames) };
    case 'liveness':
      return { result, violation: checkLiveness(c, result) };
    default: {
      const unreachable: never = property;
      throw new Error(`unknown property ${String(unreachable)}`);
    }
  }
}
