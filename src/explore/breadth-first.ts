import type { Decider, DecisionPoint } from './orders-scheduler.js';
import { PrefixTree } from './prefix-tree.js';
import { newStats, type ExploreSettings, type ExploreStats, type RunPath } from './types.js';

/**
 * Breadth-first, level by level: every path of d decisions before any of d + 1, so the first
 * violation found has the fewest decisions. Each frontier entry (a prefix of decisions) costs a
 * run of the model (a probe), which depends on the prefix alone; the probes of a level can run
 * on any threads, and taking their answers in frontier order (the fingerprint set lives here)
 * gives the same counts and counterexample whatever ran them.
 */

/** What running a prefix found: the next decision (its width and state) or the path's end. */
export type ProbeResult =
  | { readonly kind: 'decision'; readonly width: number; readonly fingerprint: string }
  | { readonly kind: 'end'; readonly bounded: boolean; readonly violated: boolean };

/** Runs `prefix` and stops at the next decision (or the end of the path). */
export function probe<V>(runPath: RunPath<V>, prefix: readonly number[], maxDecisions: number): ProbeResult {
  let depth = 0;
  let found = null as ProbeResult | null;
  let bounded = false;
  const decider: Decider = {
    decide(n: number, point: DecisionPoint): number {
      const at = depth++;
      if (at < prefix.length) return prefix[at] as number;
      if (at >= maxDecisions) {
        bounded = true;
        return 0;
      }
      found = { kind: 'decision', width: n, fingerprint: point.fingerprint() };
      return -1;
    },
  };
  const verdict = runPath(decider, () => found !== null);
  return found ?? { kind: 'end', bounded, violated: verdict !== null };
}

/** The search between levels: the fingerprints seen, the counts, the frontier to probe next. */
export interface BfsState {
  readonly seen: Set<string>;
  readonly stats: ExploreStats;
  /** Every prefix queued so far (src/explore/prefix-tree.ts). */
  readonly tree: PrefixTree;
  /** The level's prefixes to probe, as nodes of `tree`; each has `level` decisions. */
  frontier: number[];
  level: number;
  /** The violating prefix, once found. */
  counterexample: readonly number[] | null;
  /** Ended: a counterexample, an empty frontier, the state limit or a stop. */
  ended: boolean;
  complete: boolean;
}

export function startBfs(): BfsState {
  return { seen: new Set(), stats: newStats(), tree: new PrefixTree(), frontier: [0], level: 0, counterexample: null, ended: false, complete: true };
}

/** The decisions of the frontier's entries `from` to `to` (not included), to probe them. */
export function frontierPrefixes(state: BfsState, from: number, to: number): number[][] {
  const out: number[][] = [];
  for (let f = from; f < to && f < state.frontier.length; f++) out.push(state.tree.prefix(state.frontier[f] as number));
  return out;
}

/**
 * Takes the probes of the current level in frontier order (fewer than the frontier when
 * interrupted: the search then ends incomplete), and moves to the next level.
 */
export function takeLevel(state: BfsState, results: readonly ProbeResult[], settings: ExploreSettings): void {
  const { seen, stats, frontier, tree, level } = state;
  const next: number[] = [];
  for (let f = 0; f < frontier.length; f++) {
    const result = results[f];
    if (result === undefined || settings.shouldStop?.() === true || stats.states >= settings.maxStates) {
      state.ended = true;
      state.complete = false;
      stats.frontier = 0;
      return;
    }
    const node = frontier[f] as number;
    stats.frontier = frontier.length - f + next.length;
    stats.runs++;
    if (result.kind === 'decision') {
      if (level === 0) stats.rootWidth = result.width;
      if (!seen.has(result.fingerprint)) {
        seen.add(result.fingerprint);
        stats.states++;
      } else if (settings.fingerprints) {
        stats.pruned++;
        continue;
      }
      for (let i = 0; i < result.width; i++) next.push(tree.add(node, i));
    } else {
      stats.schedules++;
      if (result.bounded) stats.bounded++;
      if (level > stats.depth) stats.depth = level;
      if (result.violated) {
        state.counterexample = tree.prefix(node);
        state.ended = true;
        state.complete = false;
        return;
      }
    }
    if (settings.onProgress !== undefined && stats.runs % 256 === 0) settings.onProgress(stats);
  }
  state.frontier = next;
  state.level = level + 1;
  if (next.length === 0) {
    state.ended = true;
    stats.frontier = 0;
  }
}
