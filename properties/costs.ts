import { CAPTCHA_SERVICE } from '../models/synapse/captcha-service.js';
import { MAIN } from '../models/topologies/synapse-workers.js';
import type { MessageKind } from '../src/message.js';
import type { ObserveEvent, TraceEvent } from '../src/trace.js';
import { runCase, type RunOptions, type RunResult } from '../models/world.js';
import type { CaseSettings } from './case-arbitrary.js';
import { columnCases } from './cell.js';
import { noteRunStart } from './check-case.js';

/**
 * Per-strategy costs, read off trace events (docs/architecture.md "Strategies"; issue 5 item 3).
 *
 * Definitions, for one run (`countRun`) and summed over a sample of runs (`aggregateCosts`):
 * - **request**: an HTTP request a client-side actor (an app tab or a browser) sends to the
 *   router: an `observe` event of phase `sent`. Retries after a timeout are requests too.
 * - **network delivery**: a `deliver` event whose message crossed the network between two
 *   nodes: kinds `request`, `response`, `command`, `result` and `notify`. Timers (a node waking
 *   itself: user pauses, timeouts, sweeps) are not; nor are resets (the engine's stand-in for a
 *   refused or cut connection, sent by nobody; they only occur under faults). Messages that
 *   were dropped are not delivered and do not count.
 * - **hops per request** = network deliveries / requests. Every delivery of a run is charged to
 *   the client requests of that run, including background traffic (the expiry sweep's
 *   commands, replication notifies), which the requests' sessions make necessary.
 * - **store command**: a `deliver` of kind `command`: one round trip from a Synapse process to a
 *   backend node (an SQL transaction on the database, a Redis command, an RPC to main's
 *   in-memory store), counted once, when the command arrives (its `result` is the other half of
 *   the same round trip). This includes the database's users table (registering the account),
 *   which every strategy pays alike; a process-local memory store sends nothing.
 * - **completed operation**: a registration that succeeded: a `received` observation with
 *   status 200 whose detail is a user ID (starts with `@`). A user ID counts once per run, so a
 *   retry answered with the same `user_id` (uia §2.4 idempotency) is not a second operation.
 * - **store round trips per operation** = store commands / completed operations.
 * - **latency** of a request = the virtual time of its `received` observation minus that of its
 *   `sent` observation (joined by the request's message id). A user's pauses fall between
 *   requests, never inside one, so they are excluded by construction. A request never answered
 *   (timed out, reset, its response dropped) has no latency and is left out.
 * - **p50 / p99**: nearest-rank percentiles over the latencies of every request of the sample:
 *   the value at 1-based rank ceil(p / 100 * n) of the n latencies sorted ascending.
 * - **share of password hashing on main**: of the virtual CPU milliseconds the run's processes
 *   spent (every CPU effect of the model is a bcrypt hash or check, models/synapse/accounts.ts),
 *   the share main spent: where a strategy puts the load that slows every other request of the
 *   process doing it. `null` when the sample hashed nothing.
 * Ratios over a sample are ratios of sums (total deliveries / total requests), not means of
 * per-run ratios, so a run with many requests weighs more than a run with few.
 */

/** Kinds of message that cross the network (see the definitions above). */
export const NETWORK_MESSAGE_KINDS: ReadonlySet<MessageKind> = new Set<MessageKind>(['request', 'response', 'command', 'result', 'notify']);


/** What one run contributes to a strategy's costs. */
export interface RunCounts {
  /** Client requests: `observe` events of phase `sent`. */
  readonly requests: number;
  /** `deliver` events of the kinds in NETWORK_MESSAGE_KINDS. */
  readonly networkDeliveries: number;
  /** `deliver` events of kind `command`. */
  readonly storeCommands: number;
  /** Distinct user IDs in 200 responses. */
  readonly operations: number;
  /** received.atMs - sent.atMs of every answered request, in the order of the answers. */
  readonly latenciesMs: readonly number[];
  /** Virtual CPU ms (password hashing) spent by main, and by every node. */
  readonly cpuMsOnMain: number;
  readonly cpuMs: number;
}

