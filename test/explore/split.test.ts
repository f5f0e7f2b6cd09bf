// --split-depth: depth-first search cut into the subtrees off the first path (src/explore/split.ts).
import { describe, expect, it } from 'vitest';
import { SCOPES } from '../../models/scopes/builtin.js';
import type { Scope } from '../../models/scopes/scope.js';
import { findStrategy } from '../../models/strategies.js';
import { exploreScope } from '../../properties/explore.js';
import { depthFirstBranch } from '../../src/explore/depth-first.js';
import { explore, type ExploreSettings, type RunPath } from '../../src/explore/driver.js';
import { splitTasks } from '../../src/explore/split.js';

/**
 * A full binary tree of three decisions (8 paths); a path's state is the decisions so far, and
 * `violating` paths fail. Option i is event i at every decision (two streams, as if each node
 * always had a message waiting) and acts on node i, so options 0 and 1 commute.
 */
function binaryTree(violating: readonly string[]): RunPath<string> {
  return (decider) => {
    const path: number[] = [];
    for (let d = 0; d < 3; d++) {
      const option = decider.decide(2, { fingerprint: () => `[${path.join(',')}]`, targetOf: (i) => i, keyOf: (i) => `event ${i}`, stepOf: (i) => ({ key: `event ${i}`, target: -1, fault: false, sentBy: -1 }) });
      if (option < 0) return null;
      path.push(option);
    }
    const name = path.join('');
    return violating.includes(name) ? name : null;
  };
}

/** A tree with three options at the second decision: paths are two decisions, [a, b] with a in
 * 0..1 and b in 0..2; `violating` paths fail. */
function widthThreeTree(violating: readonly string[]): RunPath<string> {
  return (decider) => {
    const path: number[] = [];
    for (const width of [2, 3]) {
      const option = decider.decide(width, { fingerprint: () => `[${path.join(',')}]`, targetOf: () => -1, keyOf: (i) => `event ${i}`, stepOf: (i) => ({ key: `event ${i}`, target: -1, fault: false, sentBy: -1 }) });
      if (option < 0) return null;
      path.push(option);
    }
    const name = path.join('');
    return violating.includes(name) ? name : null;
  };
}

const PLAIN: ExploreSettings = { search: 'dfs', fingerprints: false, sleepSets: false, maxDecisions: 10, maxStates: 1_000_000 };

