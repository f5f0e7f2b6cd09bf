// coverageOf (properties/coverage.ts): what a run reached, on small real runs and by hand.
import { describe, expect, it } from 'vitest';
import { runCase, type RunResult } from '../../models/world.js';
import { PROFILES } from '../../models/synapse/profile.js';
import { coverageOf, CoverageTally, type RunCoverage } from '../../properties/coverage.js';
import type { ClientAction } from '../../models/clients/workload.js';
import type { CrashFault } from '../../src/faults.js';
import type { LifecycleEvent, ObserveEvent } from '../../src/trace.js';
import { caseOf, client, direct, FALLBACK_RECAPTCHA, pause, RESUBMIT, START } from '../models/helpers.js';

function crashAfter(node: string, actor: string, nthResponse: number, downMs: number): CrashFault {
  return { kind: 'crash', node, atMs: 0, after: { actor, nthResponse }, downMs };
}

describe('coverageOf on real runs', () => {
  it('#6705 under sql: one session served by reader1, main and reader2 spans processes', () => {
    const coverage = coverageOf(runCase(caseOf('sql', [client([START, FALLBACK_RECAPTCHA, RESUBMIT])])));
    expect(coverage).toMatchObject({ sessions: 1, sessionsSpanningProcesses: 1, requests: 3, restartBetweenShownAndNext: false });
  });

  it('a session only reader1 serves (memory-1.8, direct stages) does not span processes', () => {
    const coverage = coverageOf(runCase(caseOf('memory-1.8', [client([START, direct('m.login.terms'), direct('m.login.dummy')])])));
    expect(coverage).toMatchObject({ sessions: 1, sessionsSpanningProcesses: 0, requests: 3, restartBetweenShownAndNext: false });
  });

  it('counts the sessions of every client', () => {
    const coverage = coverageOf(
      runCase(caseOf('memory-1.8', [client([START, direct('m.login.dummy')]), client([START, FALLBACK_RECAPTCHA]), client([START, START])])),
    );
    expect(coverage.sessions).toBe(4);
    expect(coverage.sessionsSpanningProcesses).toBe(1);
    expect(coverage.requests).toBe(6);
  });

  it('detects a restart between a shown stage and the next request (a crash anchored to the success page)', () => {
    const c = caseOf('sql', [client([START, FALLBACK_RECAPTCHA, pause(1000), RESUBMIT])], [crashAfter('main', 'browser A', 1, 100)]);
    const result = runCase(c);
    expect(result.lifecycle.map((e) => e.kind)).toEqual(['crash', 'restart']);
    expect(coverageOf(result).restartBetweenShownAndNext).toBe(true);
  });

  it('a restart before anything was shown does not count', () => {
    const c = caseOf('sql', [client([START, pause(1000), FALLBACK_RECAPTCHA, RESUBMIT])], [crashAfter('main', 'app A', 1, 100)]);
    const result = runCase(c);
    expect(result.lifecycle.map((e) => e.kind)).toEqual(['crash', 'restart']);
    expect(coverageOf(result).restartBetweenShownAndNext).toBe(false);
  });

  it('a process still down at the next request has not restarted yet: no', () => {
    const c = caseOf('sql', [client([START, FALLBACK_RECAPTCHA, pause(1000), RESUBMIT])], [crashAfter('main', 'browser A', 1, 60_000)]);
    const result = runCase(c);
    expect(result.lifecycle.map((e) => e.kind)).toEqual(['crash']);
    expect(coverageOf(result).restartBetweenShownAndNext).toBe(false);
  });

  it('1.8: a 401 naming another session than the request\'s (a restarted reader1 silently issues a new one, uia §2.2) counts that session too', () => {
    const c = caseOf('memory-1.8', [client([START, direct('m.login.recaptcha'), pause(1000), RESUBMIT], { adoptsNewSession: false })], [crashAfter('reader1', 'app A', 2, 100)]);
    const result = runCase(c);
    const received = result.observations.filter((o) => o.phase === 'received');
    // The resubmit carried X and got a 401 naming another session; no request ever carries it.
    expect(received.map((o) => o.status)).toEqual([401, 401, 401]);
    expect(received[2]?.key).not.toBe(received[0]?.key);
    expect(coverageOf(result)).toMatchObject({ sessions: 2, sessionsSpanningProcesses: 0, requests: 3, restartBetweenShownAndNext: true });
  });

  it('a 502 from the router is served by no process', () => {
    const c = caseOf('sql', [client([START, direct('m.login.recaptcha')])], [crashAfter('reader2', 'app A', 1, 5000)]);
    const result = runCase(c);
    expect(result.observations.some((o) => o.status === 502)).toBe(true);
    expect(coverageOf(result)).toMatchObject({ sessions: 1, sessionsSpanningProcesses: 0, requests: 2, restartBetweenShownAndNext: false });
  });
});

