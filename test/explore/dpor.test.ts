// Dynamic partial-order reduction (src/explore/dpor.ts, src/explore/depth-first.ts): the race
// tracker on hand-made steps, and on real scopes every outcome of every schedule kept.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../models/scopes/builtin.js';
import type { Scope } from '../../models/scopes/scope.js';
import { findStrategy, type Strategy } from '../../models/strategies.js';
import { runCase, type Case, type RunResult } from '../../models/world.js';
import { judgeRun } from '../../properties/check-case.js';
import { PROPERTY_NAMES } from '../../properties/violation.js';
import { exploreScope, scopeCase } from '../../properties/explore.js';
import { runExplore } from '../../src/cli/explore.js';
import { UsageError } from '../../src/cli/usage.js';
import { explore, type ExploreSettings } from '../../src/explore/driver.js';
import { RaceTracker } from '../../src/explore/dpor.js';
import type { Step } from '../../src/explore/orders-scheduler.js';

function named<T extends { readonly name: string }>(list: readonly T[], name: string): T {
  const found = list.find((x) => x.name === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
}

function strategyNamed(name: string): Strategy {
  const found = findStrategy(name);
  if (found === undefined) throw new Error(`no strategy ${name}`);
  return found;
}

/** A scope whose client times out after `timeoutMs` (a timeout tied with a server step is a
 * step that disables others: the response cancels it, or it ends the run). */
function withTimeout(scope: Scope, timeoutMs: number): Scope {
  return { ...scope, name: `${scope.name}-${timeoutMs}ms`, clients: scope.clients.map((c) => ({ ...c, requestTimeoutMs: timeoutMs })) };
}

/** Two scripted clients sending one /register each (explore.test.ts counts its 924 schedules). */
const TWO_STARTS: Scope = {
  ...named(SCOPES, 'tiny'),
  name: 'two-starts',
  clients: [0, 1].map(() => ({ actions: [{ kind: 'start' as const }], adoptsNewSession: false, retries: 0, requestTimeoutMs: 30_000, thinkMs: 0 })),
};

/** What a complete schedule ends with: every property's verdict; the client-side actors'
 * observations, the server's facts and the crashes and restarts, each with its time (not the
 * global message ids, which depend on the interleaving of everything else), sorted, since
 * schedules that only swap independent steps list them in other orders. */
function outcomeOf(template: Case, result: RunResult): string {
  const verdicts = PROPERTY_NAMES.map((p) => `${p} ${judgeRun(template, result, [p]).violation === null ? 'holds' : 'violated'}`);
  const observations = result.observations.map((o) => ['observe', o.actor, o.phase, o.status, o.servedBy, o.key, o.detail, o.tags.join(','), o.atMs].join('|'));
  const facts = result.facts.map((f) => ['fact', f.node, f.name, f.key, f.detail, f.tags.join(','), f.atMs].join('|'));
  const lifecycle = result.lifecycle.map((l) => [l.kind, l.node, l.incarnation, l.atMs].join('|'));
  return [...verdicts, ...[...observations, ...facts, ...lifecycle].sort()].join('\n');
}

/** Every schedule of the scope (never stopping at a violation), with the outcomes it reached. */
function outcomes(scope: Scope, strategyName: string, reductions: Pick<ExploreSettings, 'fingerprints' | 'sleepSets' | 'dpor'>) {
  const strategy = strategyNamed(strategyName);
  const template = scopeCase(scope, strategy, scope.profile ?? strategy.profile, []);
  const reached = new Set<string>();
  const outcome = explore(
    (decider, wasCut) => {
      const result = runCase(template, { strategy, decider });
      if (!wasCut()) reached.add(outcomeOf(template, result));
      return null;
    },
    { search: 'dfs', ...reductions, maxDecisions: scope.bounds.maxDecisions, maxStates: 10_000_000 },
  );
  expect(outcome.complete).toBe(true);
  return { reached, runs: outcome.stats.runs };
}

const PLAIN = { fingerprints: false, sleepSets: false } as const;
const SLEEP = { fingerprints: false, sleepSets: true } as const;
const DPOR = { fingerprints: false, sleepSets: true, dpor: true } as const;

describe('DPOR keeps every outcome', () => {
  // The plain search's runs, counted once: a check that the scope is the one meant. Under sql
  // a restart of 'store' is the database's (one option, models/world.ts).
  for (const [scope, strategyName, plainRuns] of [
    [named(SCOPES, 'lost-response'), 'sql', 4],
    [TWO_STARTS, 'main-only', 924],
    [named(SCOPES, 'password-restart'), 'sql', 330],
    [named(SCOPES, 'register-restart'), 'sql', 8226],
    [withTimeout(named(SCOPES, 'tiny'), 250), 'sql', 6],
    [withTimeout(named(SCOPES, 'password-restart'), 500), 'sql', 842],
  ] as const) {
    it(`reaches what every schedule reaches, in fewer runs (${scope.name}, ${strategyName})`, () => {
      const all = outcomes(scope, strategyName, PLAIN);
      const reduced = outcomes(scope, strategyName, DPOR);
      expect([...reduced.reached].sort()).toEqual([...all.reached].sort());
      expect(all.runs).toBe(plainRuns);
      // The two smallest have nothing to reduce: every schedule there is a different outcome.
      if (plainRuns > 10) expect(reduced.runs).toBeLessThan(all.runs);
    });
  }

  it("offers a restart of 'store' once where the sessions live in the database: it is the database's node", () => {
    // models/world.ts: "store" names the database when no service holds the sessions (sql).
    const restarts = (processes: readonly string[]): Scope => {
      const base = named(SCOPES, 'password-restart');
      return { ...base, faults: { ...base.faults, processes } };
    };
    const dbOnly = outcomes(restarts(['db']), 'sql', PLAIN);
    const both = outcomes(restarts(['db', 'store']), 'sql', PLAIN);
    expect(both.runs).toBe(dbOnly.runs);
    expect([...both.reached].sort()).toEqual([...dbOnly.reached].sort());
    // redis-hash keeps its sessions on a node of its own: two nodes, two options.
    expect(outcomes(restarts(['db', 'store']), 'redis-hash', PLAIN).runs).toBeGreaterThan(outcomes(restarts(['db']), 'redis-hash', PLAIN).runs);
  });

  it('finds the redis-blob loss when the client times out just as the first answer comes (a step that ends the run)', () => {
    const scope = withTimeout(named(SCOPES, 'fallback-overlap'), 250);
    const strategy = strategyNamed('redis-blob');
    const found = exploreScope(scope, strategy, strategy.profile, ['progress-never-lost'], { search: 'dfs', ...DPOR, maxStates: 1_000_000 });
    expect(found.case).not.toBeNull();
  });

  it('reaches the read-modify-write loss of redis-blob and every other ending of fallback-overlap (against sleep sets alone)', () => {
    const scope = named(SCOPES, 'fallback-overlap');
    const slept = outcomes(scope, 'redis-blob', SLEEP);
    const reduced = outcomes(scope, 'redis-blob', DPOR);
    expect([...reduced.reached].sort()).toEqual([...slept.reached].sort());
    expect([...reduced.reached].some((o) => o.includes('progress-never-lost violated'))).toBe(true);
    expect(reduced.runs).toBeLessThan(slept.runs);
  });

  it('is refused with fingerprint pruning (which would hide the races of the paths it cuts)', () => {
    expect(() => outcomes(TWO_STARTS, 'main-only', { fingerprints: true, sleepSets: true, dpor: true })).toThrow(/without fingerprint pruning/);
  });
});

const step = (key: string, target: number, sentBy = -1, fault = false): Step => ({ key, target, fault, sentBy });

/** The races a sequence of steps reports: [decision, key] pairs. Every step is a decision of
 * its own index, so a race names the step it reverses. */
function races(steps: readonly Step[], pendingAtEnd: readonly Step[] = []): [number, string][] {
  const tracker = new RaceTracker();
  const found: [number, string][] = [];
  const note = (depth: number, key: string): void => void found.push([depth, key]);
  steps.forEach((s, i) => tracker.step(s, i, note));
  for (const p of pendingAtEnd) tracker.pending(p, note);
  return found;
}

describe('RaceTracker', () => {
  it('two independent messages to one node race; a reply to the first does not', () => {
    // Steps 0 and 1 deliver to node 1 messages sent before the run; step 2 delivers to node 2.
    expect(races([step('a', 1), step('b', 1), step('c', 2)])).toEqual([[0, 'b']]);
    // b was sent by the handler of a: it cannot come first.
    expect(races([step('a', 1), step('b', 1, 0)])).toEqual([]);
  });

  it('follows causality transitively, through other nodes', () => {
    // a to node 1 sends x to node 2, whose handler sends b back to node 1: a happens before b.
    expect(races([step('a', 1), step('x', 2, 0), step('b', 1, 1)])).toEqual([]);
    // z to node 1 was sent before the run: it races with b, the latest step on node 1.
    expect(races([step('a', 1), step('x', 2, 0), step('b', 1, 1)], [step('z', 1)])).toEqual([[2, 'z']]);
  });

  it('a crash not yet placed races with the latest step on its process; faults race with each other', () => {
    expect(races([step('a', 1), step('b', 2)], [step('crash 1', 1, -1, true)])).toEqual([[0, 'crash 1']]);
    // After a loss (a fault), a crash of another process races with it through the budget.
    expect(races([step('a', 1), step('lose m', 3, -1, true)], [step('crash 2', 2, -1, true)])).toEqual([[1, 'crash 2']]);
  });

  it('a step on every node races with the latest step not before its cause', () => {
    expect(races([step('a', 1), step('b', 2), step('tick', -1, 0)])).toEqual([[1, 'tick']]);
    // After it, everything depends on it: c (sent before it, to node 3) races with it.
    expect(races([step('a', 1), step('tick', -1), step('c', 3)])).toEqual([[0, 'tick'], [1, 'c']]);
  });

  it('the step that ends a run races as if it acted on every node', () => {
    const tracker = new RaceTracker();
    const found: [number, string][] = [];
    const note = (depth: number, key: string): void => void found.push([depth, key]);
    // a (node 1), then b (node 2, the last client's answer, sent before the run): b is
    // independent of a, yet ending the run there cut a's node short.
    [step('a', 1), step('b', 2)].forEach((s, i) => tracker.step(s, i, note));
    expect(found).toEqual([]);
    tracker.endedBy(step('b', 2), note);
    expect(found).toEqual([[0, 'b']]);
    // An answer caused by a ends the run: nothing to reverse.
    const chained = new RaceTracker();
    const none: [number, string][] = [];
    [step('a', 1), step('b', 2, 0)].forEach((s, i) => chained.step(s, i, (d, k) => void none.push([d, k])));
    chained.endedBy(step('b', 2, 0), (d, k) => void none.push([d, k]));
    expect(none).toEqual([]);
  });
});

describe('uiasim explore --dpor', () => {
  it('prints the reduction, and the JSON names it', async () => {
    const text = await runExplore({ strategy: 'sql', scope: 'password-restart', search: 'dfs', dpor: true, jobs: 1 });
    expect(text.stdout).toContain('progress-never-lost holds for all 234 schedules of scope password-restart');
    expect(text.stdout).toMatch(/reductions: fingerprints off, sleep sets on, DPOR on; depth-first\n$/);
    const json = JSON.parse((await runExplore({ strategy: 'sql', scope: 'password-restart', search: 'dfs', dpor: true, format: 'json', jobs: 2 })).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ verdict: 'holds', schedules: 234, runs: 234, reductions: { fingerprints: false, sleepSets: true, dpor: true } });
  });

  it('finds the redis-blob loss and refuses breadth-first search and a split depth', async () => {
    const found = await runExplore({ strategy: 'redis-blob', scope: 'fallback-overlap', search: 'dfs', dpor: true, jobs: 1 });
    expect(found.exitCode).toBe(1);
    expect(found.stdout).toContain('VIOLATED');
    await expect(runExplore({ strategy: 'sql', scope: 'lost-response', dpor: true })).rejects.toThrow(new UsageError('--dpor needs --search dfs (its backtrack points are on a depth-first stack)'));
    await expect(runExplore({ strategy: 'sql', scope: 'lost-response', search: 'dfs', dpor: true, splitDepth: 2 })).rejects.toThrow(UsageError);
    // The default split depth, spelt out, is the same command as without it.
    const plain = await runExplore({ strategy: 'sql', scope: 'lost-response', search: 'dfs', dpor: true, jobs: 1 });
    expect((await runExplore({ strategy: 'sql', scope: 'lost-response', search: 'dfs', dpor: true, splitDepth: 1, jobs: 1 })).stdout).toBe(plain.stdout);
  });

  it('says NOT proven when a schedule reached the decision bound (past it a path takes the natural order, which DPOR cannot stand for)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'uiasim-dpor-')), 'bounded.json');
    const client = { operation: 'password', actions: [{ kind: 'start' }, { kind: 'direct', stage: 'm.login.password' }], adoptsNewSession: false, retries: 0, requestTimeoutMs: 30_000, thinkMs: 0 };
    writeFileSync(file, JSON.stringify({ clients: [client], faults: { restarts: 1, processes: ['main', 'db'] }, bounds: { maxDecisions: 20 } }));
    const reduced = await runExplore({ strategy: 'sql', scope: file, search: 'dfs', dpor: true, jobs: 1 });
    expect(reduced.exitCode).toBe(0);
    expect(reduced.stdout).toMatch(/not violated in the \d+ schedules explored .*: NOT proven, since DPOR covers every order only when no schedule reaches the bound of 20 decisions\./);
    expect(reduced.stdout).toMatch(/note: \d+ schedules reached the bound of 20 decisions/);
    expect(JSON.parse((await runExplore({ strategy: 'sql', scope: file, search: 'dfs', dpor: true, format: 'json', jobs: 1 })).stdout)).toMatchObject({ verdict: 'incomplete' });
    // Without DPOR the same bounded scope is proven: its bound is part of the scope.
    expect((await runExplore({ strategy: 'sql', scope: file, search: 'dfs', jobs: 1 })).stdout).toContain('holds for all');
  });
});
