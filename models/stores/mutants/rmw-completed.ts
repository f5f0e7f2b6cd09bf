import { call, type Task } from '../../../src/effects.js';
import type { StoreContext } from '../contract.js';
import { SqlSessionStore } from '../sql.js';
import { mutantStore, type Mutant } from './base.js';

/** Where this mutant keeps the completed set: one serialized value in the serverdict. */
const COMPLETED_KEY = 'completed_stages';

/** Defect: the completed stages are one serialized list, updated by a read-modify-write across
 * two transactions (read the list, write it back with the new stage), instead of one upsert row
 * per stage (uia §2.7). Two stage completions of one session in flight at once both read the old
 * list; the second write drops the first one's stage. */
class RmwCompleted extends SqlSessionStore {
  constructor(private readonly ctx: StoreContext) {
    super(ctx);
  }

  override *createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string> {
    const id = yield* super.createSession(clientdict, uri, method, description, nowMs);
    yield* super.setSessionData(id, COMPLETED_KEY, []);
    return id;
  }

  override *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    const list = yield* call<[string, unknown][] | undefined>(this.ctx.serviceNode, { op: 'ui.getData', id, key: COMPLETED_KEY });
    // Only a known session has the list (created with it): otherwise the FK would fail.
    if (list === undefined) return false;
    const updated = [...list.filter(([s]) => s !== stage), [stage, result] as [string, unknown]];
    yield* super.setSessionData(id, COMPLETED_KEY, updated);
    return true;
  }

  override *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    const list = yield* call<[string, unknown][] | undefined>(this.ctx.serviceNode, { op: 'ui.getData', id, key: COMPLETED_KEY });
    return new Map(list ?? []);
  }
}

export const rmwCompletedStore = mutantStore('mutant-rmw-completed', (context) => new RmwCompleted(context));

export const rmwCompleted: Mutant = {
  store: rmwCompletedStore,
  defect: 'the completed set is read, extended and written back in two transactions',
  caughtBy: {
    property: 'progress-never-lost',
    faults: 'steady',
    // Two requests of one session in flight: the fallback page (browser) and a direct stage
    // (app). Both read the old set; the later write wins, and a stage already shown (the success
    // page, or the other 401) is missing from every later 401.
    why: 'a stage completed concurrently with another one of the same session is overwritten',
  },
};

export default rmwCompletedStore;
