import { FACTS } from '../../models/synapse/facts.js';
import type { FactEvent, ObserveEvent } from '../../src/trace.js';
import type { Violation } from '../violation.js';
import { indexRequests, pointAtFact } from './trace-view.js';

/**
 * user-binding (docs/architecture.md "Properties"): an operation runs only for the user who authenticated.
 * An `operation` fact carries tags `[requester, authenticated user]` (models/synapse/facts.ts):
 * the user of the request's access token, and the user the completed stages named (uia §2.5:
 * the first completed supported type's result must be the requester, else 403 "Invalid auth";
 * an SSO stage completed as the wrong user stores ""). Registration has no requester (the
 * account it creates is the user, uia §2.11): its requester is '' and it is not judged.
 *
 * Two rules, the second independent of what the server says about itself (a validate that
 * skips its comparison could report anything):
 * - the authenticated user the fact names differs from the requester;
 * - the operation ran on the authority of session X (key not '', the session_timeout skip path
 *   has none, uia §2.5) and no `stage-passed` fact for X earlier in the trace has the requester
 *   as its result: nobody proved to be the requester on that session (a session whose password
 *   stage was completed as user A let user B's request through).
 * The violation points at the first client response that shows the operation (./trace-view.ts).
 */
export function checkUserBinding(observations: readonly ObserveEvent[], facts: readonly FactEvent[], nodeNames: readonly string[]): Violation | null {
  // Per session, the users its passed stages proved so far (stage results, uia §2.4 step 6).
  const proved = new Map<string, Set<string>>();
  for (const fact of facts) {
    if (fact.name === FACTS.stagePassed) {
      let users = proved.get(fact.key);
      if (users === undefined) proved.set(fact.key, (users = new Set()));
      users.add(fact.tags[0] ?? '');
      continue;
    }
    if (fact.name !== FACTS.operation) continue;
    const requester = fact.tags[0] ?? '';
    const authenticated = fact.tags[1] ?? '';
    if (requester === '') continue;
    const unproved = fact.key !== '' && proved.get(fact.key)?.has(requester) !== true;
    if (requester === authenticated && !unproved) continue;
    const at = pointAtFact(observations, indexRequests(observations), fact, fact.key);
    const ran = `${nodeNames[fact.node] ?? `node ${fact.node}`} ran ${fact.detail} at ${fact.atMs} ms for ${requester}${fact.key === '' ? '' : ` (session ${fact.key})`}`;
    const as = authenticated === '' ? 'nobody (an empty result, as for SSO completed as the wrong user)' : authenticated;
    const provers = [...(proved.get(fact.key) ?? [])].filter((u) => u !== '');
    return {
      property: 'user-binding',
      ...at,
      fact,
      why:
        requester !== authenticated
          ? `${ran}, but the stages were completed as ${as}: the operation must run only for the user who authenticated (uia §2.5).`
          : `${ran}, but no stage of that session was completed as ${requester}${provers.length === 0 ? '' : ` (only as ${provers.join(', ')})`}: the operation must run only for the user who authenticated (uia §2.5).`,
    };
  }
  return null;
}
