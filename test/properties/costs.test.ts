import { describe, expect, it } from 'vitest';
import type { MessageKind } from '../../src/message.js';
import type { ObserveEvent, TraceEvent } from '../../src/trace.js';
import { runCase, type Case, type RunOptions } from '../../models/world.js';
import { aggregateCosts, COSTS_BATCH, COSTS_CAP_RUNS, COSTS_MIN_DENOMINATOR, costsOfEvents, costsSampleIsEnough, countRun, latencies, percentile, sampleCosts } from '../../properties/costs.js';
import { listenToRunStarts } from '../../properties/check-case.js';
import { findFaultProfile } from '../../properties/fault-profiles.js';
import { caseOf, client, direct, START } from '../models/helpers.js';

// Nodes of the hand-built deployment.
const APP = 0;
const BROWSER = 1;
const ROUTER = 2;
const READER = 3;
const MAIN = 4;
const DB = 5;

const deliver = (atMs: number, msgId: number, msgKind: MessageKind, from: number, to: number): TraceEvent => ({ kind: 'deliver', atMs, msgId, msgKind, from, to });
const sent = (atMs: number, actor: number, msgId: number): ObserveEvent => ({ kind: 'observe', atMs, actor, msgId, phase: 'sent', status: 0, servedBy: -1, key: 's', detail: 'POST /register', tags: [] });
const received = (atMs: number, actor: number, msgId: number, status: number, detail: string): ObserveEvent => ({
  kind: 'observe',
  atMs,
  actor,
  msgId,
  phase: 'received',
  status,
  servedBy: READER,
  key: status === 401 ? 's' : '',
  detail,
  tags: [],
});

/**
 * One client, five requests:
 * - #10 (app, 0 -> 10 ms): a 401 after one store command: 6 deliveries.
 * - #20 (browser, 500 -> 505 ms): the fallback success page, a 200 that is not a registration: 4.
 * - #30 (app, 1000 -> 1030 ms): registers @usera:test: two commands and a replication notify: 9.
 * - #40 (app, 1030 ms): a retry reaches the router and is dropped; never answered: 1.
 * - #50 (app, 1530 -> 1570 ms): the retry's retry, answered with the same user ID: one command: 6.
 * Plus two timers (a pause, a timeout) and a reset, none of which crossed the network.
 */
function handBuiltTrace(): { events: TraceEvent[]; observations: ObserveEvent[] } {
  const events: TraceEvent[] = [
    sent(0, APP, 10),
    deliver(1, 10, 'request', APP, ROUTER),
    deliver(2, 11, 'request', ROUTER, READER),
    deliver(3, 12, 'command', READER, DB),
    deliver(4, 13, 'result', DB, READER),
    deliver(5, 14, 'response', READER, ROUTER),
    deliver(10, 15, 'response', ROUTER, APP),
    received(10, APP, 10, 401, ''),
    sent(500, BROWSER, 20),
    deliver(501, 20, 'request', BROWSER, ROUTER),
    deliver(502, 21, 'request', ROUTER, MAIN),
    deliver(503, 22, 'response', MAIN, ROUTER),
    deliver(505, 23, 'response', ROUTER, BROWSER),
    received(505, BROWSER, 20, 200, 'page:success'),
    deliver(1000, 24, 'timer', APP, APP),
    sent(1000, APP, 30),
    deliver(1001, 30, 'request', APP, ROUTER),
    deliver(1002, 31, 'request', ROUTER, READER),
    deliver(1005, 32, 'command', READER, DB),
    deliver(1010, 33, 'result', DB, READER),
    deliver(1012, 34, 'command', READER, DB),
    deliver(1020, 35, 'result', DB, READER),
    deliver(1021, 36, 'notify', READER, MAIN),
    deliver(1025, 37, 'response', READER, ROUTER),
    deliver(1030, 38, 'response', ROUTER, APP),
    received(1030, APP, 30, 200, '@usera:test'),
    sent(1030, APP, 40),
    deliver(1031, 40, 'request', APP, ROUTER),
    { kind: 'drop', atMs: 1032, msgId: 41, reason: 'fault' },
    deliver(1040, 42, 'reset', READER, ROUTER),
    deliver(1530, 43, 'timer', APP, APP),
    sent(1530, APP, 50),
    deliver(1531, 50, 'request', APP, ROUTER),
    deliver(1535, 51, 'request', ROUTER, READER),
    deliver(1540, 52, 'command', READER, DB),
    deliver(1550, 53, 'result', DB, READER),
    deliver(1560, 54, 'response', READER, ROUTER),
    deliver(1570, 55, 'response', ROUTER, APP),
    received(1570, APP, 50, 200, '@usera:test'),
  ];
  return { events, observations: events.filter((e): e is ObserveEvent => e.kind === 'observe') };
}

