import type { Task } from '../../../src/effects.js';
import { SqlSessionStore } from '../sql.js';
import { mutantStore, type Mutant } from './base.js';

const DAY_MS = 86_400_000;

/** Defect: the expiry sweep deletes sessions created 96 h ago instead of 48 h (uia §2.8): the
 * opposite slip of early-sweep, so a session stays usable two days past its expiry. */
class LateSweep extends SqlSessionStore {
  override *deleteOldSessions(expiryTimeMs: number): Task<number> {
    return yield* super.deleteOldSessions(expiryTimeMs - 2 * DAY_MS);
  }
}

export const lateSweepStore = mutantStore('mutant-late-sweep', (context) => new LateSweep(context));

export const lateSweep: Mutant = {
  store: lateSweepStore,
  defect: 'the expiry sweep deletes sessions after 96 h instead of 48 h',
  caughtBy: {
    property: 'expiry-honoured',
    faults: 'slow-user',
    // Not progress-never-lost: a session that lives too long loses nothing. expiry-honoured
    // forbids using a session past its 48 h plus one sweep interval (uia §2.8).
    why: 'a user back after 48 h still completes stages on a session the sweep should have deleted',
  },
};

export default lateSweepStore;