describe('coverageOf by hand', () => {
  const X = 'x'.repeat(24);
  let nextId = 1;
  const sent = (atMs: number, key: string): ObserveEvent => ({ kind: 'observe', atMs, actor: 0, msgId: nextId++, phase: 'sent', status: 0, servedBy: -1, key, detail: '', tags: [] });
  const got = (request: ObserveEvent, atMs: number, status: number, servedBy: number, key: string, tags: readonly string[], detail = ''): ObserveEvent => ({
    kind: 'observe',
    atMs,
    actor: request.actor,
    msgId: request.msgId,
    phase: 'received',
    status,
    servedBy,
    key,
    detail,
    tags,
  });
  const result = (observations: ObserveEvent[], restarts: number[]): RunResult =>
    ({ observations, lifecycle: restarts.map((atMs): LifecycleEvent => ({ kind: 'restart', atMs, node: 1, incarnation: 2 })), profile: PROFILES.head, traceHash: 'by hand' }) as unknown as RunResult;

  function story(restartAtMs: number): RunResult {
    const a = sent(0, '');
    const b = sent(10, X);
    const c = sent(100, X);
    return result([a, got(a, 5, 401, 2, X, []), b, got(b, 20, 401, 3, X, ['m.login.terms']), c, got(c, 105, 401, 2, X, ['m.login.terms'])], [restartAtMs]);
  }

  it('a restart strictly after the showing response and at or before the next send counts', () => {
    expect(coverageOf(story(20)).restartBetweenShownAndNext).toBe(false);
    expect(coverageOf(story(21)).restartBetweenShownAndNext).toBe(true);
    expect(coverageOf(story(100)).restartBetweenShownAndNext).toBe(true);
    expect(coverageOf(story(101)).restartBetweenShownAndNext).toBe(false);
  });

  it('a 401 naming a session other than the request\'s counts that session, served by the process that named it', () => {
    const Y = 'y'.repeat(24);
    const a = sent(0, '');
    const b = sent(10, X);
    const named = [a, got(a, 5, 401, 2, X, []), b, got(b, 15, 401, 2, Y, [])];
    expect(coverageOf(result(named, []))).toMatchObject({ sessions: 2, sessionsSpanningProcesses: 0, requests: 2, restartBetweenShownAndNext: false });
    // Y was served by reader1 when it was named, then by reader2: it spans processes.
    const c = sent(20, Y);
    expect(coverageOf(result([...named, c, got(c, 25, 401, 3, Y, [])], []))).toMatchObject({ sessions: 2, sessionsSpanningProcesses: 1, requests: 3, restartBetweenShownAndNext: false });
  });

  it('a 401 with no completed stages shows nothing; a success page does', () => {
    const a = sent(0, '');
    const b = sent(10, X);
    const onlyChallenge = result([a, got(a, 5, 401, 2, X, []), b, got(b, 15, 401, 2, X, [])], [7]);
    expect(coverageOf(onlyChallenge).restartBetweenShownAndNext).toBe(false);
    const page = sent(20, X);
    const next = sent(40, X);
    const withPage = result([a, got(a, 5, 401, 2, X, []), page, got(page, 25, 200, 1, X, ['m.login.recaptcha'], 'page:success'), next, got(next, 45, 401, 3, X, [])], [30]);
    expect(coverageOf(withPage)).toMatchObject({ sessions: 1, sessionsSpanningProcesses: 1, requests: 3, restartBetweenShownAndNext: true });
  });
});

