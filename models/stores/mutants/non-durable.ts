import { SqlSessionStore } from '../sql.js';
import { mutantStore, type Mutant } from './base.js';

/** Defect: the UI-auth tables live in a database that does not survive a restart (an in-memory
 * SQLite, unlogged tables on a crashed Postgres): every session is gone after one. */
export const nonDurableStore = mutantStore('mutant-non-durable', (context) => new SqlSessionStore(context), false);

export const nonDurable: Mutant = {
  store: nonDurableStore,
  defect: 'the UI-auth tables are lost when their database restarts',
  caughtBy: {
    property: 'progress-never-lost',
    faults: 'store-restart',
    // docs/architecture.md: a restart is never a legitimate expiry; the next request about a session whose
    // stage was shown gets 400 Unknown session ID (uia §2.4 step 3).
    why: 'after a database restart, a session whose stages were shown is unknown',
  },
};

export default nonDurableStore;
