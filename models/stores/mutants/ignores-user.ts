import { SqlSessionStore } from '../sql.js';
import { mutantStore, type Mutant } from './base.js';

/** The `sql` store as `sql-faithful` builds it: this mutant's defect is in the handler
 * (models/synapse/defects.ts `validate-ignores-user`), which a store cannot plant. */
export const ignoresUserStore = mutantStore('mutant-ignores-user', (context) => new SqlSessionStore(context));

export const ignoresUser: Mutant = {
  store: ignoresUserStore,
  handlerDefects: ['validate-ignores-user'],
  defect: "validate_user_via_ui_auth never compares the user the stages proved with the requester",
  caughtBy: {
    property: 'user-binding',
    faults: 'steady',
    workload: 'session-reuse',
    // A client signed in to a second account continues the session its first account
    // authenticated: the operation runs for the second account on the first one's password.
    why: "an operation runs for a user no stage of its session was completed as",
  },
};
