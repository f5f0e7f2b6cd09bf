import { probe, startBfs, takeLevel } from './breadth-first.js';
import { depthFirstBranch } from './depth-first.js';
import { newStats, type BranchOutcome, type ExploreOutcome, type ExploreSettings, type ExploreStats, type RunPath } from './types.js';
import { ReplayDecider } from './replay-decider.js';
import { DEFAULT_SPLIT_DEPTH, splitTasks } from './split.js';

export type { BranchOutcome, ExploreOutcome, ExploreSettings, ExploreStats, RunPath } from './types.js';

/**
 * The depth-first result from its tasks' (src/explore/split.ts; each explored with its own
 * fingerprint set), taken in task order: counts summed, states the union, depth the largest; it
 * stops at the first task with a counterexample or cut short (the state limit, or its union
 * reaching it), so later tasks do not count. `interrupted`: every task that answered counts, in
 * order. Missing entries are tasks that never ran.
 */
export function mergeBranches(outcomes: readonly (BranchOutcome<unknown> | undefined)[], rootWidth: number, maxStates: number, interrupted = false): { stats: ExploreStats; counterexample: readonly number[] | null; complete: boolean; fingerprints: Set<string> } {
  const stats = newStats();
  const union = new Set<string>();
  let counterexample: readonly number[] | null = null;
  let complete = !interrupted;
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome === undefined) {
      complete = false;
      if (interrupted) continue;
      break;
    }
    for (const key of ['schedules', 'pruned', 'runs', 'bounded'] as const) stats[key] += outcome.stats[key];
    if (outcome.stats.depth > stats.depth) stats.depth = outcome.stats.depth;
    for (const f of outcome.fingerprints) union.add(f);
    if (outcome.counterexample !== null) {
      counterexample = outcome.counterexample.decisions;
      complete = false;
      break;
    }
    if (interrupted) continue;
    if (!outcome.complete || (union.size >= maxStates && i < outcomes.length - 1)) {
      complete = false;
      break;
    }
  }
  stats.states = union.size;
  stats.rootWidth = rootWidth;
  return { stats, counterexample, complete, fingerprints: union };
}

/** The verdict of a path known to violate, re-run here (a worker thread sends the decisions). */
export function verdictOf<V>(runPath: RunPath<V>, decisions: readonly number[]): V {
  const verdict = runPath(new ReplayDecider(decisions), () => false);
  if (verdict === null) throw new Error(`explore: the path [${decisions.join(', ')}] violated, and passes when re-run; the model is not deterministic`);
  return verdict;
}

/** Explores every order the scope allows, depth-first or breadth-first (see docs/explore.md),
 * in this thread; src/cli/explore-runs.ts does the same work on worker threads, with the same result. */
export function explore<V>(runPath: RunPath<V>, settings: ExploreSettings): ExploreOutcome<V> {
  if (settings.search === 'bfs') {
    const state = startBfs();
    while (!state.ended) takeLevel(state, state.toProbe.map((node) => probe(runPath, state.tree.prefix(node), settings.maxDecisions)), settings);
    const found = state.counterexample;
    return {
      stats: state.stats,
      counterexample: found === null ? null : { decisions: found, verdict: verdictOf(runPath, found) },
      complete: state.complete,
      fingerprints: settings.keepFingerprints === true ? state.seen : null,
    };
  }
  const { width, prefixes } = splitTasks(runPath, settings.maxDecisions, settings.splitDepth ?? DEFAULT_SPLIT_DEPTH, settings.dpor === true);
  const outcomes: BranchOutcome<V>[] = [];
  for (const prefix of prefixes) {
    outcomes.push(depthFirstBranch(runPath, settings, prefix));
    if (!(outcomes[outcomes.length - 1] as BranchOutcome<V>).complete) break;
  }
  const merged = mergeBranches(outcomes, width, settings.maxStates);
  const found = merged.counterexample;
  const own = outcomes.find((o) => o.counterexample !== null)?.counterexample ?? null;
  return {
    stats: merged.stats,
    counterexample: found === null || own === null ? null : own,
    complete: merged.complete,
    fingerprints: settings.keepFingerprints === true ? merged.fingerprints : null,
  };
}
