import type { Task } from '../../../src/effects.js';
import { SqlSessionStore } from '../sql.js';
import { mutantStore, type Mutant } from './base.js';

/** From this many completed stages on, a read skips the first one. */
export const SKIP_FROM = 3;

/** Defect: `get_completed_ui_auth_stages` pages its rows and drops the first page's first row
 * once a session has SKIP_FROM or more stages (an off-by-one in a paged read): a 401 can list
 * fewer stages than the one before it. Writes are untouched. */
class SkipsFirstStage extends SqlSessionStore {
  override *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    const all = yield* super.getCompletedStages(id);
    if (all.size < SKIP_FROM) return all;
    return new Map([...all].slice(1));
  }
}

export const skipsFirstStageStore = mutantStore('mutant-skips-first-stage', (context) => new SkipsFirstStage(context));

export const skipsFirstStage: Mutant = {
  store: skipsFirstStageStore,
  defect: `a read of the completed stages skips the first once there are ${SKIP_FROM} or more`,
  caughtBy: {
    property: 'completed-only-grows',
    faults: 'steady',
    // The stage is still stored; the 401 that reads three rows lists two, without the one the
    // previous 401 for the same session listed first.
    why: "a 401 for a session lists fewer completed stages than an earlier 401 for it",
  },
};

export default skipsFirstStageStore;
