import { identityOf, operationLine } from '../../models/clients/operations.js';
import { actorName, appActor, browserActor, clientIp, clientLabel, operationOf } from '../../models/clients/workload.js';
import type { Case, RunResult } from '../../models/world.js';
import { DATABASE } from '../../models/topologies/synapse-workers.js';
import type { ObserveEvent } from '../../src/trace.js';
import type { Violation } from '../violation.js';
import { isNotServed } from './trace-view.js';

/**
 * The rounds a persistent client must have begun after the heal before it is judged stuck.
 * Liveness asks that the client finish eventually, so one failed round is not enough: a round can
 * fail with no fault at all on a strategy whose processes learn of a stage late. sql-cached's
 * worker answers from its cache until the replication stream's invalidation arrives (about
 * 100 ms), and a client that resubmits at once sees `completed` without the stage it just did;
 * the next round sees every stage (models/expectations.ts). With one round,
 * `compare --workload registration --property liveness --strategies sql-cached --faults
 * store-restart --seed 1` marked it STUCK (1/500): its heal came late (a 500 from a dead pooled
 * connection at 40 s), so the client's third round, at 60 s, was its only one after the heal, and
 * it met the lag. A strategy that is stuck fails every round, the second as the first.
 */
export const ROUNDS_AFTER_HEAL = 2;

/**
 * liveness (docs/architecture.md "Properties"): after the last fault heals, every client that follows the
 * protocol finishes. The clients that follow it are the case's persistent ones: after their own
 * steps they complete the first flow the server offers, starting over when their session is
 * gone, for a bounded number of rounds (models/clients/client-script.ts). A persistent client
 * whose operation never succeeded (no 2xx to the operation's own request: registration, password
 * change, ...) although it began at least ROUNDS_AFTER_HEAL rounds after the last fault healed
 * (the last restart, the end of the last partition; RunResult.roundStartsMs) violates liveness;
 * one with fewer is inconclusive, and one whose last answer is a spec-allowed terminal error (a
 * 4xx but 401 and 404) has finished, not a violation. Rounds are counted, not requests: a round
 * that fails is shorter than one that succeeds (no dummy stage while the fallback stages are not
 * listed; one password request for an account endpoint).
 */
