import { FACTS } from '../../models/synapse/facts.js';
import type { Profile } from '../../models/synapse/profile.js';
import type { FactEvent, ObserveEvent } from '../../src/trace.js';
import type { Violation } from '../violation.js';
import { factsByKey, indexRequests, latestAtOrBefore, pointAtFact } from './trace-view.js';

/** Why operation-binding says nothing about a profile that does not bind (1.8, 1.12). */
export const NOT_BINDING = 'not applicable: before 1.13 a session is not bound to its operation (uia §2.3, #7068); holds trivially';

/**
 * operation-binding (docs/architecture.md "Properties", from 1.13): a session started for (uri, method)
 * never authorises another (uia §2.9: the raw URI with its query string, and the method). An
 * `operation` fact for session X whose `METHOD uri` differs from the one X's latest
 * `session-created` fact recorded is a violation, and so is an operation authorised by a session
 * nobody created. An operation without a session (the `session_timeout` skip path, uia §2.5, key
 * '') is not about any session and is not judged.
 *
 * Profiles that do not bind (1.8, 1.12: `bindsOperation` false, uia §2.3) never promised it: the
 * property is not applicable and holds trivially (NOT_BINDING says so where a reason is shown).
 * The violation points at the first client response that shows the operation (./trace-view.ts).
 */
export function checkOperationBinding(observations: readonly ObserveEvent[], facts: readonly FactEvent[], profile: Profile, nodeNames: readonly string[]): Violation | null {
  if (!profile.bindsOperation) return null;
  const created = factsByKey(facts, FACTS.sessionCreated);
  for (const fact of facts) {
    if (fact.name !== FACTS.operation || fact.key === '') continue;
    const creation = latestAtOrBefore(created.get(fact.key), fact.atMs);
    if (creation !== undefined && creation.detail === fact.detail) continue;
    const requests = indexRequests(observations);
    const at = pointAtFact(observations, requests, fact, fact.key);
    const ran = `${nodeNames[fact.node] ?? `node ${fact.node}`} ran ${fact.detail} at ${fact.atMs} ms on the authority of session ${fact.key}`;
    return {
      property: 'operation-binding',
      ...at,
      fact,
      why:
        creation === undefined
          ? `${ran}, a session no process ever created.`
          : `${ran}, which was created for ${creation.detail}: a session authorises only the operation it was started for (uia §2.9).`,
    };
  }
  return null;
}