describe('coverageOf: two requests of one session in flight, a session crossing its expiry', () => {
  const CONCURRENT_CAPTCHA: ClientAction = { kind: 'fallback', stage: 'm.login.recaptcha', loadsPage: false, concurrent: true };
  const HOUR_MS = 3_600_000;

  it('the browser posting the captcha while the app completes terms: two requests of one session in flight', () => {
    const coverage = coverageOf(runCase(caseOf('sql', [client([START, CONCURRENT_CAPTCHA, direct('m.login.terms')])])));
    expect(coverage.concurrentRequestsOfOneSession).toBe(true);
  });

  it('the same steps one after the other: never two in flight', () => {
    const coverage = coverageOf(runCase(caseOf('sql', [client([START, FALLBACK_RECAPTCHA, direct('m.login.terms')])])));
    expect(coverage.concurrentRequestsOfOneSession).toBe(false);
  });

  it('uia §2.8 (1.13+): a request 49 h after the creating one crosses the expiry; 47 h does not', () => {
    const at = (hours: number): boolean => coverageOf(runCase(caseOf('sql', [client([START, direct('m.login.terms'), pause(hours * HOUR_MS), RESUBMIT])]))).sessionCrossedExpiry;
    expect(at(49)).toBe(true);
    expect(at(47)).toBe(false);
  });

  it('uia §2.2 (1.8): sliding, 48 h without a request about the session', () => {
    const at = (hours: number): boolean =>
      coverageOf(runCase(caseOf('memory-1.8', [client([START, pause(30 * HOUR_MS), direct('m.login.terms'), pause(hours * HOUR_MS), RESUBMIT])]))).sessionCrossedExpiry;
    expect(at(47)).toBe(false);
    expect(at(49)).toBe(true);
  });
});

describe('coverageOf by hand: in flight', () => {
  const X = 'x'.repeat(24);
  let nextId = 100;
  const sent = (atMs: number, actor: number, key: string): ObserveEvent => ({ kind: 'observe', atMs, actor, msgId: nextId++, phase: 'sent', status: 0, servedBy: -1, key, detail: '', tags: [] });
  const got = (request: ObserveEvent, atMs: number): ObserveEvent => ({ ...request, atMs, phase: 'received', status: 401, servedBy: 2, key: X });
  const run = (observations: ObserveEvent[]): RunResult => ({ observations, lifecycle: [], profile: PROFILES.head, traceHash: 'h' }) as unknown as RunResult;

  it('two actors, one session, the second sent before the first is answered: in flight at once', () => {
    const a = sent(0, 0, X);
    const b = sent(1, 1, X);
    expect(coverageOf(run([a, b, got(a, 5), got(b, 6)])).concurrentRequestsOfOneSession).toBe(true);
    const c = sent(10, 0, X);
    const d = sent(20, 1, X);
    expect(coverageOf(run([c, got(c, 15), d, got(d, 25)])).concurrentRequestsOfOneSession).toBe(false);
  });

  it('a retry after a lost response is not concurrency: the actor gave up on its first request', () => {
    const lost = sent(0, 0, X);
    const retry = sent(30_000, 0, X);
    expect(coverageOf(run([lost, retry, got(retry, 30_005)])).concurrentRequestsOfOneSession).toBe(false);
  });

  it('requests about different sessions, or about none, are never concurrent with each other', () => {
    const a = sent(0, 0, X);
    const b = sent(1, 1, 'y'.repeat(24));
    const c = sent(2, 2, '');
    const e = sent(3, 3, '');
    expect(coverageOf(run([a, b, c, e, got(a, 5), got(b, 6), got(c, 7), got(e, 8)])).concurrentRequestsOfOneSession).toBe(false);
  });
});

describe('CoverageTally', () => {
  const of = (partial: Partial<RunCoverage>): RunCoverage => ({
    sessions: 1,
    sessionsSpanningProcesses: 0,
    restartBetweenShownAndNext: false,
    concurrentRequestsOfOneSession: false,
    sessionCrossedExpiry: false,
    requests: 1,
    traceHash: 'a',
    ...partial,
  });

  it('shares: spanning per session, the rest per run; interleavings are distinct trace hashes', () => {
    const tally = new CoverageTally();
    tally.add(of({ sessions: 3, sessionsSpanningProcesses: 2, restartBetweenShownAndNext: true, traceHash: 'a' }));
    tally.add(of({ sessions: 1, sessionsSpanningProcesses: 1, concurrentRequestsOfOneSession: true, traceHash: 'b' }));
    tally.add(of({ sessions: 0, sessionCrossedExpiry: true, traceHash: 'a' }));
    tally.add(of({ sessions: 4, traceHash: 'c' }));
    expect(tally.stats()).toEqual({
      runs: 4,
      sessions: 8,
      sessionsSpanningProcesses: 3 / 8,
      restartBetweenShownAndNext: 1 / 4,
      concurrentRequestsOfOneSession: 1 / 4,
      sessionCrossedExpiry: 1 / 4,
      distinctInterleavings: 3,
    });
  });

  it('no runs: zero shares, not NaN', () => {
    expect(new CoverageTally().stats()).toEqual({ runs: 0, sessions: 0, sessionsSpanningProcesses: 0, restartBetweenShownAndNext: 0, concurrentRequestsOfOneSession: 0, sessionCrossedExpiry: 0, distinctInterleavings: 0 });
  });
});
