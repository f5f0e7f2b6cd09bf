import type { Decider } from './orders-scheduler.js';
import type { RunPath } from './types.js';

/**
 * How depth-first search is cut into tasks (docs/explore.md "--split-depth"). The first path
 * (every decision taking option 0) is run once; with split depth D, the tasks are the subtrees
 * hanging off its first D decisions, each explored with a fingerprint set of its own
 * (src/explore/depth-first.ts):
 *
 * - first, the subtree under the first path's first D decisions (where that path goes on);
 * - then, for d = D-1 down to 0, the subtrees under option 1, 2, ... of decision d.
 *
 * That is the order a depth-first search from the root takes them (deepest backtrack first), so
 * the first counterexample in task order is the first in depth-first order. D = 1 gives the
 * top branches: one per option of the first decision. A larger D cuts a tree whose work sits
 * under option 0 of decision after decision (a fault placed at any step: a comb) into pieces that
 * threads and shards can share. A task is its pinned prefix of decisions.
 */
export interface SplitTasks {
  /** The first decision's width (0: the run makes no decision). */
  readonly width: number;
  /** Each task's pinned decisions, in depth-first order; one task (the whole tree) at least. */
  readonly prefixes: readonly (readonly number[])[];
}

/** The default split depth: the top branches, one per option of the first decision. */
export const DEFAULT_SPLIT_DEPTH = 1;

/** The tasks of split depth `splitDepth` (>= 1), from one run of the first path. With DPOR the
 * whole tree is one task: a race anywhere may add a backtrack point anywhere above it. */
export function splitTasks<V>(runPath: RunPath<V>, maxDecisions: number, splitDepth: number, dpor = false): SplitTasks {
  if (!Number.isInteger(splitDepth) || splitDepth < 1) throw new Error(`explore: split depth ${splitDepth} is not a whole number >= 1`);
  const widths = firstPathWidths(runPath, Math.min(maxDecisions, splitDepth));
  if (dpor) return { width: widths[0] ?? 0, prefixes: [[]] };
  const prefixes: number[][] = [widths.map(() => 0)];
  for (let d = widths.length - 1; d >= 0; d--) {
    for (let option = 1; option < (widths[d] as number); option++) prefixes.push([...new Array<number>(d).fill(0), option]);
  }
  return { width: widths[0] ?? 0, prefixes };
}

/** The widths of the first `levels` decisions of the first path (fewer when it makes fewer). */
function firstPathWidths<V>(runPath: RunPath<V>, levels: number): number[] {
  const widths: number[] = [];
  const decider: Decider = {
    decide(n: number): number {
      if (widths.length >= levels) return -1;
      widths.push(n);
      return 0;
    },
  };
  runPath(decider, () => widths.length >= levels);
  return widths;
}
