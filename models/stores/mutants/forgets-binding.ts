import { SqlSessionStore } from '../sql.js';
import { UiAuthTables, type UiAuthCommand } from '../sql-tables.js';
import type { SessionRecord } from '../contract.js';
import { mutantStore, type Mutant } from './base.js';

/** Defect: the session lookup (`get_session`, uia §2.7) takes `uri` and `method` from the newest
 * row of ui_auth_sessions instead of the session's own (a join that lost its session_id
 * condition): a session forgets the operation it was started for, and passes the (uri, method)
 * comparison (uia §2.4 step 3, §2.9) for whatever operation was started last. */
class ForgetsBindingTables extends UiAuthTables {
  private newest: { readonly uri: string; readonly method: string } | undefined;

  override execute(command: UiAuthCommand): unknown {
    const result = super.execute(command);
    if (command.op === 'ui.create' && result === true) this.newest = { uri: command.uri, method: command.method };
    if (command.op !== 'ui.get' || result === undefined || this.newest === undefined) return result;
    return { ...(result as SessionRecord), uri: this.newest.uri, method: this.newest.method };
  }
}

export const forgetsBindingStore = mutantStore('mutant-forgets-binding', (context) => new SqlSessionStore(context), true, () => new ForgetsBindingTables());

export const forgetsBinding: Mutant = {
  store: forgetsBindingStore,
  defect: "a session's (uri, method) is read from the newest session row, not its own",
  caughtBy: {
    property: 'operation-binding',
    faults: 'steady',
    workload: 'session-reuse',
    // A client that opens another operation and sends it with its own session: the newest row
    // is the other operation's, so the comparison passes and the session's stages authorise it.
    why: "an operation runs on the authority of a session created for another operation",
  },
};

export default forgetsBindingStore;
