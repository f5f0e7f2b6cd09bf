import type { Task } from '../../../src/effects.js';
import { SqlSessionStore } from '../sql.js';
import { mutantStore, type Mutant } from './base.js';

const DAY_MS = 86_400_000;

/** Defect: the expiry sweep deletes sessions created 24 h ago instead of 48 h (uia §2.8): a unit
 * slip in `session_lifetime`. */
class EarlySweep extends SqlSessionStore {
  override *deleteOldSessions(expiryTimeMs: number): Task<number> {
    return yield* super.deleteOldSessions(expiryTimeMs + DAY_MS);
  }
}

export const earlySweepStore = mutantStore('mutant-early-sweep', (context) => new EarlySweep(context));

export const earlySweep: Mutant = {
  store: earlySweepStore,
  defect: 'the expiry sweep deletes sessions after 24 h instead of 48 h',
  caughtBy: {
    property: 'progress-never-lost',
    faults: 'slow-user',
    // Not expiry-honoured: that property forbids using a session too late, this deletes one too
    // early. A session deleted before 48 h from its creating request is not a legitimate expiry
    // (uia §2.8), so the 400 Unknown session ID a slow user then gets is a progress loss.
    why: 'a user back after 24-48 h finds a session that should still live deleted',
  },
};

export default earlySweepStore;