export function checkLiveness(c: Case, result: RunResult): Violation | null {
  let healedAtMs = 0;
  const down = new Set<number>();
  for (const event of result.lifecycle) {
    if (event.kind === 'restart') {
      healedAtMs = Math.max(healedAtMs, event.atMs);
      down.delete(event.node);
    } else {
      down.add(event.node);
    }
  }
  // A process still down when the run ended never healed: nothing to judge.
  if (down.size > 0) return null;
  // A database restart has healed for the clients only once its aftermath is spent: each Synapse
  // process's pooled connections to the old database are dead, and the first call on each is
  // answered 500 (src/connection-pool.ts; real Synapse does the same, docs/real.md). Each such
  // 500 after the restart costs a persistent client a round or a stage: compare --workload
  // registration --property liveness --seed 2 found sql under store-restart violated, app A
  // meeting reader1's, reader2's and main's dead connection in turn, one in each of its 3 rounds.
  // So the heal moves past every 5xx a process answered after the database's last restart.
  const database = result.nodeNames.indexOf(DATABASE);
  let databaseBackMs = -1;
  for (const event of result.lifecycle) if (event.kind === 'restart' && event.node === database) databaseBackMs = event.atMs;
  if (databaseBackMs >= 0) {
    for (const event of result.observations) {
      if (event.phase === 'received' && event.status >= 500 && event.servedBy >= 0 && event.atMs >= databaseBackMs) healedAtMs = Math.max(healedAtMs, event.atMs);
    }
  }
  for (const fault of c.faultPlan.faults) if (fault.kind === 'partition') healedAtMs = Math.max(healedAtMs, fault.untilMs);
  // A slow or failing captcha service heals when its last window ends.
  for (const window of c.captcha?.windows ?? []) healedAtMs = Math.max(healedAtMs, window.untilMs);

  for (let client = 0; client < c.workload.clients.length; client++) {
    const spec = c.workload.clients[client];
    if (spec?.persistent !== true) continue;
    const operation = operationOf(spec);
    const line = operationLine(operation, identityOf(`user${clientLabel(client).toLowerCase()}`, clientIp(client)));
    const operationRequests = new Set<number>();
    const actors = new Set([appActor(client), browserActor(client)]);
    let succeeded = false;
    let sentAfterHeal = 0;
    let requests = 0;
    let lastAnswer: { readonly event: ObserveEvent; readonly index: number; readonly requests: number } | null = null;
    const requestNumber = new Map<number, number>();
    /** The client's answers other than 401s (the obstacle, usually), counted. */
    const obstacles = new Map<string, number>();
    result.observations.forEach((event, index) => {
      if (event.phase === 'sent') {
        requests++;
        requestNumber.set(event.msgId, requests);
        if (actors.has(event.actor) && event.atMs >= healedAtMs) sentAfterHeal++;
        if (actors.has(event.actor) && event.detail === line) operationRequests.add(event.msgId);
        return;
      }
      if (!actors.has(event.actor)) return;
      if (event.status >= 200 && event.status < 300 && operationRequests.has(event.msgId)) succeeded = true;
      if (event.status !== 401 && event.status !== 200) {
        const served = event.servedBy >= 0 ? (result.nodeNames[event.servedBy] ?? `node ${event.servedBy}`) : 'the router';
        const answer = `${event.status}${event.detail === '' ? '' : ` ${event.detail}`} from ${served}`;
        obstacles.set(answer, (obstacles.get(answer) ?? 0) + 1);
      }
      lastAnswer = { event, index, requests: requestNumber.get(event.msgId) ?? requests };
    });
    let roundsAfterHeal = 0;
    for (const startMs of result.roundStartsMs[client] ?? []) if (startMs >= healedAtMs) roundsAfterHeal++;
    if (succeeded || roundsAfterHeal < ROUNDS_AFTER_HEAL || lastAnswer === null) continue;
    const last = lastAnswer as { readonly event: ObserveEvent; readonly index: number; readonly requests: number };
    // A spec-allowed terminal error ends the client's attempt legitimately: a 4xx other than the
    // 401 of an ongoing UIA and the 404 or M_UNRECOGNIZED of an endpoint the process does not mount (M_USER_IN_USE
    // after a registration whose answer was lost, say), and a 401 that is not UIA's (no session:
    // the token is gone, M_UNKNOWN_TOKEN after a deactivation in another tab).
    const status = last.event.status;
    if (status >= 400 && status < 500 && status !== 401 && !isNotServed(last.event)) continue;
    if (status === 401 && last.event.key === '' && /^M_(UNKNOWN|MISSING)_TOKEN/.test(last.event.detail)) continue;
    const served = last.event.servedBy >= 0 ? (result.nodeNames[last.event.servedBy] ?? `node ${last.event.servedBy}`) : 'the router';
    const answer = `${last.event.status}${last.event.detail === '' ? '' : ` ${last.event.detail}`}`;
    let obstacle = '';
    let most = 0;
    for (const [text, count] of obstacles) if (count > most) [obstacle, most] = [text, count];
    return {
      property: 'liveness',
      observationIndex: last.index,
      event: last.event,
      requests: last.requests,
      why:
        `${actorName(appActor(client))} followed the protocol but never ${operation === 'register' ? 'registered' : `completed its ${operation} (${line})`}: it began ${roundsAfterHeal} rounds (${sentAfterHeal} requests) after the last fault healed (at ${healedAtMs} ms), ` +
        `and the last answer was ${answer} from ${served}` +
        (most === 0 ? '.' : `; the answer in its way: ${obstacle} (${most} times).`),
    };
  }
  return null;
}
