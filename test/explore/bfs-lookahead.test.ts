// Breadth-first probes look ahead along option 0 (src/explore/breadth-first.ts): a chain answers
// exactly what probes of the longer prefixes would, and a search that takes its answers from the
// chains reaches the same states in the same order, with fewer runs.
import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../models/scopes/builtin.js';
import { findStrategy } from '../../models/strategies.js';
import { scopeRunPath } from '../../properties/explore.js';
import { LOOKAHEAD_DECISIONS, probe, startBfs, takeLevel, type BfsState } from '../../src/explore/breadth-first.js';
import { explore, type ExploreSettings, type RunPath } from '../../src/explore/driver.js';
import type { DecisionPoint } from '../../src/explore/orders-scheduler.js';

const strategy = findStrategy('sql');
if (strategy === undefined) throw new Error('no sql');

function pathOf(scopeName: string, strategyName = 'sql') {
  const scope = SCOPES.find((s) => s.name === scopeName);
  const chosen = findStrategy(strategyName);
  if (scope === undefined || chosen === undefined) throw new Error(`no ${scopeName} or ${strategyName}`);
  return { scope, runPath: scopeRunPath(scope, chosen, scope.profile ?? chosen.profile, ['progress-never-lost'], undefined, undefined, false) };
}

/** The whole breadth-first search with chains of `lookahead`, keeping every fingerprint in the
 * order first seen. */
function search(scopeName: string, lookahead: number, strategyName = 'sql', limits: Partial<ExploreSettings> = {}): { state: BfsState; order: string[] } {
  const { scope, runPath } = pathOf(scopeName, strategyName);
  const settings: ExploreSettings = { search: 'bfs', fingerprints: true, sleepSets: false, maxDecisions: scope.bounds.maxDecisions, maxStates: 1_000_000, ...limits };
  const state = startBfs();
  while (!state.ended) takeLevel(state, state.toProbe.map((node) => probe(runPath, state.tree.prefix(node), settings.maxDecisions, lookahead)), settings);
  return { state, order: [...state.seen] };
}

describe('breadth-first lookahead', () => {
  it("a probe's chain answers what a probe of each longer prefix (0, 0 0, ...) answers alone", () => {
    const { scope, runPath } = pathOf('fallback-overlap');
    for (const prefix of [[], [1], [0, 1], [1, 1, 0]]) {
      const chain = probe(runPath, prefix, scope.bounds.maxDecisions, 5);
      expect(chain.length).toBeGreaterThan(1);
      expect(chain.length).toBeLessThanOrEqual(6);
      chain.forEach((answer, i) => expect(probe(runPath, [...prefix, ...Array.from({ length: i }, () => 0)], scope.bounds.maxDecisions, 0), `${prefix} + ${i} zeros`).toEqual([answer]));
    }
    // A chain reaching the path's end closes with the end's answer.
    const whole = probe(runPath, [], scope.bounds.maxDecisions, 1000);
    expect(whole[whole.length - 1]).toEqual({ kind: 'end', bounded: false, violated: false });
  });

  it.each([
    ['fallback-overlap', 'sql', {}],
    ['fallback-overlap', 'redis-blob', {}],
    ['register-restart', 'sql', {}],
    // Cut short by the state limit; past a small decision bound (bounded schedules); no pruning.
    ['register-restart', 'sql', { maxStates: 300 }],
    ['register-recover', 'main-rpc', { maxDecisions: 7 }],
    ['fallback-overlap', 'sql', { fingerprints: false, maxDecisions: 12 }],
  ] as const)('%s on %s %j: the same states in the same order, schedules and verdict as a run per prefix, in fewer runs', (scopeName, strategyName, limits) => {
    const plain = search(scopeName, 0, strategyName, limits);
    const ahead = search(scopeName, LOOKAHEAD_DECISIONS, strategyName, limits);
    expect(ahead.order).toEqual(plain.order);
    expect(ahead.state.counterexample).toEqual(plain.state.counterexample);
    expect({ ...ahead.state.stats, runs: 0 }).toEqual({ ...plain.state.stats, runs: 0 });
    // Without lookahead, a run per frontier entry; with it, a run per entry that is not option 0.
    expect(ahead.state.stats.runs).toBeLessThan(0.75 * plain.state.stats.runs);
  });

  it('a run that throws past the probed prefix does not stop the search: it throws only when the search reaches that path', () => {
    // A binary tree of depth 3 whose path [1] ends at once, violating, and whose path [0, 0, 0]
    // throws: breadth-first finds [1] at level 1 and never probes [0, 0, 0], which the root's
    // lookahead runs into.
    const runPath: RunPath<string> = (decider) => {
      const path: number[] = [];
      const point = (): DecisionPoint => ({ fingerprint: () => `p${path.join('')}`, targetOf: () => -1, keyOf: (i) => String(i), stepOf: () => ({ key: '', target: -1, fault: false, sentBy: -1 }) });
      while (path.length < 3) {
        const choice = decider.decide(2, point());
        if (choice < 0) return null;
        path.push(choice);
        if (path[0] === 1) return 'violated';
        if (path.join('') === '000') throw new Error('model bug on [0, 0, 0]');
      }
      return null;
    };
    const settings: ExploreSettings = { search: 'bfs', fingerprints: true, sleepSets: false, maxDecisions: 10, maxStates: 1_000 };
    expect(explore(runPath, settings).counterexample?.decisions).toEqual([1]);
    // The state limit ends the search first: incomplete, no throw.
    expect(explore(runPath, { ...settings, maxStates: 2 }).complete).toBe(false);
    // A search that gets there meets the throw: the path [0, 0, 0] is probed on its own.
    const throwing: RunPath<string> = (decider, wasCut) => {
      const inner = runPath({ decide: (n, p) => decider.decide(n, p) }, wasCut);
      return inner === 'violated' ? null : inner;
    };
    expect(() => explore(throwing, settings)).toThrow('model bug on [0, 0, 0]');
  });
});
