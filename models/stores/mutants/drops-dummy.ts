import type { Task } from '../../../src/effects.js';
import { SqlSessionStore } from '../sql.js';
import { mutantStore, type Mutant } from './base.js';

/** The stage whose writes this mutant loses (uia §1.5: the stage every registration flow ends on). */
const DROPPED_STAGE = 'm.login.dummy';

/** Defect: `mark_ui_auth_stage_complete` filters out the dummy stage (a "nothing to store" rule
 * that treats its trivial result as no result) and reports success: no flow with dummy can ever
 * complete, though no 401 ever listed dummy, so nothing shown is lost. */
class DropsDummy extends SqlSessionStore {
  override *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    if (stage === DROPPED_STAGE) return true;
    return yield* super.markStageComplete(id, stage, result);
  }
}

export const dropsDummyStore = mutantStore('mutant-drops-dummy', (context) => new DropsDummy(context));

export const dropsDummy: Mutant = {
  store: dropsDummyStore,
  defect: 'the dummy stage is never written, reported as a success',
  caughtBy: {
    property: 'liveness',
    faults: 'steady',
    // progress-never-lost needs a stage shown and then missing: dummy is never shown. A client
    // that follows the protocol resubmits dummy round after round and never registers.
    why: 'a client that follows the protocol never finishes registering',
  },
};

export default dropsDummyStore;
