import type { Task } from '../../../src/effects.js';
import { SqlSessionStore } from '../sql.js';
import { fnv1a, mutantStore, type Mutant } from './base.js';

/** One (session, stage) write in this many is lost. */
export const DROP_ONE_IN = 4;

/** Defect: `mark_ui_auth_stage_complete` loses one stage write in DROP_ONE_IN (chosen by a hash
 * of the session and the stage, so the same write is lost on every retry) and still reports
 * success, as a write to a replica that never reaches the primary would. */
class DropsStageWrites extends SqlSessionStore {
  override *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    if (fnv1a(`${id}/${stage}`) % DROP_ONE_IN === 0) return true;
    return yield* super.markStageComplete(id, stage, result);
  }
}

export const dropsStageWriteStore = mutantStore('mutant-drops-stage-write', (context) => new DropsStageWrites(context));

export const dropsStageWrite: Mutant = {
  store: dropsStageWriteStore,
  defect: `one stage write in ${DROP_ONE_IN} is lost, reported as a success`,
  caughtBy: {
    property: 'progress-never-lost',
    faults: 'steady',
    // The fallback success page shows the stage without reading it back (uia §2.6), so the loss
    // surfaces as a later 401 without it. A direct stage's own 401 reads the set back and never
    // shows the stage, so no-phantom-stage has nothing to object to: the checker did pass.
    why: 'the fallback success page showed the stage; the next 401 for the session does not list it',
  },
};

export default dropsStageWriteStore;
