import type { ObserveEvent } from '../src/trace.js';
import { UNKNOWN_SESSION_DETAIL } from '../models/clients/client-script.js';
import { actorName } from '../models/clients/workload.js';
import type { Profile } from '../models/synapse/profile.js';
import type { Violation } from './violation.js';

/** The pseudo-stage a 2xx for a session's operation shows: after it, the session must succeed. */
const OPERATION = 'the completed operation';

interface Shown {
  /** Observation index of the response that showed it. */
  readonly index: number;
  readonly how: string;
}

/**
 * progress-never-lost (DESIGN.md "Properties"). A stage S is shown for session X when a
 * client-side actor receives a 401 for X listing S, a fallback success page for X, or a 2xx for
 * X's operation (not the email-validation page, which shows nothing, ref 5 #7512). Every response to a request about X sent after S was shown must list S or
 * succeed; the losses are exactly a 400 unknown session, a 401 without S, and a 401 naming
 * another session. A loss is forgiven only as a legitimate expiry judged from the client's own
 * times: 1.13+ when the response arrives 48 h or more after X's creating request was sent; 1.8
 * when no request carried X for 48 h. A restart is never a legitimate expiry.
 *
 * One refinement of DESIGN.md's 1.8 rule, because 1.8 kept one session dict per process: a
 * request "carries X" for the process that answered it, and only when that process answered it
 * itself (a 404 from a worker that does not mount the endpoint, a 5xx or no answer at all may
 * never have reached the session). Counting those would call a real expiry a loss.
 */
export function checkProgressNeverLost(observations: readonly ObserveEvent[], profile: Profile, nodeNames: readonly string[]): Violation | null {
  /** Per request: where it sits in the observations and its number among the requests. */
  const sentAt = new Map<number, { readonly index: number; readonly event: ObserveEvent; readonly requestNumber: number }>();
  const shown = new Map<string, Map<string, Shown>>();
  const createdAtMs = new Map<string, number>();
  /** 1.8's sliding expiry is per process: `${session}@${process}` -> the send time of the last
   * request about the session that process answered itself (not a 404, 5xx or silence, which
   * may never have reached the session). */
  const lastTouchedAtMs = new Map<string, number>();
  let requestCount = 0;

  for (let i = 0; i < observations.length; i++) {
    const event = observations[i] as ObserveEvent;
    if (event.phase === 'sent') {
      requestCount++;
      sentAt.set(event.msgId, { index: i, event, requestNumber: requestCount });
      continue;
    }
    const request = sentAt.get(event.msgId);
    if (request === undefined) throw new Error(`progress-never-lost: a response to request ${event.msgId} that was never sent`);
    const x = request.event.key;
    // A session is created by the request whose 401 first names it: one sent without a session,
    // or (1.8) one about an unknown session that silently got a fresh one.
    if (event.status === 401 && event.key !== '' && !createdAtMs.has(event.key)) createdAtMs.set(event.key, request.event.atMs);

    if (x !== '') {
      const loss = lossOf(event, x, shown.get(x), request.index);
      const lastTouchMs = lastTouchedAtMs.get(`${x}@${event.servedBy}`);
      if (loss !== null && legitimateExpiry(profile, request.event.atMs, event.atMs, createdAtMs.get(x), lastTouchMs)) {
        // X expired: what was shown for it is legitimately gone, for this and every later answer.
        shown.delete(x);
      } else if (loss !== null) {
        const served = event.servedBy >= 0 ? (nodeNames[event.servedBy] ?? `node ${event.servedBy}`) : 'the router';
        return {
          property: 'progress-never-lost',
          observationIndex: i,
          event,
          requests: request.requestNumber,
          why: `${served} answered ${actorName(event.actor)}'s request about session ${x} with ${loss.answer}, although ${loss.stage} had been shown for ${x} (${loss.shown.how}).`,
        };
      }
    }

    // Judged from the client's own times: the process that answered about a session, with an
    // answer of its own, touched it when the request was sent (the 1.8 sliding clock, per process).
    // A 401 naming a session (a new one, too) means the answering process holds it.
    if (event.servedBy >= 0 && event.status !== 404 && event.status < 500) {
      if (x !== '') lastTouchedAtMs.set(`${x}@${event.servedBy}`, request.event.atMs);
      if (event.status === 401 && event.key !== '' && event.key !== x) lastTouchedAtMs.set(`${event.key}@${event.servedBy}`, request.event.atMs);
    }

    // What this response shows.
    if (event.status === 401 && event.key !== '') for (const stage of event.tags) show(shown, event.key, stage, i, `in the 401 answering request ${request.requestNumber}`);
    else if (event.detail === 'page:success' && event.key !== '') for (const stage of event.tags) show(shown, event.key, stage, i, `by the fallback success page answering request ${request.requestNumber}`);
    // A 2xx of the operation itself (not a page: a form, an SSO redirect, an email validation)
    // shows the completed operation for the session it was about.
    else if (event.status >= 200 && event.status < 300 && x !== '' && !event.detail.startsWith('page:')) show(shown, x, OPERATION, i, `by the ${event.status} answering request ${request.requestNumber}`);
  }
  return null;
}

function show(shown: Map<string, Map<string, Shown>>, session: string, stage: string, index: number, how: string): void {
  let stages = shown.get(session);
  if (stages === undefined) {
    stages = new Map();
    shown.set(session, stages);
  }
  if (!stages.has(stage)) stages.set(stage, { index, how });
}

/** The loss a response shows for session x, considering only stages shown before the request
 * was sent (a response to a request sent earlier, in another tab, cannot know them). */
function lossOf(
  event: ObserveEvent,
  x: string,
  stages: ReadonlyMap<string, Shown> | undefined,
  requestIndex: number,
): { readonly answer: string; readonly stage: string; readonly shown: Shown } | null {
  if (stages === undefined) return null;
  let earliest: [string, Shown] | null = null;
  for (const entry of stages) if (entry[1].index < requestIndex && (earliest === null || entry[1].index < earliest[1].index)) earliest = entry;
  if (earliest === null) return null;
  const [firstStage, firstShown] = earliest;
  if (event.status === 400 && event.detail.startsWith(UNKNOWN_SESSION_DETAIL)) return { answer: '400 Unknown session ID', stage: firstStage, shown: firstShown };
  // A 401 naming no session is not a UIA answer (M_UNKNOWN_TOKEN: the token is gone, e.g. the
  // account was deactivated in another tab): the session's progress is not what it refuses.
  if (event.status !== 401 || event.key === '') return null;
  if (event.key !== x) return { answer: `a 401 naming another session (${event.key})`, stage: firstStage, shown: firstShown };
  for (const [stage, when] of stages) {
    if (when.index >= requestIndex) continue;
    if (stage === OPERATION) return { answer: 'a 401', stage: OPERATION, shown: when };
    if (!event.tags.includes(stage)) return { answer: `a 401 listing completed [${event.tags.join(', ')}]`, stage, shown: when };
  }
  return null;
}

function legitimateExpiry(
  profile: Profile,
  sentMs: number,
  receivedMs: number,
  createdMs: number | undefined,
  lastTouchMs: number | undefined,
): boolean {
  const expiryMs = profile.expiry.expiryMs;
  // 1.13+: 48 h from the creating request, absolute (ref 2.8).
  if (profile.expiry.kind === 'absolute') return createdMs !== undefined && receivedMs >= createdMs + expiryMs;
  // 1.8: 48 h without a request that reached the session on the answering process (sliding and
  // per process, ref 2.2). A process that never held it cannot have let it expire.
  return lastTouchMs !== undefined && sentMs >= lastTouchMs + expiryMs;
}
