import type { Decider, DecisionPoint } from './orders-scheduler.js';
import { PrefixTree } from './prefix-tree.js';
import { newStats, type ExploreSettings, type ExploreStats, type RunPath } from './types.js';

/**
 * Breadth-first, level by level: every path of d decisions before any of d + 1, so the first
 * violation found has the fewest decisions. A frontier entry (a prefix of decisions) is known by
 * a run of the model (a probe), which depends on the prefix alone; the probes of a level can run
 * on any threads, and taking their answers in frontier order (the fingerprint set lives here)
 * gives the same counts and counterexample whatever ran them.
 *
 * A probe does not stop at its prefix's next decision: it goes on along option 0 for up to
 * LOOKAHEAD_DECISIONS more, and answers what it met at each (a chain). Those are what probes of
 * the prefix followed by 0, 0 0, ... would answer (a run is a function of its decisions), so the
 * later levels take them without running them: only a prefix that ends in a non-zero option, or
 * one past its chain's end, costs a run. The order of the search, and so every count but `runs`,
 * is the same as with a run per prefix.
 */

/** What running a prefix found: the next decision (its width and state) or the path's end. */
export type ProbeResult =
  | { readonly kind: 'decision'; readonly width: number; readonly fingerprint: string }
  | { readonly kind: 'end'; readonly bounded: boolean; readonly violated: boolean };

/** How many decisions past its prefix's own a probe answers for (along option 0). Runs of
 * two-registrations as it was before 2026-12-07 (sql, 105,807 states) by this setting: 0 (a run per prefix) 211,615; 2
 * 113,063; 4 109,625; 16 105,848; 64 105,808. A longer chain costs memory until it is taken
 * (a level's chains wait for the next), for next to no runs saved. */
export const LOOKAHEAD_DECISIONS = 16;

/** What a probe found: for its prefix, then for the prefix followed by 0, 0 0, ...; the last
 * entry is the path's end or the chain's limit. */
export type ProbeChain = readonly ProbeResult[];

/** Runs `prefix`, then option 0 at up to `lookahead` further decisions, and stops at the next
 * decision after those (or the end of the path), answering for each. */
export function probe<V>(runPath: RunPath<V>, prefix: readonly number[], maxDecisions: number, lookahead = LOOKAHEAD_DECISIONS): ProbeResult[] {
  let depth = 0;
  const chain: ProbeResult[] = [];
  let cut = false;
  let bounded = false;
  const decider: Decider = {
    decide(n: number, point: DecisionPoint): number {
      const at = depth++;
      if (at < prefix.length) return prefix[at] as number;
      if (at >= maxDecisions) {
        bounded = true;
        return 0;
      }
      chain.push({ kind: 'decision', width: n, fingerprint: point.fingerprint() });
      if (chain.length > lookahead) {
        cut = true;
        return -1;
      }
      return 0;
    },
  };
  let verdict;
  try {
    verdict = runPath(decider, () => cut);
  } catch (error) {
    // The prefix's own answer was not reached: the search needs it, so the throw is its finding.
    if (chain.length === 0) throw error;
    // A throw past it is on a path the search may never reach (a shallower counterexample, the
    // state limit, a pruned state first): keep the answers before it; the prefix that threw
    // is probed on its own, and throws, only if the search gets there.
    return chain;
  }
  if (!cut) chain.push({ kind: 'end', bounded, violated: verdict !== null });
  return chain;
}

/** A frontier entry's answer taken from an earlier probe: `chain[at]`, and the rest of it for
 * the entry's option-0 child. */
interface Known {
  readonly chain: ProbeChain;
  readonly at: number;
}

/** The search between levels: the fingerprints seen, the counts, the frontier to probe next. */
export interface BfsState {
  readonly seen: Set<string>;
  readonly stats: ExploreStats;
  /** Every prefix queued so far (src/explore/prefix-tree.ts). */
  readonly tree: PrefixTree;
  /** The level's prefixes, as nodes of `tree`; each has `level` decisions. */
  frontier: number[];
  /** Those of the frontier whose answers an earlier probe's chain holds (src/explore/breadth-first.ts). */
  known: Map<number, Known>;
  /** The rest of the frontier, in its order: the prefixes to probe. */
  toProbe: number[];
  level: number;
  /** The violating prefix, once found. */
  counterexample: readonly number[] | null;
  /** Ended: a counterexample, an empty frontier, the state limit or a stop. */
  ended: boolean;
  complete: boolean;
}

export function startBfs(): BfsState {
  return { seen: new Set(), stats: newStats(), tree: new PrefixTree(), frontier: [0], known: new Map(), toProbe: [0], level: 0, counterexample: null, ended: false, complete: true };
}

/** The decisions of the level's prefixes to probe, `from` to `to` (not included). */
export function frontierPrefixes(state: BfsState, from: number, to: number): number[][] {
  const out: number[][] = [];
  for (let f = from; f < to && f < state.toProbe.length; f++) out.push(state.tree.prefix(state.toProbe[f] as number));
  return out;
}

/**
 * Takes the current level in frontier order, each entry's answer from its chain or from
 * `probes` (the chains of `state.toProbe`, in order; fewer when interrupted: the search then
 * ends incomplete at the first entry without one), and moves to the next level.
 */
export function takeLevel(state: BfsState, probes: readonly ProbeChain[], settings: ExploreSettings): void {
  const { seen, stats, frontier, known, tree, level } = state;
  const next: number[] = [];
  const nextKnown = new Map<number, Known>();
  const nextToProbe: number[] = [];
  let probed = 0;
  for (let f = 0; f < frontier.length; f++) {
    const node = frontier[f] as number;
    let answer = known.get(node);
    if (answer === undefined) {
      const chain = probes[probed++];
      if (chain !== undefined) {
        answer = { chain, at: 0 };
        stats.runs++;
      }
    }
    if (answer === undefined || settings.shouldStop?.() === true || stats.states >= settings.maxStates) {
      state.ended = true;
      state.complete = false;
      stats.frontier = 0;
      return;
    }
    const result = answer.chain[answer.at] as ProbeResult;
    stats.frontier = frontier.length - f + next.length;
    if (result.kind === 'decision') {
      if (level === 0) stats.rootWidth = result.width;
      if (!seen.has(result.fingerprint)) {
        seen.add(result.fingerprint);
        stats.states++;
      } else if (settings.fingerprints) {
        stats.pruned++;
        continue;
      }
      for (let i = 0; i < result.width; i++) {
        const child = tree.add(node, i);
        next.push(child);
        if (i === 0 && answer.at + 1 < answer.chain.length) nextKnown.set(child, { chain: answer.chain, at: answer.at + 1 });
        else nextToProbe.push(child);
      }
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
    if (settings.onProgress !== undefined && (f + 1) % 256 === 0) settings.onProgress(stats);
  }
  // Every level has a prefix to probe, so the threads always get a task: a decision has two
  // options or more, and a chain answers only for option 0.
  if (next.length > 0 && nextToProbe.length === 0) throw new Error('explore: a breadth-first level with no prefix to probe, although every decision has a second option');
  state.frontier = next;
  state.known = nextKnown;
  state.toProbe = nextToProbe;
  state.level = level + 1;
  if (next.length === 0) {
    state.ended = true;
    stats.frontier = 0;
  }
}