/** The costs of one strategy over a sample of runs; plain data (it crosses thread boundaries). */
export interface StrategyCosts {
  readonly runs: number;
  readonly requests: number;
  readonly operations: number;
  /** Requests answered: the latencies' denominator. */
  readonly answered: number;
  /** null when the sample holds no request. */
  readonly hopsPerRequest: number | null;
  /** null when the sample holds no completed operation. */
  readonly storeRoundTripsPerOperation: number | null;
  /** null when the sample hashed no password. */
  readonly hashingOnMainShare: number | null;
  /** null when no request of the sample was answered. */
  readonly latencyP50Ms: number | null;
  readonly latencyP99Ms: number | null;
}

/** The counts of one run, from its captured events and its observations. */
export function countRun(run: Pick<RunResult, 'events' | 'observations'> & { readonly nodeNames?: readonly string[]; readonly cpuMsByNode?: readonly number[] }): RunCounts {
  if (run.events === null) throw new Error('costs: the run was not captured (run it with `capture: true`)');
  let networkDeliveries = 0;
  let storeCommands = 0;
  for (const event of run.events) {
    if (event.kind !== 'deliver') continue;
    if (NETWORK_MESSAGE_KINDS.has(event.msgKind)) networkDeliveries++;
    // The captcha's siteverify (uia §1.5) is an outbound call, not a store round trip.
    if (event.msgKind === 'command' && run.nodeNames?.[event.to] !== CAPTCHA_SERVICE) storeCommands++;
  }
  let cpuMs = 0;
  let cpuMsOnMain = 0;
  (run.cpuMsByNode ?? []).forEach((ms, node) => {
    cpuMs += ms;
    if (run.nodeNames?.[node] === MAIN) cpuMsOnMain += ms;
  });
  return {
    requests: countRequests(run.observations),
    networkDeliveries,
    storeCommands,
    operations: countOperations(run.observations),
    latenciesMs: latencies(run.observations),
    cpuMsOnMain,
    cpuMs,
  };
}

export function countRequests(observations: readonly ObserveEvent[]): number {
  let n = 0;
  for (const o of observations) if (o.phase === 'sent') n++;
  return n;
}

/** Distinct user IDs a client-side actor received in a 200. */
export function countOperations(observations: readonly ObserveEvent[]): number {
  const users = new Set<string>();
  for (const o of observations) if (o.phase === 'received' && o.status === 200 && o.detail.startsWith('@')) users.add(o.detail);
  return users.size;
}

/** received.atMs - sent.atMs per answered request, joined by message id. */
export function latencies(observations: readonly ObserveEvent[]): number[] {
  const sentAt = new Map<number, number>();
  const out: number[] = [];
  for (const o of observations) {
    if (o.phase === 'sent') {
      sentAt.set(o.msgId, o.atMs);
      continue;
    }
    const sent = sentAt.get(o.msgId);
    if (sent === undefined) throw new Error(`costs: response to request #${o.msgId}, which was never observed being sent`);
    // A request is answered at most once; a second answer would be a model bug.
    sentAt.delete(o.msgId);
    out.push(o.atMs - sent);
  }
  return out;
}

/** Nearest-rank percentile: the value at 1-based rank ceil(p / 100 * n) of `values` sorted
 * ascending; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  if (!(p > 0 && p <= 100)) throw new Error(`costs: percentile ${p} is not in (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] as number;
}

/** Sums the counts of a sample of runs into a strategy's costs (ratios of sums). */
export function aggregateCosts(runs: readonly RunCounts[], drawn = runs.length): StrategyCosts {
  let requests = 0;
  let networkDeliveries = 0;
  let storeCommands = 0;
  let operations = 0;
  let cpuMs = 0;
  let cpuMsOnMain = 0;
  const all: number[] = [];
  for (const r of runs) {
    cpuMs += r.cpuMs;
    cpuMsOnMain += r.cpuMsOnMain;
    requests += r.requests;
    networkDeliveries += r.networkDeliveries;
    storeCommands += r.storeCommands;
    operations += r.operations;
    for (const l of r.latenciesMs) all.push(l);
  }
  return {
    runs: drawn,
    requests,
    operations,
    answered: all.length,
    hopsPerRequest: requests === 0 ? null : networkDeliveries / requests,
    storeRoundTripsPerOperation: operations === 0 ? null : storeCommands / operations,
    hashingOnMainShare: cpuMs === 0 ? null : cpuMsOnMain / cpuMs,
    latencyP50Ms: percentile(all, 50),
    latencyP99Ms: percentile(all, 99),
  };
}