describe('costs of a hand-built trace', () => {
  const trace = handBuiltTrace();

  it('counts requests, network deliveries (not timers, resets or drops), commands and distinct registrations', () => {
    expect(countRun(trace)).toEqual({ requests: 5, networkDeliveries: 6 + 4 + 9 + 1 + 6, storeCommands: 4, operations: 1, latenciesMs: [10, 5, 30, 40], cpuMsOnMain: 0, cpuMs: 0 });
  });

  it('gives each cost exactly', () => {
    expect(costsOfEvents(trace.events, trace.observations)).toEqual({
      runs: 1,
      requests: 5,
      operations: 1,
      answered: 4,
      hopsPerRequest: 26 / 5,
      storeRoundTripsPerOperation: 4,
      hashingOnMainShare: null,
      // Latencies sorted: 5, 10, 30, 40; ranks ceil(0.5 * 4) = 2 and ceil(0.99 * 4) = 4.
      latencyP50Ms: 10,
      latencyP99Ms: 40,
    });
  });

  it('aggregates a sample as ratios of sums, with percentiles over every request of the sample', () => {
    const one = countRun(trace);
    const other = { requests: 3, networkDeliveries: 30, storeCommands: 20, operations: 2, latenciesMs: [100, 200, 300], cpuMsOnMain: 250, cpuMs: 1000 };
    expect(aggregateCosts([one, other])).toEqual({
      runs: 2,
      requests: 8,
      operations: 3,
      answered: 7,
      hopsPerRequest: 56 / 8,
      storeRoundTripsPerOperation: 24 / 3,
      // The hand-built run hashed nothing; the other spent 250 of its 1000 CPU ms on main.
      hashingOnMainShare: 0.25,
      // 5, 10, 30, 40, 100, 200, 300: ranks 4 and 7.
      latencyP50Ms: 40,
      latencyP99Ms: 300,
    });
  });

  it('says n/a (null) rather than dividing by zero', () => {
    expect(aggregateCosts([])).toEqual({ runs: 0, requests: 0, operations: 0, answered: 0, hopsPerRequest: null, storeRoundTripsPerOperation: null, hashingOnMainShare: null, latencyP50Ms: null, latencyP99Ms: null });
    const onlyA401 = handBuiltTrace().events.slice(0, 8);
    const costs = costsOfEvents(onlyA401, onlyA401.filter((e): e is ObserveEvent => e.kind === 'observe'));
    expect(costs.hopsPerRequest).toBe(6);
    expect(costs.storeRoundTripsPerOperation).toBeNull();
  });

  it('two different user IDs are two operations; a 401 or another 200 is none', () => {
    const obs = [sent(0, APP, 1), received(5, APP, 1, 200, '@a:test'), sent(0, 2, 2), received(9, 2, 2, 200, '@b:test'), sent(10, APP, 3), received(12, APP, 3, 401, '')];
    expect(countRun({ events: [], observations: obs }).operations).toBe(2);
  });

  it('refuses an uncaptured run, and an answer to a request never sent', () => {
    expect(() => countRun({ events: null, observations: [] })).toThrow(/capture/);
    expect(() => latencies([received(5, APP, 1, 200, '@a:test')])).toThrow(/never observed being sent/);
  });
});

describe('percentile (nearest rank)', () => {
  it('picks the value at rank ceil(p / 100 * n)', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile([1], 0)).toThrow();
  });
});

