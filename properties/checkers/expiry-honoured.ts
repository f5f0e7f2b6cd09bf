import { actorName } from '../../models/clients/workload.js';
import { FACTS } from '../../models/synapse/facts.js';
import type { Profile } from '../../models/synapse/profile.js';
import type { FactEvent, LifecycleEvent, ObserveEvent } from '../../src/trace.js';
import type { Violation } from '../violation.js';
import { blockedStretches, sweepDeadlineMs, type Blocked } from './sweep-deadline.js';
import { describeAnswer, factsByKey, indexRequests, isOperationSuccess, latestAtOrBefore, requestOf, servedName, type SentRequest } from './trace-view.js';

/** Room for the sweep's own round trip to the store and the request's way to the server. */
export const SWEEP_ROUND_TRIP_SLACK_MS = 10_000;

export interface ExpiryTrace {
  readonly observations: readonly ObserveEvent[];
  readonly facts: readonly FactEvent[];
  readonly lifecycle: readonly LifecycleEvent[];
  readonly profile: Profile;
  readonly nodeNames: readonly string[];
}

/**
 * expiry-honoured (docs/architecture.md "Properties"): no session is usable after its expiry plus one sweep
 * interval once the sweeping process is up; none comes back after it is swept.
 *
 * A response *uses* session X when it treats X as known and alive, answering a request about X:
 * a 401 naming X; the fallback success page for X, when a `stage-passed` fact for X lies
 * between the request's sending and the answer's receipt; a 2xx operation (not a page), when an
 * `operation` fact for X does (1.8's fallback shows success for a session it does not hold, and
 * its /register may complete a fresh session: neither uses X, uia §2.2). Judged only for requests
 * sent after the moment in question, so that an answer already under way when the session went
 * is never blamed.
 *
 * 1.13+ (absolute, uia §2.8): X is created at its latest `session-created` fact c.
 * - Swept: a `sweep` fact (any process) whose threshold >= c deleted X (`creation_time <=
 *   threshold`); a request about X sent after that fact must not use X.
 * - Deadline: X expires at c + 48 h; a sweep runs every `sweepEveryMs` on the background-tasks
 *   process, so by the end of the first whole sweep interval after expiry throughout which no
 *   process or store was down and no partition was on (./sweep-deadline.ts, conservative), plus
 *   SWEEP_ROUND_TRIP_SLACK_MS, X is gone, whether the store sweeps or expires keys itself (a
 *   Redis TTL from creation).
 * 1.8 (sliding per process, uia §2.2): X lives on the process P of its `session-created` fact and
 * only P's answers can use it. Its last use there is bounded from the client's side by the
 * receive time of the last answer from P about X (or naming X).
 * - Swept: a `sweep` fact of P whose threshold is past X's creation and past every answer from
 *   P about X sent before the sweep (1.8 prunes entries last used before the threshold) deleted
 *   X, unless a request about X sent before the sweep has no answer yet or at all (its use of X
 *   may be as late as the sweep: not judged).
 * - Deadline: last use + 48 h + one sweep interval (24 h), moved by faults as above; requests with
 *   no answer whose use of X is unknown leave X unjudged.
 */