/** The costs of one run's trace (a convenience over countRun and aggregateCosts). */
export function costsOfEvents(events: readonly TraceEvent[], observations: readonly ObserveEvent[]): StrategyCosts {
  return aggregateCosts([countRun({ events, observations })]);
}

/** Costs are sampled in batches of this many runs, until every denominator reaches
 * COSTS_MIN_DENOMINATOR or COSTS_CAP_RUNS runs were drawn. */
export const COSTS_BATCH = 50;
/** The least number of requests, completed operations and answered requests a ratio or a
 * percentile is printed over (docs/compare.md). */
export const COSTS_MIN_DENOMINATOR = 100;
/** The most runs a strategy's costs sample draws; a strategy that completes almost nothing (the
 * pinned worker answers the fallback 404) may end below the minimum, and says so. */
export const COSTS_CAP_RUNS = 2_000;

/** Whether a sample's every denominator reached the minimum. */
export function costsSampleIsEnough(costs: Pick<StrategyCosts, 'requests' | 'operations' | 'answered'>): boolean {
  return costs.requests >= COSTS_MIN_DENOMINATOR && costs.operations >= COSTS_MIN_DENOMINATOR && costs.answered >= COSTS_MIN_DENOMINATOR;
}

/** The denominators of a sample, summed as aggregateCosts does, without sorting its latencies
 * for the percentiles: what sampleCosts asks after every batch. */
function denominators(runs: readonly RunCounts[]): Pick<StrategyCosts, 'requests' | 'operations' | 'answered'> {
  let requests = 0;
  let operations = 0;
  let answered = 0;
  for (const r of runs) {
    requests += r.requests;
    operations += r.operations;
    answered += r.latenciesMs.length;
  }
  return { requests, operations, answered };
}

/**
 * A strategy's costs over its column's cases (the comparison uses `steady`): the same cases, from
 * the same seed, for every strategy on the same Synapse profile, re-run with capture, batch
 * after batch until every denominator is at least COSTS_MIN_DENOMINATOR or COSTS_CAP_RUNS runs
 * were drawn (`minRuns`, when given, is drawn whatever the denominators), or until a run throws
 * (then no costs: `runs` is the number drawn, every ratio n/a). Deterministic: it
 * depends on (settings but the strategy, seed) only.
 */
export function sampleCosts(settings: CaseSettings & { readonly runOptions?: RunOptions }, minRuns: number, seed: number, capRuns = COSTS_CAP_RUNS): StrategyCosts {
  const counted: RunCounts[] = [];
  let drawn = 0;
  for (let batch = 0; drawn < capRuns; batch++) {
    const size = Math.min(Math.max(COSTS_BATCH, minRuns - drawn), capRuns - drawn);
    for (const c of columnCases(settings, size, seed, batch)) {
      drawn++;
      // The watchdog counts run starts: a long sample under load must not look hung.
      noteRunStart(c);
      try {
        // Counted from the captured events; no one reads these runs' trace hash, which costs
        // short runs like these about 15% (docs/performance.md, "Start-up, exploration's garbage").
        counted.push(countRun(runCase(c, { ...settings.runOptions, capture: true, hashTrace: false })));
      } catch {
        // A run that throws (a plug-in's bug, a store that never returns) ends the sample with no
        // costs: its verdict cell reports the error, costs over only the cases that did not throw
        // would be biased, and drawing on to the cap would re-run a broken store up to 2,000 times
        // (a never-returning one spends its whole step budget each time).
        return aggregateCosts([], drawn);
      }
    }
    if (drawn >= minRuns && costsSampleIsEnough(denominators(counted))) break;
  }
  return aggregateCosts(counted, drawn);
}
