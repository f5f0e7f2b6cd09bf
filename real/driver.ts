import type { HttpResponse } from '../src/http.js';
import type { LifecycleEvent, ObserveEvent } from '../src/trace.js';
import { clientScript, TIMED_OUT, type ClientStep } from '../models/clients/client-script.js';
import { responseObservation } from '../models/clients/client-node.js';
import { RoundStarts } from '../models/clients/operations.js';
import { appActor, browserActor, clientIp, clientLabel, operationOf } from '../models/clients/workload.js';
import type { Case, RunResult } from '../models/world.js';
import { PROFILES } from '../models/synapse/profile.js';
import { CAPTCHA_SERVICE } from '../models/synapse/captcha-service.js';
import { DATABASE } from '../models/topologies/synapse-workers.js';
import { crash, freshConnections, openPooledConnection, restart, restartRoundRobin, SYNAPSE_PROCESSES, type DeploymentState } from './deployment.js';
import { renamer, sendReal, type RealResponse } from './http.js';
import { setSiteverifyMode, type SiteverifyMode } from './siteverify.js';
import { pickReady, SessionCorrespondence } from './pairing.js';
import { answeredBeforeCrash, modelAnswersOf, type CrashContext } from './crash-order.js';
import { RealSetupError } from './versions.js';

type Script = Generator<ClientStep, void, HttpResponse>;
interface Lane {
  readonly client: number;
  readonly script: Script;
}
interface Pending {
  readonly lane: Lane;
  readonly step: Extract<ClientStep, { kind: 'http' }>;
  readonly actor: number;
}
interface InFlight extends Pending {
  /** Index of this request's `sent` observation. */
  readonly sentIndex: number;
  readonly answer: Promise<RealResponse>;
  settled: boolean;
  /** The session the answer names ('' for none, or before it is settled). */
  answeredKey: string;
}

/** One real run of a case: the observations as the model's clients record them, and how the
 * real requests line up with the model's. */
export interface RealRun {
  readonly result: RunResult;
  /** Model `sent` observation index -> real `sent` observation index (requests the real client
   * also made, in the model's order). */
  readonly pairs: ReadonlyMap<number, number>;
  /** What the real run could not do as the model did (a partition, a client that went another way). */
  readonly notes: readonly string[];
  /** Raw answers, by real `sent` observation index. */
  readonly raw: ReadonlyMap<number, string>;
  readonly wallMs: number;
}

/** Requests one real run sends at most (the model's clients stop at 80 each). */
const REAL_REQUEST_CAP = 200;
const REAL_TIMEOUT_MS = 30_000;

/** Which deployment process a model node name stands for, for crash and restart. */
function realProcessOf(node: string): string | null {
  if (SYNAPSE_PROCESSES.includes(node)) return node;
  if (node === DATABASE) return 'postgres';
  if (node === CAPTCHA_SERVICE) return 'siteverify';
  return null;
}

/**
 * Runs the case's clients (the model's own client scripts, models/clients/client-script.ts)
 * against the real deployment, in the model's order: the model's captured trace says when each
 * request was sent and when each answer arrived; a request the model sent before an earlier one
 * was answered is sent while that one is in flight. Which ready request stands for the model's
 * next one is pairing.ts's pickReady (the actor, the request, the corresponding session). Crashes and restarts happen where the model
 * has them (SIGKILL, start again and wait until it answers; PostgreSQL: an immediate stop). Pauses
 * and think times take no wall time. When the real answers lead the clients elsewhere than the
 * model, the remaining requests run one after another.
 */
