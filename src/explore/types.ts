import type { Decider } from './orders-scheduler.js';
import { messageOf, stackOf } from '../error-message.js';

/** One run of the model along a path: the caller builds the world with `decider` and returns
 * its verdict (null when it holds; not asked for when `wasCut()`, the driver ended the run
 * early). The driver knows nothing else of the model. */
export type RunPath<V> = (decider: Decider, wasCut: () => boolean) => V | null;

export interface ExploreSettings {
  readonly search: 'dfs' | 'bfs';
  /** Prune a path when it reaches a state (fingerprint) explored already. */
  readonly fingerprints: boolean;
  /** Sleep sets (DFS only): do not re-run an option that commutes with one explored already. */
  readonly sleepSets: boolean;
  /** Dynamic partial-order reduction (DFS, with sleep sets, without fingerprints;
   * src/explore/dpor.ts): backtrack only to the options a race asks for. */
  readonly dpor?: boolean;
  /** Deeper than this, a path takes the natural order without branching (a bound of the scope). */
  readonly maxDecisions: number;
  /** Depth-first: cut the tree into the subtrees off the first path's first D decisions
   * (src/explore/split.ts; default 1, the top branches). The counts depend on it, the verdict
   * of a complete search does not. */
  readonly splitDepth?: number;
  /** Stop after this many distinct states (the result says it was cut short). */
  readonly maxStates: number;
  /** Asked between runs: stop now (Ctrl-C). */
  readonly shouldStop?: () => boolean;
  /** Called every `progressEvery` runs with the counts so far. */
  readonly onProgress?: (stats: ExploreStats) => void;
  /** Keep every fingerprint seen (the equivalence tests). */
  readonly keepFingerprints?: boolean;
}

export interface ExploreStats {
  /** Runs that went to their end: the schedules checked. */
  schedules: number;
  /** Runs ended early at a state explored already (fingerprints) or with every option asleep. */
  pruned: number;
  /** Runs of the model in all (complete, pruned, and BFS's partial runs). */
  runs: number;
  /** Distinct fingerprints at decision points. */
  states: number;
  /** The most decisions any schedule made. */
  depth: number;
  /** Schedules that reached the decision bound (they went on in the natural order). */
  bounded: number;
  /** Width of the first decision. */
  rootWidth: number;
  /** BFS: paths waiting. */
  frontier: number;
}

export interface ExploreOutcome<V> {
  readonly stats: ExploreStats;
  /** The violating path found first (BFS: with the fewest decisions) and its verdict. */
  readonly counterexample: { readonly decisions: readonly number[]; readonly verdict: V } | null;
  /** Every path explored (no state bound, no stop). */
  readonly complete: boolean;
  readonly fingerprints: ReadonlySet<string> | null;
}

/** What depth-first search found in one task of the split (src/explore/split.ts,
 * src/explore/depth-first.ts): by default, one top branch. */
export interface BranchOutcome<V> {
  readonly stats: ExploreStats;
  readonly counterexample: { readonly decisions: readonly number[]; readonly verdict: V } | null;
  /** The task explored to its end (no counterexample, no state limit, no stop). */
  readonly complete: boolean;
  /** The states the task reached (its own set), in the order it reached them. */
  readonly fingerprints: readonly string[];
}

export function newStats(): ExploreStats {
  return { schedules: 0, pruned: 0, runs: 0, states: 0, depth: 0, bounded: 0, rootWidth: 0, frontier: 0 };
}


/** A run of a path threw: a model bug, a plug-in that throws, a run past its step budget. It
 * carries the path's decisions so far (replaying them re-runs it) and the reason; `data` is both
 * as plain data, which crosses from a worker thread (src/run/pool.ts). */
export class PathRunError extends Error {
  readonly data: PathRunData;
  constructor(decisions: readonly number[], thrown: unknown) {
    const reason = messageOf(thrown);
    super(`a run of the model threw on the path [${decisions.join(', ')}]: ${reason}`);
    this.data = { kind: 'path-run-error', decisions: [...decisions], reason, stack: stackOf(thrown) };
  }
}

export interface PathRunData {
  readonly kind: 'path-run-error';
  readonly decisions: readonly number[];
  readonly reason: string;
  /** Where the model threw (its own stack, not the explorer's). */
  readonly stack: string;
}

/** The path and reason of a PathRunError, thrown here or in a worker thread (its `data`). */
export function pathRunDataOf(error: unknown): PathRunData | null {
  const data = (error as { readonly data?: Partial<PathRunData> } | null)?.data;
  return data?.kind === 'path-run-error' && Array.isArray(data.decisions) && typeof data.reason === 'string' && typeof data.stack === 'string' ? (data as PathRunData) : null;
}
