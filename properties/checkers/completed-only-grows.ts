import { actorName } from '../../models/clients/workload.js';
import type { Profile } from '../../models/synapse/profile.js';
import type { ObserveEvent } from '../../src/trace.js';
import type { Violation } from '../violation.js';
import { SessionClocks } from './expiry.js';
import { indexRequests, requestOf, servedName } from './trace-view.js';

/** A 401 that listed a stage for a session. */
interface Listed {
  /** Observation index of the 401. */
  readonly index: number;
  readonly requestNumber: number;
}

/**
 * completed-only-grows (docs/architecture.md "Properties"): within a session X, the `completed` lists that
 * 401s naming X show clients never lose a stage, in real-time order. A 401 R2 naming X is
 * judged against every earlier 401 R1 naming X that was *received before R2's request was sent*:
 * R2 must list every stage R1 listed. A response to a request sent before R1 was received is
 * concurrent with R1 (its server read may have happened before R1's write, uia §2.4 step 7 reads
 * the stages back in their own transaction) and may legitimately be older: it is not judged
 * against R1. This is linearizability's real-time order, and the only order in which a shared
 * store can promise growth.
 *
 * Only 401s naming X count: they are the only answers that carry X's `completed` list (uia §1.2).
 * A 401 to a request without a session is the creation of X and carries no `completed` key at
 * all (uia §2.4 step 5): it lists nothing and is not judged. A 400 unknown session, a 401 naming
 * another session, or a fallback success page are not `completed` lists: they are for
 * progress-never-lost and no-phantom-stage. A shrink is forgiven across a legitimate expiry of
 * X (the judgement progress-never-lost uses, ./expiry.ts); after it X's history starts afresh.
 */
export function checkCompletedOnlyGrows(observations: readonly ObserveEvent[], profile: Profile, nodeNames: readonly string[]): Violation | null {
  const requests = indexRequests(observations);
  const clocks = new SessionClocks(profile);
  /** Session -> stage -> the first 401 naming the session that listed it. */
  const listed = new Map<string, Map<string, Listed>>();

  for (let i = 0; i < observations.length; i++) {
    const event = observations[i] as ObserveEvent;
    if (event.phase === 'sent') continue;
    const request = requestOf(requests, event, 'completed-only-grows');
    clocks.noteCreation(request.event, event);
    const x = event.key;
    // Only a 401 naming X to a request that carried a session shows X's completed list.
    if (event.status === 401 && x !== '' && request.event.key !== '') {
      const stages = listed.get(x);
      let dropped: [string, Listed] | null = null;
      if (stages !== undefined) {
        for (const entry of stages) if (entry[1].index < request.index && !event.tags.includes(entry[0]) && (dropped === null || entry[1].index < dropped[1].index)) dropped = entry;
      }
      if (dropped !== null && clocks.expired(x, request.event, event)) {
        listed.delete(x);
      } else if (dropped !== null) {
        const [stage, earlier] = dropped;
        return {
          property: 'completed-only-grows',
          observationIndex: i,
          event,
          requests: request.requestNumber,
          why:
            `${servedName(event, nodeNames)} answered ${actorName(event.actor)}'s request ${request.requestNumber} with a 401 for session ${x} listing completed [${event.tags.join(', ')}], ` +
            `without ${stage}, which the 401 answering request ${earlier.requestNumber} had listed for ${x} before this request was sent.`,
        };
      }
      let entries = listed.get(x);
      if (entries === undefined) {
        entries = new Map();
        listed.set(x, entries);
      }
      for (const stage of event.tags) if (!entries.has(stage)) entries.set(stage, { index: i, requestNumber: request.requestNumber });
    }
    clocks.noteTouch(request.event.key, request.event, event, i);
  }
  return null;
}
