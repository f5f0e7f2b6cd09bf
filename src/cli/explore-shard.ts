import { mergeBranches, verdictOf, type BranchOutcome, type ExploreStats } from '../explore/driver.js';
import { makeShardFile, shardItems, ShardError, type Shard, type ShardFile } from '../run/shard.js';
import type { CommandOutput } from './check.js';
import { describeCounterexample, renderExplore, type ExploreCounterexample, type ExplorePrint } from './explore-render.js';
import { exploreBranches, topBranchCount, type ThreadsOptions } from './explore-runs.js';
import type { ExploreSpec, LoadedExplore } from './explore-tasks.js';
import { packageVersion } from './package-version.js';

/** Why `--shard` refuses breadth-first search (docs/explore.md "Sharding"). */
export const SHARD_NEEDS_DFS =
  '--shard needs --search dfs: breadth-first search builds each level from the whole level before it, so its shards could not run apart';

/** One top branch a shard explored depth-first. */
export interface ExploreShardItem {
  readonly branch: number;
  readonly outcome: BranchOutcome<null>;
  /** The branch's counterexample as the report prints it, when it found one. */
  readonly counterexample?: ExploreCounterexample;
}

/** A shard of a depth-first `explore`: its top branches in order, up to the first that ended the
 * search (a counterexample, the state limit); the unsharded merge stops there, so later ones never count. */
export interface ExploreShardResult {
  /** The first decision's width (0: the run makes no decision, one branch). */
  readonly width: number;
  readonly items: readonly ExploreShardItem[];
}

export type ExploreShardFile = ShardFile<ExplorePrint, ExploreShardResult>;

/** `explore --shard k/n`: top branches k-1, k-1+n, ... explored, as a shard file (exit 0 whatever
 * they found: the verdict is the merge's). Ctrl-C writes no shard file (exit 130). */
export async function exploreShard(spec: ExploreSpec, loaded: LoadedExplore, print: ExplorePrint, shard: Shard, threads: ThreadsOptions): Promise<{ readonly stats: ExploreStats; readonly output: CommandOutput }> {
  const { width, picked, outcomes } = await exploreBranches(spec, loaded, threads, (count) => shardItems(shard, count));
  const stats = mergeBranches(outcomes, width, loaded.settings.maxStates, true).stats;
  if (loaded.settings.shouldStop?.() === true) {
    return { stats, output: { stdout: '', stderr: `uiasim: interrupted: no shard file written; run shard ${shard.k}/${shard.n} again\n`, exitCode: 130 } };
  }
  const items: ExploreShardItem[] = [];
  for (const branch of picked) {
    const outcome = outcomes[branch];
    if (outcome === undefined) throw new Error(`explore: top branch ${branch + 1} of shard ${shard.k}/${shard.n} did not run`);
    const found = outcome.counterexample;
    const counterexample = found === null ? undefined : describeCounterexample(print.scope, loaded.strategy, print.profile, loaded.plugins, found.decisions, verdictOf(loaded.runPath, found.decisions));
    items.push({ branch, outcome, ...(counterexample === undefined ? {} : { counterexample }) });
    if (!outcome.complete) break;
  }
  const of = `top branches ${picked.map((b) => b + 1).join(',') || 'none'} of ${topBranchCount(width)}`;
  const file = makeShardFile('explore', packageVersion(), print.scope.seed, print, shard, of, { width, items } satisfies ExploreShardResult);
  return { stats, output: { stdout: JSON.stringify(file) + '\n', exitCode: 0 } };
}

/** The unsharded depth-first exploration's output from its shards (already checked to belong together). */
export function mergeExplore(shards: readonly ExploreShardFile[]): CommandOutput {
  const first = shards[0] as ExploreShardFile;
  const print = first.settings;
  const width = first.result.width;
  const outcomes = new Array<BranchOutcome<null> | undefined>(topBranchCount(width)).fill(undefined);
  const found = new Map<BranchOutcome<null>, ExploreCounterexample>();
  for (const { shard, result } of shards) {
    const name = `shard ${shard.k}/${shard.n}`;
    if (result.width !== width) throw new ShardError(`${name}: the first decision has ${result.width} options, but shard ${first.shard.k}/${first.shard.n} says ${width}`);
    const expected = shardItems(shard, topBranchCount(width));
    result.items.forEach((item, i) => {
      if (item.branch !== expected[i]) throw new ShardError(`${name}: top branch ${item.branch + 1} where ${expected[i] === undefined ? 'none' : expected[i] + 1} belongs`);
      outcomes[item.branch] = item.outcome;
      if (item.counterexample !== undefined) found.set(item.outcome, item.counterexample);
    });
    const last = result.items[result.items.length - 1];
    if (result.items.length < expected.length && (last === undefined || last.outcome.complete)) throw new ShardError(`${name}: top branch ${(expected[result.items.length] as number) + 1} is missing`);
  }
  const merged = mergeBranches(outcomes, width, print.maxStates ?? Number.MAX_SAFE_INTEGER);
  const winner = merged.counterexample === null ? undefined : outcomes.find((o) => o?.counterexample?.decisions === merged.counterexample);
  const counterexample = winner === undefined ? null : found.get(winner);
  if (counterexample === undefined) throw new ShardError(`shard of top branch ${(winner?.counterexample?.decisions[0] ?? 0) + 1}: its counterexample is not described`);
  return renderExplore(print, { stats: merged.stats, complete: merged.complete, interrupted: false, counterexample });
}
