import { FACTS } from '../../models/synapse/facts.js';
import type { FactEvent, ObserveEvent } from '../../src/trace.js';
import type { Violation } from '../violation.js';
import { indexRequests, pointAtFact } from './trace-view.js';

/**
 * user-binding (docs/architecture.md "Properties"): an operation runs only for the user who authenticated.
 * An `operation` fact carries tags `[requester, authenticated user]` (models/synapse/facts.ts):
 * the user of the request's access token, and the user the completed stages proved (uia §2.5:
 * the first completed supported type's result must be the requester, else 403 "Invalid auth";
 * an SSO stage completed as the wrong user stores ""). An operation whose requester is not empty
 * and differs from the authenticated user is a violation. Registration has no requester (the
 * account it creates is the user, uia §2.11): its requester is '' and it is not judged.
 * The violation points at the first client response that shows the operation (./trace-view.ts).
 */
export function checkUserBinding(observations: readonly ObserveEvent[], facts: readonly FactEvent[], nodeNames: readonly string[]): Violation | null {
  for (const fact of facts) {
    if (fact.name !== FACTS.operation) continue;
    const requester = fact.tags[0] ?? '';
    const authenticated = fact.tags[1] ?? '';
    if (requester === '' || requester === authenticated) continue;
    const at = pointAtFact(observations, indexRequests(observations), fact, fact.key);
    const as = authenticated === '' ? 'nobody (an empty result, as for SSO completed as the wrong user)' : authenticated;
    return {
      property: 'user-binding',
      ...at,
      fact,
      why:
        `${nodeNames[fact.node] ?? `node ${fact.node}`} ran ${fact.detail} at ${fact.atMs} ms for ${requester}` +
        `${fact.key === '' ? '' : ` (session ${fact.key})`}, but the stages were completed as ${as}: the operation must run only for the user who authenticated (uia §2.5).`,
    };
  }
  return null;
}
