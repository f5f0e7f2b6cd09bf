import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../models/scopes/builtin.js';
import type { Scope } from '../../models/scopes/scope.js';
import { findStrategy, type Strategy } from '../../models/strategies.js';
import { checkCase } from '../../properties/check-case.js';
import { exploreScope } from '../../properties/explore.js';
import { decodeTokenPayload } from '../../models/case-codec.js';
import { decodeToken } from '../../src/run/token.js';
import { replayToken } from '../../properties/replay-token.js';
import type { ExploreSettings } from '../../src/explore/driver.js';

function scope(name: string): Scope {
  const found = SCOPES.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no scope ${name}`);
  return found;
}

function strategy(name: string): Strategy {
  const found = findStrategy(name);
  if (found === undefined) throw new Error(`no strategy ${name}`);
  return found;
}

type Reductions = Pick<ExploreSettings, 'search' | 'fingerprints' | 'sleepSets'>;

function run(scopeName: string, strategyName: string, reductions: Reductions) {
  const s = scopeName === TWO_STARTS.name ? TWO_STARTS : scope(scopeName);
  const st = strategy(strategyName);
  return exploreScope(s, st, s.profile ?? st.profile, ['progress-never-lost'], { ...reductions, maxStates: 1_000_000, keepFingerprints: true });
}

/** Two scripted clients that each send one /register without auth and stop, under main-only: a
 * scope small enough to count by hand. One client's request is a chain of 6 deliveries, one in
 * flight at a time and no timer among them: app -> router -> main -> db -> main -> router -> app.
 * Two such chains interleave in C(12, 6) = 924 ways, and every interleaving is a schedule. */
const TWO_STARTS: Scope = {
  ...scope('tiny'),
  name: 'two-starts',
  clients: [0, 1].map(() => ({ actions: [{ kind: 'start' as const }], adoptsNewSession: false, retries: 0, requestTimeoutMs: 30_000, thinkMs: 0 })),
};

describe('exhaustive exploration', () => {
  it('finds #6705 on memory-1.8 with the 3-request schedule, and the token replays it', () => {
    const { outcome, case: found } = run('issue-6705', 'memory-1.8', { search: 'bfs', fingerprints: true, sleepSets: false });
    expect(found).not.toBeNull();
    const verdict = outcome.counterexample?.verdict;
    expect(verdict?.violation?.requests).toBe(3);
    const token = replayToken(found!, 'progress-never-lost', verdict!.result.traceHash);
    const replayed = decodeTokenPayload(decodeToken(token)).case;
    const again = checkCase(replayed, 'progress-never-lost', { strategy: strategy('memory-1.8') });
    expect(again.violation?.requests).toBe(3);
    expect(again.result.traceHash).toBe(verdict!.result.traceHash);
  });

  it('finds the read-modify-write loss of redis-blob when the fallback and the app overlap, and only with a non-natural order', () => {
    const { outcome, case: found } = run('fallback-overlap', 'redis-blob', { search: 'bfs', fingerprints: true, sleepSets: false });
    expect(found?.explore?.decisions.some((d) => d !== 0)).toBe(true);
    const replayed = checkCase(found!, 'progress-never-lost', { strategy: strategy('redis-blob') });
    expect(replayed.violation?.why).toContain('m.login.recaptcha had been shown');
    expect(replayed.result.traceHash).toBe(outcome.counterexample?.verdict.result.traceHash);
    // The natural order alone (no decisions) does not lose anything.
    const natural = checkCase({ ...found!, explore: { ...found!.explore!, decisions: [] } }, 'progress-never-lost', { strategy: strategy('redis-blob') });
    expect(natural.violation).toBeNull();
  });

  it('counts the schedules of two single-request clients as computed by hand', () => {
    const mainOnly = strategy('main-only');
    const outcome = exploreScope(TWO_STARTS, mainOnly, mainOnly.profile, ['progress-never-lost'], { search: 'dfs', fingerprints: false, sleepSets: false, maxStates: 1_000_000 }).outcome;
    expect(outcome.complete).toBe(true);
    expect(outcome.stats.schedules).toBe(HAND_COUNT_TWO_STARTS);
  });

  for (const [scopeName, strategyName] of [
    ['lost-response', 'sql'],
    ['two-starts', 'main-only'],
    ['password-restart', 'sql'],
  ] as const) {
    it(`fingerprint pruning and sleep sets keep the verdict and the reachable states (${scopeName}, ${strategyName})`, () => {
      const plain = run(scopeName, strategyName, { search: 'dfs', fingerprints: false, sleepSets: false });
      const pruned = run(scopeName, strategyName, { search: 'dfs', fingerprints: true, sleepSets: false });
      const sleeping = run(scopeName, strategyName, { search: 'dfs', fingerprints: false, sleepSets: true });
      const both = run(scopeName, strategyName, { search: 'dfs', fingerprints: true, sleepSets: true });
      const bfs = run(scopeName, strategyName, { search: 'bfs', fingerprints: true, sleepSets: false });
      for (const other of [pruned, sleeping, both, bfs]) {
        expect(other.case === null).toBe(plain.case === null);
        expect([...(other.outcome.fingerprints ?? [])].sort()).toEqual([...(plain.outcome.fingerprints ?? [])].sort());
      }
      expect(pruned.outcome.stats.runs).toBeLessThanOrEqual(plain.outcome.stats.runs);
      expect(sleeping.outcome.stats.runs).toBeLessThanOrEqual(plain.outcome.stats.runs);
    });
  }
});

const HAND_COUNT_TWO_STARTS = 924;