export async function runReal(c: Case, model: RunResult, state: DeploymentState): Promise<RealRun> {
  if (model.events === null) throw new Error('real: the model run must be captured');
  for (const [i, spec] of c.workload.clients.entries()) {
    if (operationOf(spec) !== 'register') throw new RealSetupError(`client ${clientLabel(i)} runs ${operationOf(spec)}: the real deployment runs registration only (docs/real.md "What is covered")`);
  }
  const databaseCrashes = model.events.some((e) => e.kind === 'crash' && model.nodeNames[e.node] === DATABASE);
  const t0 = Date.now();
  const notes: string[] = [];
  const observations: ObserveEvent[] = [];
  const lifecycle: LifecycleEvent[] = [];
  const raw = new Map<number, string>();
  const pairs = new Map<number, number>();
  const baseUrl = `http://127.0.0.1:${state.ports.nginx}`;
  const portToProcess = new Map(Object.entries(state.processPorts).map(([name, port]) => [port, name]));
  const usernames = c.workload.clients.map((_, i) => `user${clientLabel(i).toLowerCase()}`);
  const rename = renamer(usernames, `_${t0.toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`);
  const nodeId = (name: string) => model.nodeNames.indexOf(name);
  /** Processes this run crashed and has not started again. */
  const down = new Set<string>();

  for (const fault of c.faultPlan.faults) if (fault.kind !== 'crash') notes.push(`a ${fault.kind} fault is not applied on the real system`);
  // nginx's round-robin goes on from the deployment's last case, while the model's router starts
  // every run at a pool's first upstream. Which worker a request meets matters when one is down,
  // so a run with a crash starts nginx's round-robin over.
  // The model's events, not the fault plan: an explored path's crashes are the explorer's.
  if (model.events.some((e) => e.kind === 'crash')) await restartRoundRobin(state);
  const queue: Pending[] = [];
  const inFlight = new Map<number, InFlight>();
  let sent = 0;
  let siteverifyMode = 'healthy';
  // When each client's persistent rounds began, on this run's clock (pauses are not waited for
  // here, so a round begins when its first request is sent, as in the model).
  const rounds = c.workload.clients.map(() => new RoundStarts());

  function advance(lane: Lane, input: HttpResponse): void {
    let next = lane.script.next(input);
    for (;;) {
      if (next.done === true) return;
      const step = next.value;
      if (step.kind === 'pause') {
        rounds[lane.client]?.paused(step);
        next = lane.script.next(TIMED_OUT);
      } else if (step.kind === 'spawn') {
        advance({ client: lane.client, script: step.script }, TIMED_OUT);
        next = lane.script.next(TIMED_OUT);
      } else {
        queue.push({ lane, step, actor: step.via === 'app' ? appActor(lane.client) : browserActor(lane.client) });
        return;
      }
    }
  }

  async function fire(pending: Pending, modelAtMs: number | null): Promise<InFlight> {
    if (modelAtMs !== null) await applyCaptcha(modelAtMs);
    const sentIndex = observations.length;
    const sentAtMs = Date.now() - t0;
    rounds[pending.lane.client]?.sent(sentAtMs);
    observations.push({ kind: 'observe', atMs: sentAtMs, actor: pending.actor, msgId: sentIndex, phase: 'sent', status: 0, servedBy: -1, key: pending.step.session, detail: pending.step.what, tags: pending.step.tags });
    sent++;
    const answer = sendReal(baseUrl, pending.step.request, rename, (port) => portToProcess.get(port) ?? '', REAL_TIMEOUT_MS);
    const flight: InFlight = { ...pending, sentIndex, answer, settled: false, answeredKey: '' };
    inFlight.set(sentIndex, flight);
    return flight;
  }

  async function settle(flight: InFlight): Promise<void> {
    if (flight.settled) return;
    flight.settled = true;
    inFlight.delete(flight.sentIndex);
    const real = await flight.answer;
    raw.set(flight.sentIndex, real.raw);
    if (real.response.status === 0) {
      // No answer at all (a timeout, a refused connection): the client gives up on it, as on a model timeout.
      advance(flight.lane, TIMED_OUT);
      return;
    }
    const servedBy = real.servedName === '' ? -1 : nodeId(real.servedName);
    const response = { ...real.response, servedBy };
    const { key, detail, tags } = responseObservation(response);
    flight.answeredKey = key;
    observations.push({ kind: 'observe', atMs: Date.now() - t0, actor: flight.actor, msgId: flight.sentIndex, phase: 'received', status: response.status, servedBy, key, detail, tags });
    advance(flight.lane, response);
  }

  async function applyCaptcha(modelAtMs: number): Promise<void> {
    const window = (c.captcha?.windows ?? []).find((w) => w.fromMs <= modelAtMs && modelAtMs < w.untilMs);
    const mode: SiteverifyMode = window === undefined ? { mode: 'healthy' } : window.mode === 'failing' ? { mode: 'failing' } : { mode: 'slow', delayMs: window.delayMs ?? 0 };
    const key = JSON.stringify(mode);
    if (key === siteverifyMode) return;
    siteverifyMode = key;
    await setSiteverifyMode(state.ports.siteverify, mode);
  }

  c.workload.clients.forEach((spec, index) => advance({ client: index, script: clientScript(spec, usernames[index] as string, clientIp(index)) }, TIMED_OUT));

  // Follow the model's order.
  const modelSentIndex = new Map<number, number>();
  const realOfModelMsg = new Map<number, InFlight>();
  const sessions = new SessionCorrespondence();
  const events = model.events;
  let wallMs = 0;
  model.observations.forEach((o, i) => {
    if (o.phase === 'sent') modelSentIndex.set(o.msgId, i);
  });
  const crashContext: CrashContext = { events, answers: modelAnswersOf(events), processes: SYNAPSE_PROCESSES.map(nodeId) };
  try {
    for (const [index, event] of events.entries()) {
      if (event.kind === 'crash' || event.kind === 'restart') {
        const name = model.nodeNames[event.node] ?? '';
        const processName = realProcessOf(name);
        if (processName === null) {
          notes.push(`a ${event.kind} of ${name} is not applied on the real system`);
          continue;
        }
        if (event.kind === 'crash') {
          // What the model had done before its crash is done before the real one (crash-order.ts).
          const pending = [...realOfModelMsg].filter(([, flight]) => !flight.settled).map(([msgId]) => msgId);
          for (const msgId of answeredBeforeCrash(crashContext, index, pending)) await settle(realOfModelMsg.get(msgId) as InFlight);
          await crash(state, processName);
          down.add(processName);
        } else if (down.delete(processName)) {
          await restart(state, processName);
        } else {
          notes.push(`a restart of ${name}, which this run had not crashed, is not applied on the real system`);
          continue;
        }
        lifecycle.push({ kind: event.kind, atMs: Date.now() - t0, node: event.node, incarnation: event.incarnation });
        continue;
      }
      if (event.kind !== 'observe') continue;
      if (event.phase === 'sent') {
        const at = pickReady(queue, event, sessions.real);
        if (at < 0 || sent >= REAL_REQUEST_CAP) continue;
        const [pending] = queue.splice(at, 1);
        const flight = await fire(pending as Pending, event.atMs);
        realOfModelMsg.set(event.msgId, flight);
        pairs.set(modelSentIndex.get(event.msgId) as number, flight.sentIndex);
      } else {
        const flight = realOfModelMsg.get(event.msgId);
        if (flight === undefined) continue;
        await settle(flight);
        sessions.learn(event.key, flight.answeredKey);
      }
    }
    // The model is done; the real clients may still have answers to take and requests to send.
    for (;;) {
      const waiting = [...inFlight.values()].sort((a, b) => a.sentIndex - b.sentIndex);
      if (waiting.length > 0) {
        for (const flight of waiting) await settle(flight);
        continue;
      }
      const next = queue.shift();
      if (next === undefined || sent >= REAL_REQUEST_CAP) break;
      await settle(await fire(next, null));
    }
    if (queue.length > 0) notes.push(`stopped after ${REAL_REQUEST_CAP} real requests`);
    wallMs = Date.now() - t0;
  } finally {
    // The model's run can end before a restart it had scheduled (the clients were done), or the
    // run can fail: start such a process again, so that the deployment's next case (conform runs
    // many; a `real up` deployment serves later commands) does not meet it down. Not part of
    // this run: its observations and wall time are taken.
    // PostgreSQL first: a Synapse process does not start without its database.
    if (down.delete('postgres')) await restart(state, 'postgres');
    // A database restart leaves every Synapse process's pooled connections dead for the next
    // case, which the model's next run (a fresh world) does not have: each starts again anyway.
    for (const processName of [...down].sort()) {
      const synapse = SYNAPSE_PROCESSES.includes(processName);
      if (databaseCrashes && synapse) continue;
      await restart(state, processName);
      // The next case's model starts it as a process that has served before.
      if (synapse) await openPooledConnection(state, processName);
    }
    if (databaseCrashes) await freshConnections(state);
  }
  const result: RunResult = {
    traceHash: '',
    observations,
    lifecycle,
    facts: [],
    cpuMsByNode: [],
    events: null,
    nodeNames: model.nodeNames,
    profile: PROFILES[c.profile],
    steps: observations.length,
    endMs: wallMs,
    canonicalTapes: c.tapes,
    roundStartsMs: rounds.map((r) => r.startsMs),
  };
  return { result, pairs, notes, raw, wallMs };
}
