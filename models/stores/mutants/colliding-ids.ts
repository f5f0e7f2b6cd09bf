import { call, type Task } from '../../../src/effects.js';
import type { StoreContext } from '../contract.js';
import { SqlSessionStore } from '../sql.js';
import { mutantStore, type Mutant } from './base.js';

/** Defect: session IDs come from a per-process counter instead of 24 random letters (uia §2.4
 * step 2), so every process (and every restart) issues the same IDs; and the insert ignores the
 * unique violation (ON CONFLICT DO NOTHING) instead of retrying: a new session silently joins an
 * existing one, with its completed stages. */
class CollidingIds extends SqlSessionStore {
  private issued = 0;

  constructor(private readonly ctx: StoreContext) {
    super(ctx);
  }

  override *createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string> {
    const id = `session${String(++this.issued).padStart(17, '0')}`;
    yield* call<boolean>(this.ctx.serviceNode, { op: 'ui.create', id, clientdict, uri, method, description, nowMs });
    return id;
  }
}

export const collidingIdsStore = mutantStore('mutant-colliding-ids', (context) => new CollidingIds(context));

export const collidingIds: Mutant = {
  store: collidingIdsStore,
  defect: 'session IDs from a per-process counter, and an insert that ignores the clash',
  caughtBy: {
    property: 'no-phantom-stage',
    faults: 'steady',
    // The second session created under an ID shows the first one's stages: no checker passed for
    // them since that session was created.
    why: "a new session under a reused ID shows another session's completed stages",
  },
};

export default collidingIdsStore;