describe('costs of real runs', () => {
  // One client completing every stage directly: no fallback, so memory-1.8 does not lose it.
  const registers = client([START, direct('m.login.recaptcha'), direct('m.login.terms'), direct('m.login.dummy')]);

  function costsOf(c: Case) {
    const result = runCase(c, { capture: true });
    return { result, costs: aggregateCosts([countRun(result)]) };
  }

  it('sql pays more store round trips per registration than memory-1.8, whose only commands are the users table', () => {
    const memory = costsOf(caseOf('memory-1.8', [registers]));
    const sql = costsOf(caseOf('sql', [registers]));
    for (const run of [memory, sql]) {
      expect(run.costs.operations).toBe(1);
      // Every answered request crossed app -> router -> process -> router -> app at least.
      expect(run.costs.hopsPerRequest).toBeGreaterThanOrEqual(4);
      expect(run.costs.latencyP99Ms).toBeGreaterThanOrEqual(run.costs.latencyP50Ms ?? Infinity);
    }
    // memory-1.8 keeps sessions in the process: every command it sends goes to the database.
    const memoryCommands = (memory.result.events ?? []).filter((e) => e.kind === 'deliver' && e.msgKind === 'command');
    expect(memoryCommands.length).toBeGreaterThan(0);
    // (and the captcha checker's siteverify calls go to the captcha service, uia §1.5)
    for (const e of memoryCommands) if (e.kind === 'deliver') expect(['db', 'captcha']).toContain(memory.result.nodeNames[e.to]);
    expect(sql.costs.storeRoundTripsPerOperation).toBeGreaterThan(memory.costs.storeRoundTripsPerOperation ?? Infinity);
    expect(sql.costs.hopsPerRequest).toBeGreaterThan(memory.costs.hopsPerRequest ?? Infinity);
  });

  it('a sample is a pure function of (settings, runs, seed)', () => {
    const steady = findFaultProfile('steady');
    if (steady === undefined) throw new Error('no steady fault profile');
    const settings = { strategy: 'redis-hash', profile: 'head' as const, faultProfile: steady, workload: 'registration' };
    const once = sampleCosts(settings, 10, 1, 10);
    expect(sampleCosts(settings, 10, 1, 10)).toEqual(once);
    expect(once.runs).toBe(10);
  });

  /** Samples sql's steady registration costs, and the strategies of the runs it told the run-start listener of. */
  function sampleListened(minRuns: number, capRuns: number, runOptions: RunOptions = {}): { sample: ReturnType<typeof sampleCosts>; started: string[] } {
    const steady = findFaultProfile('steady');
    if (steady === undefined) throw new Error('no steady fault profile');
    const started: string[] = [];
    listenToRunStarts((c) => started.push(c.strategy));
    try {
      return { sample: sampleCosts({ strategy: 'sql', profile: 'head', faultProfile: steady, workload: 'registration', runOptions }, minRuns, 1, capRuns), started };
    } finally {
      listenToRunStarts(null);
    }
  }

  it("tells the run-start listener of every run it makes (a worker's watchdog counts them, so a long sample is not taken for a hung one)", () => {
    const { sample, started } = sampleListened(12, 12);
    expect(started).toHaveLength(sample.runs);
    expect(started).toEqual(Array(12).fill('sql'));
  });

  it('stops at the first run that throws and reports no costs: a broken store is not re-run to the cap', () => {
    // A step budget of 5 events: every run throws "run exceeded its step budget".
    const { sample, started } = sampleListened(12, COSTS_CAP_RUNS, { stepBudget: 5 });
    expect(started).toEqual(['sql']);
    expect(sample).toMatchObject({ runs: 1, requests: 0, operations: 0, answered: 0, hopsPerRequest: null, latencyP50Ms: null });
  });

  it('grows batch by batch until every denominator is at least 100, over the same cases for every strategy on a profile', () => {
    const steady = findFaultProfile('steady');
    if (steady === undefined) throw new Error('no steady fault profile');
    const sample = (strategy: string) => sampleCosts({ strategy, profile: 'head', faultProfile: steady, workload: 'registration' }, 50, 1);
    const sql = sample('sql');
    const redisHash = sample('redis-hash');
    for (const costs of [sql, redisHash]) {
      expect(costsSampleIsEnough(costs)).toBe(true);
      expect(costs.operations).toBeGreaterThanOrEqual(COSTS_MIN_DENOMINATOR);
      expect(costs.runs % COSTS_BATCH).toBe(0);
    }
    // Both stores complete every registration of these steady cases: the same operations.
    expect(redisHash.operations).toBe(sql.operations);
    expect(redisHash.runs).toBe(sql.runs);
  });

  it('hashing on main: all of it when every UIA request goes to main, a minority when /register is spread over the workers', () => {
    const steady = findFaultProfile('steady');
    if (steady === undefined) throw new Error('no steady fault profile');
    const share = (strategy: string, profile: '1.8' | 'head'): number | null => sampleCosts({ strategy, profile, faultProfile: steady, workload: 'registration' }, 20, 1, 20).hashingOnMainShare;
    expect(share('main-only', '1.8')).toBe(1);
    // head hashes a registration's password on its first 401 (uia §2.10), on the worker that answers it.
    expect(share('sql', 'head')).toBeLessThan(0.5);
  });
});
