import type { Task } from '../../../src/effects.js';
import { passed, type StageVerdict } from './types.js';

/** `DummyAuthChecker` (uia §1.5): always enabled, always passes; result `true`. */
export function* checkDummy(): Task<StageVerdict> {
  return passed(true);
}