export function checkExpiryHonoured(trace: ExpiryTrace, partitions: readonly Blocked[] = []): Violation | null {
  const { observations, facts, profile, nodeNames } = trace;
  const requests = indexRequests(observations);
  const created = factsByKey(facts, FACTS.sessionCreated);
  const sweeps = facts.filter((f) => f.name === FACTS.sweep);
  const passed = factsByKey(facts, FACTS.stagePassed);
  const operations = factsByKey(facts, FACTS.operation);
  const blocked = blockedStretches(trace.lifecycle, partitions);
  const sliding = profile.expiry.kind === 'sliding';
  /** Request id -> its answer. */
  const answers = new Map<number, ObserveEvent>();
  for (const o of observations) if (o.phase === 'received') answers.set(o.msgId, o);

  for (let i = 0; i < observations.length; i++) {
    const event = observations[i] as ObserveEvent;
    if (event.phase === 'sent') continue;
    const request = requestOf(requests, event, 'expiry-honoured');
    const x = request.event.key;
    if (x === '') continue;
    const creation = latestAtOrBefore(created.get(x), event.atMs);
    if (creation === undefined) continue; // a session nobody created is no-phantom-stage's business
    if (sliding && event.servedBy !== creation.node) continue;
    const sentMs = request.event.atMs;
    const factBetween = (list: readonly FactEvent[] | undefined): boolean =>
      (list ?? []).some((f) => f.atMs >= sentMs && f.atMs <= event.atMs && (!sliding || f.node === creation.node));
    const usesX =
      event.status === 401 ? event.key === x : event.detail === 'page:success' ? event.key === x && factBetween(passed.get(x)) : isOperationSuccess(event) && factBetween(operations.get(x));
    if (!usesX) continue;
    const owner = nodeNames[creation.node] ?? `node ${creation.node}`;
    const answered = `${servedName(event, nodeNames)} answered ${actorName(event.actor)}'s request ${request.requestNumber} about session ${x} (sent at ${sentMs} ms) with ${describeAnswer(event)}`;
    const at = { property: 'expiry-honoured' as const, observationIndex: i, event, requests: request.requestNumber };

    // Swept, and back.
    for (const sweep of sweeps) {
      if (sweep.atMs >= sentMs) break;
      const thresholdMs = Number(sweep.detail);
      if (thresholdMs < creation.atMs) continue;
      if (sliding && (sweep.node !== creation.node || !lastUsedBefore(x, creation, sweep.atMs, thresholdMs, requests, answers))) continue;
      return {
        ...at,
        fact: sweep,
        why: `${answered}, although the sweep on ${nodeNames[sweep.node] ?? `node ${sweep.node}`} at ${sweep.atMs} ms, which deletes every session ${sliding ? 'last used before' : 'created at or before'} ${thresholdMs} ms, had to remove ${x} (created on ${owner} at ${creation.atMs} ms${sliding ? ', and not used there since' : ''}): a swept session must never come back (uia §2.8).`,
      };
    }

    // Past its deadline.
    const dueMs = sliding ? lastUseUpperBound(x, creation, sentMs, requests, answers) + profile.expiry.expiryMs : creation.atMs + profile.expiry.expiryMs;
    const deadlineMs = sweepDeadlineMs(dueMs, profile.expiry.sweepEveryMs, blocked);
    if (sentMs > deadlineMs + SWEEP_ROUND_TRIP_SLACK_MS) {
      return {
        ...at,
        why: `${answered}, although ${x} (created on ${owner} at ${creation.atMs} ms) expired at ${dueMs} ms (${sliding ? '48 h after its last use, sliding' : '48 h after creation, absolute'}) and a whole sweep interval had passed by ${deadlineMs} ms with nothing down (uia §2.8).`,
      };
    }
  }
  return null;
}

/** The requests that may have used x on its process: about x, or answered naming x. */
function* touching(x: string, requests: ReadonlyMap<number, SentRequest>, answers: ReadonlyMap<number, ObserveEvent>): Generator<{ request: ObserveEvent; answer: ObserveEvent | undefined }> {
  for (const request of requests.values()) {
    const answer = answers.get(request.event.msgId);
    if (request.event.key === x || answer?.key === x) yield { request: request.event, answer };
  }
}

/** 1.8: whether x surely was last used on its process before `thresholdMs`, as far as the
 * requests sent before the sweep at `sweepMs` can tell. */
function lastUsedBefore(
  x: string,
  creation: FactEvent,
  sweepMs: number,
  thresholdMs: number,
  requests: ReadonlyMap<number, SentRequest>,
  answers: ReadonlyMap<number, ObserveEvent>,
): boolean {
  if (creation.atMs >= thresholdMs) return false;
  for (const { request, answer } of touching(x, requests, answers)) {
    if (request.atMs >= sweepMs) continue;
    if (answer === undefined || answer.atMs >= sweepMs) return false; // its use of x is unknown
    // An answer of the router itself (a 502) may hide a request that reached the process.
    if ((answer.servedBy === creation.node || answer.servedBy < 0) && answer.atMs >= thresholdMs) return false;
  }
  return true;
}

/** 1.8: the latest x may have been used on its process before a request sent at `sentMs`, from
 * the receive times of the answers; Infinity when a request's use of x is unknown. */
function lastUseUpperBound(
  x: string,
  creation: FactEvent,
  sentMs: number,
  requests: ReadonlyMap<number, SentRequest>,
  answers: ReadonlyMap<number, ObserveEvent>,
): number {
  let lastMs = creation.atMs;
  for (const { request, answer } of touching(x, requests, answers)) {
    if (request.atMs >= sentMs) continue;
    if (answer === undefined) return Infinity;
    if (answer.servedBy === creation.node || answer.servedBy < 0) lastMs = Math.max(lastMs, answer.atMs);
  }
  return lastMs;
}
