import { actorName } from '../../models/clients/workload.js';
import { FACTS } from '../../models/synapse/facts.js';
import type { FactEvent, ObserveEvent } from '../../src/trace.js';
import type { Violation } from '../violation.js';
import { factsByKey, indexRequests, pointAtFact, requestOf, servedName } from './trace-view.js';

/** uia §2.11 step 5 / 7: what the client records for "User ID already taken". */
export const USER_IN_USE_DETAIL = 'M_USER_IN_USE';

/**
 * exactly-once (docs/architecture.md "Properties", per endpoint, uia §2.4 and §2.10): a completed
 * registration creates one account and retries return the same `user_id`. For session X:
 * 1. at most one `account-created` fact for X (registration creates one account per session;
 *    uia §2.10 `registered_user_id` makes a repeated final request reuse it);
 * 2. every 2xx a client receives for a request about X that names a user (a registration's
 *    `user_id`) names the same user, and the account X created, if any;
 * 3. once X created an account, no request about X is answered M_USER_IN_USE: a client that
 *    retried a final request whose answer was lost must get the same account back (uia §2.10).
 *    Concurrent final requests of one session, one of which gets "User ID already taken", break
 *    this too: that is #5450 (open), and it is a violation, not an excuse.
 * The first violating event wins; when it is a fact (rule 1), the violation points at the
 * first client response that shows it (./trace-view.ts).
 */
export function checkExactlyOnce(observations: readonly ObserveEvent[], facts: readonly FactEvent[], nodeNames: readonly string[]): Violation | null {
  const requests = indexRequests(observations);
  const accounts = factsByKey(facts, FACTS.accountCreated);
  const found: { first: Violation | null } = { first: null };
  const keep = (v: Violation): void => {
    if (found.first === null || v.observationIndex < found.first.observationIndex) found.first = v;
  };

  // Rule 1: a second account for one session.
  for (const [x, created] of accounts) {
    if (x === '' || created.length < 2) continue;
    const [one, two] = created as [FactEvent, FactEvent];
    keep({
      property: 'exactly-once',
      ...pointAtFact(observations, requests, two, x),
      fact: two,
      why: `session ${x} created a second account: ${nodeNames[two.node] ?? `node ${two.node}`} registered ${two.detail} at ${two.atMs} ms, after ${nodeNames[one.node] ?? `node ${one.node}`} had registered ${one.detail} for it at ${one.atMs} ms (uia §2.10: one session, one account).`,
    });
  }

  /** Session -> the user its first success named, and where. */
  const named = new Map<string, { readonly user: string; readonly how: string }>();
  for (let i = 0; i < observations.length && (found.first === null || i < found.first.observationIndex); i++) {
    const event = observations[i] as ObserveEvent;
    if (event.phase === 'sent') continue;
    const request = requestOf(requests, event, 'exactly-once');
    const x = request.event.key;
    if (x === '') continue;
    const account = (accounts.get(x) ?? []).find((f) => f.atMs <= event.atMs);
    const at = { property: 'exactly-once' as const, observationIndex: i, event, requests: request.requestNumber };
    const who = `${servedName(event, nodeNames)} answered ${actorName(event.actor)}'s request ${request.requestNumber} about session ${x}`;
    if (event.status >= 200 && event.status < 300 && event.detail.startsWith('@')) {
      // Rule 2: one user per session.
      const earlier = named.get(x) ?? (account === undefined ? undefined : { user: account.detail, how: `the account ${x} created at ${account.atMs} ms` });
      if (earlier !== undefined && earlier.user !== event.detail) {
        keep({ ...at, why: `${who} with ${event.status} ${event.detail}, but ${earlier.how} was ${earlier.user}: a retried registration must return the same user_id (uia §2.10).` });
        break;
      }
      if (!named.has(x)) named.set(x, { user: event.detail, how: `the user the ${event.status} answering request ${request.requestNumber} named` });
    } else if (event.status === 400 && event.detail.startsWith(USER_IN_USE_DETAIL) && account !== undefined) {
      // Rule 3: the session's own account is "already taken".
      keep({
        ...at,
        why: `${who} with 400 "User ID already taken", although ${x} had already created ${account.detail} at ${account.atMs} ms: a retry must get that account back (uia §2.10; concurrent finals racing is #5450).`,
      });
      break;
    }
  }
  return found.first;
}
