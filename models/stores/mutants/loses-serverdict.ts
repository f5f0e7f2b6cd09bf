import type { Task } from '../../../src/effects.js';
import { SqlSessionStore } from '../sql.js';
import { mutantStore, type Mutant } from './base.js';

/** Defect: `set_ui_auth_session_data` never commits (uia §2.7): the serverdict stays `{}`, so
 * `registered_user_id` (uia §2.10) is never there when a retried final /register looks for it. */
class LosesServerdict extends SqlSessionStore {
  // eslint-disable-next-line require-yield
  override *setSessionData(_id: string, _key: string, _value: unknown): Task<void> {
    return;
  }
}

export const losesServerdictStore = mutantStore('mutant-loses-serverdict', (context) => new LosesServerdict(context));

export const losesServerdict: Mutant = {
  store: losesServerdictStore,
  defect: 'the serverdict is never written (registered_user_id is lost)',
  caughtBy: {
    property: 'exactly-once',
    faults: 'lost-responses',
    // 1.13 keeps the registration password's hash in the clientdict (uia §2.3, #7523), so the
    // serverdict holds only registered_user_id; under head the hash lives there too (#8009) and
    // losing it fails every multi-step registration before any account exists.
    profile: '1.13',
    // uia §2.10: registered_user_id is what makes a retried final /register return the same
    // account; without it the retry registers again or fails with M_USER_IN_USE.
    why: 'a client retrying a final /register whose response was lost does not get the same user_id',
  },
};

export default losesServerdictStore;
