import type { ObserveEvent } from '../../src/trace.js';
import { UNKNOWN_SESSION_DETAIL } from '../../models/clients/client-script.js';
import { actorName } from '../../models/clients/workload.js';
import type { Profile } from '../../models/synapse/profile.js';
import type { Violation } from '../violation.js';
import { SessionClocks } from './expiry.js';
import { indexRequests, isOperationSuccess, requestOf, servedName } from './trace-view.js';

/** The pseudo-stage a 2xx for a session's operation shows: after it, the session must succeed. */
const OPERATION = 'the completed operation';

interface Shown {
  /** Observation index of the response that showed it. */
  readonly index: number;
  readonly how: string;
}

/**
 * progress-never-lost (docs/architecture.md "Properties"). A stage S is shown for session X when a
 * client-side actor receives a 401 for X listing S, a fallback success page for X, or a 2xx for
 * X's operation (not the email-validation page, which shows nothing, uia §5 #7512). Every response to a request about X sent after S was shown must list S or
 * succeed; the losses are exactly a 400 unknown session, a 401 without S, and a 401 naming
 * another session. A loss is forgiven only as a legitimate expiry judged from the client's own
 * times: 1.13+ when the response arrives 48 h or more after X's creating request was sent; 1.8
 * when no request carried X for 48 h, and no lost stage was shown after the answering process
 * was seen not to hold X (./expiry.ts goneSince). A restart is never a legitimate expiry.
 *
 * One refinement of docs/architecture.md's 1.8 rule, because 1.8 kept one session dict per process: a
 * request "carries X" for the process that answered it, and only when that process answered it
 * itself (a 404 from a worker that does not mount the endpoint, a 5xx or no answer at all may
 * never have reached the session). Counting those would call a real expiry a loss. The expiry
 * judgement is shared with completed-only-grows (./expiry.ts).
 *
 * Shows nothing: a dropped response, a fallback form page, an email-validation page (any page
 * but the success page, uia §5 #7512). Not a loss: a 403 (operation changed, uia §2.9), any other
 * 4xx or 5xx, a response to a request sent before the stage was shown (another tab).
 */
export function checkProgressNeverLost(observations: readonly ObserveEvent[], profile: Profile, nodeNames: readonly string[]): Violation | null {
  const requests = indexRequests(observations);
  const shown = new Map<string, Map<string, Shown>>();
  const clocks = new SessionClocks(profile);

  for (let i = 0; i < observations.length; i++) {
    const event = observations[i] as ObserveEvent;
    if (event.phase === 'sent') continue;
    const request = requestOf(requests, event, 'progress-never-lost');
    const x = request.event.key;
    clocks.noteCreation(request.event, event);

    if (x !== '') {
      const loss = lossOf(event, x, shown.get(x), request.index);
      if (loss !== null && clocks.expired(x, request.event, event) && !shownSince(shown.get(x), clocks.goneSince(x, event.servedBy), request.index)) {
        // X expired: what was shown for it is legitimately gone, for this and every later answer.
        shown.delete(x);
      } else if (loss !== null) {
        return {
          property: 'progress-never-lost',
          observationIndex: i,
          event,
          requests: request.requestNumber,
          why: `${servedName(event, nodeNames)} answered ${actorName(event.actor)}'s request about session ${x} with ${loss.answer}, although ${loss.stage} had been shown for ${x} (${loss.shown.how}).`,
        };
      }
    }
    clocks.noteTouch(x, request.event, event, i);

    // What this response shows.
    if (event.status === 401 && event.key !== '') for (const stage of event.tags) show(shown, event.key, stage, i, `in the 401 answering request ${request.requestNumber}`);
    else if (event.detail === 'page:success' && event.key !== '') for (const stage of event.tags) show(shown, event.key, stage, i, `by the fallback success page answering request ${request.requestNumber}`);
    // Any other page (a form, an email-validation page, uia §5 #7512) shows nothing.
    else if (x !== '' && isOperationSuccess(event)) show(shown, x, OPERATION, i, `by the ${event.status} answering request ${request.requestNumber}`);
  }
  return null;
}

/** Whether a stage was shown for the session after observation `goneIndex` and before the
 * request at `requestIndex` was sent: progress an expiry cannot excuse (SessionClocks.goneSince). */
function shownSince(stages: ReadonlyMap<string, Shown> | undefined, goneIndex: number | undefined, requestIndex: number): boolean {
  if (stages === undefined || goneIndex === undefined) return false;
  for (const entry of stages.values()) if (entry.index > goneIndex && entry.index < requestIndex) return true;
  return false;
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