describe('splitTasks: the subtrees off the first path, in depth-first order', () => {
  it('cuts a binary tree of depth 3 by hand: deepest backtrack first', () => {
    const tree = binaryTree([]);
    expect(splitTasks(tree, 10, 1)).toEqual({ width: 2, prefixes: [[0], [1]] });
    expect(splitTasks(tree, 10, 2)).toEqual({ width: 2, prefixes: [[0, 0], [0, 1], [1]] });
    // Deeper than the path: every decision of the first path is split.
    expect(splitTasks(tree, 10, 5)).toEqual({ width: 2, prefixes: [[0, 0, 0], [0, 0, 1], [0, 1], [1]] });
    // Never deeper than the scope's decision bound.
    expect(splitTasks(tree, 2, 5).prefixes).toEqual([[0, 0], [0, 1], [1]]);
  });

  it('a run with no decision is one task, the whole path', () => {
    const straight: RunPath<null> = () => null;
    expect(splitTasks(straight, 10, 3)).toEqual({ width: 0, prefixes: [[]] });
  });

  it('each task explores exactly its subtree: 1 + 1 + 2 + 4 paths of the 8', () => {
    const tree = binaryTree([]);
    const counts = splitTasks(tree, 10, 3).prefixes.map((prefix) => depthFirstBranch(tree, PLAIN, prefix).stats.schedules);
    expect(counts).toEqual([1, 1, 2, 4]);
  });

  it('the counterexample is the first violating path in depth-first order, whatever the depth', () => {
    for (const depth of [1, 2, 3, 7]) {
      const outcome = explore(binaryTree(['100', '011']), { ...PLAIN, splitDepth: depth });
      expect(outcome.counterexample?.decisions, `split depth ${depth}`).toEqual([0, 1, 1]);
      expect(outcome.counterexample?.verdict).toBe('011');
      // The tasks after the one that found it are not run, and not counted: 4 paths up to 011.
      expect(outcome.stats.schedules).toBe(4);
    }
  });

  it('takes the options of one decision in increasing order: a width-3 decision by hand', () => {
    const tree = widthThreeTree(['02', '01']);
    expect(splitTasks(tree, 10, 2).prefixes).toEqual([[0, 0], [0, 1], [0, 2], [1]]);
    for (const depth of [1, 2, 3]) expect(explore(tree, { ...PLAIN, splitDepth: depth }).counterexample?.decisions, `split depth ${depth}`).toEqual([0, 1]);
  });

  it('explore() is the merge of depthFirstBranch over the split: the fingerprint sets apart cost runs', () => {
    // Four binary decisions; the state is (decisions taken, how many took option 1), so [0, 1]
    // and [1, 0] meet: 15 states, pruned within a task, not across tasks.
    const tree: RunPath<null> = (decider) => {
      let ones = 0;
      for (let d = 0; d < 4; d++) {
        const option = decider.decide(2, { fingerprint: () => `${d}:${ones}`, targetOf: () => -1, keyOf: (i) => `event ${i}`, stepOf: (i) => ({ key: `event ${i}`, target: -1, fault: false, sentBy: -1 }) });
        if (option < 0) return null;
        ones += option;
      }
      return null;
    };
    const settings: ExploreSettings = { ...PLAIN, fingerprints: true };
    const runs = [1, 2, 3].map((depth) => {
      const whole = explore(tree, { ...settings, splitDepth: depth });
      const tasks = splitTasks(tree, 10, depth).prefixes.map((prefix) => depthFirstBranch(tree, settings, prefix));
      expect(whole.stats.runs).toBe(tasks.reduce((sum, t) => sum + t.stats.runs, 0));
      expect(whole.stats.states).toBe(10);
      return whole.stats.runs;
    });
    // By hand: 16 paths; unsplit, [0,1,0] and [1,1,0] end at a state met before (14 runs).
    // Split at 2, [0,1,0] is in its own task and runs both its paths (15); split at 3 cuts the
    // first path only, where nothing meets ([0,0,0] and [0,0,1] differ), so 15 again.
    expect(runs).toEqual([14, 15, 15]);
  });

  it('with sleep sets, the pinned options before a task count as explored, as in the search without the split', () => {
    // Options 0 and 1 act on different nodes, so they commute: after option 1 at a decision,
    // option 0 sleeps below it. Both searches run exactly the same paths.
    for (const depth of [2, 3]) {
      const split = explore(binaryTree([]), { ...PLAIN, sleepSets: true, splitDepth: depth });
      const whole = explore(binaryTree([]), { ...PLAIN, sleepSets: true, splitDepth: 1 });
      expect(split.stats).toEqual(whole.stats);
      expect(split.stats.schedules).toBeLessThan(8);
    }
  });
});

describe('--split-depth on real scopes: the same proof, the same reachable states', () => {
  const scopeNamed = (name: string): Scope => {
    const found = SCOPES.find((s) => s.name === name);
    if (found === undefined) throw new Error(`no scope ${name}`);
    return found;
  };
  const exploreWith = (scopeName: string, strategyName: string, reductions: Pick<ExploreSettings, 'fingerprints' | 'sleepSets'>, splitDepth: number) => {
    const scope = scopeNamed(scopeName);
    const strategy = findStrategy(strategyName);
    if (strategy === undefined) throw new Error(`no strategy ${strategyName}`);
    return exploreScope(scope, strategy, scope.profile ?? strategy.profile, ['progress-never-lost'], { search: 'dfs', ...reductions, splitDepth, maxStates: 1_000_000, keepFingerprints: true }).outcome;
  };

  for (const [scopeName, strategyName] of [
    ['lost-response', 'sql'],
    ['password-restart', 'sql'],
  ] as const) {
    it(`${scopeName}, ${strategyName}: without fingerprints the counts do not depend on the split; with them, the states and verdict do not`, () => {
      for (const reductions of [
        { fingerprints: false, sleepSets: false },
        { fingerprints: false, sleepSets: true },
      ]) {
        const whole = exploreWith(scopeName, strategyName, reductions, 1);
        expect(whole.complete).toBe(true);
        for (const depth of [2, 5, 1000]) expect(exploreWith(scopeName, strategyName, reductions, depth).stats).toEqual(whole.stats);
      }
      const whole = exploreWith(scopeName, strategyName, { fingerprints: true, sleepSets: false }, 1);
      for (const depth of [3, 1000]) {
        const split = exploreWith(scopeName, strategyName, { fingerprints: true, sleepSets: false }, depth);
        expect(split.complete).toBe(true);
        expect(split.counterexample).toBeNull();
        expect([...(split.fingerprints ?? [])].sort()).toEqual([...(whole.fingerprints ?? [])].sort());
        expect(split.stats.states).toBe(whole.stats.states);
        // The sets apart cost runs: a state met in two tasks is explored in both.
        if (scopeName === 'password-restart') expect(split.stats.runs).toBeGreaterThan(whole.stats.runs);
      }
    });
  }
});
