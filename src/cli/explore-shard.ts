import { mergeBranches, verdictOf, type BranchOutcome, type ExploreStats } from '../explore/driver.js';
import { makeShardFile, shardItems, ShardError, type Shard, type ShardFile } from '../run/shard.js';
import { canonicalJson } from '../run/token.js';
import type { CommandOutput } from './check.js';
import { describeCounterexample, renderExplore, type ExploreCounterexample, type ExplorePrint } from './explore-render.js';
import { exploreBranches, type ThreadsOptions } from './explore-runs.js';
import type { ExploreSpec, LoadedExplore } from './explore-tasks.js';
import { packageVersion } from './package-version.js';

/** Why `--shard` refuses breadth-first search (docs/explore.md "Sharding"). */
export const SHARD_NEEDS_DFS =
  '--shard needs --search dfs: breadth-first search builds each level from the whole level before it, so its shards could not run apart';

/** One depth-first task (src/explore/split.ts) a shard explored. */
export interface ExploreShardItem {
  /** Its index in the split's tasks. */
  readonly task: number;
  readonly outcome: BranchOutcome<null>;
  /** The task's counterexample as the report prints it, when it found one. */
  readonly counterexample?: ExploreCounterexample;
}

/** The form of the state fingerprints a shard's outcomes carry (src/explore/history.ts): the
 * merge counts distinct states by their union, so shards whose fingerprints differ in form
 * cannot be merged. 2: signed 32-bit hash lanes (1, unmarked: unsigned). */
export const FINGERPRINT_FORMAT = 2;

/** A shard of a depth-first `explore`: its tasks in order, up to the first that ended the
 * search (a counterexample, the state limit); the unsharded merge stops there, so later ones never count. */
export interface ExploreShardResult {
  /** The first decision's width (0: the run makes no decision, one task). */
  readonly width: number;
  /** Every task's pinned decisions (the whole split, the same in every shard). */
  readonly prefixes: readonly (readonly number[])[];
  readonly items: readonly ExploreShardItem[];
  readonly fingerprintFormat: typeof FINGERPRINT_FORMAT;
}

export type ExploreShardFile = ShardFile<ExplorePrint, ExploreShardResult>;

/** `explore --shard k/n`: tasks k-1, k-1+n, ... of the split explored, as a shard file (exit 0 whatever
 * they found: the verdict is the merge's). Ctrl-C writes no shard file (exit 130). */
export async function exploreShard(spec: ExploreSpec, loaded: LoadedExplore, print: ExplorePrint, shard: Shard, threads: ThreadsOptions): Promise<{ readonly stats: ExploreStats; readonly output: CommandOutput }> {
  const { width, prefixes, picked, outcomes } = await exploreBranches(spec, loaded, threads, (count) => shardItems(shard, count));
  const stats = mergeBranches(outcomes, width, loaded.settings.maxStates, true).stats;
  if (loaded.settings.shouldStop?.() === true) {
    return { stats, output: { stdout: '', stderr: `uiasim: interrupted: no shard file written; run shard ${shard.k}/${shard.n} again\n`, exitCode: 130 } };
  }
  const items: ExploreShardItem[] = [];
  for (const task of picked) {
    const outcome = outcomes[task];
    if (outcome === undefined) throw new Error(`explore: task ${task + 1} of shard ${shard.k}/${shard.n} did not run`);
    const found = outcome.counterexample;
    const counterexample = found === null ? undefined : describeCounterexample(print.scope, loaded.strategy, print.profile, loaded.plugins, found.decisions, verdictOf(loaded.reportPath, found.decisions));
    items.push({ task, outcome, ...(counterexample === undefined ? {} : { counterexample }) });
    if (!outcome.complete) break;
  }
  const of = `tasks ${picked.map((t) => t + 1).join(',') || 'none'} of ${prefixes.length}`;
  const file = makeShardFile('explore', packageVersion(), print.scope.seed, print, shard, of, { width, prefixes, items, fingerprintFormat: FINGERPRINT_FORMAT } satisfies ExploreShardResult);
  return { stats, output: { stdout: JSON.stringify(file) + '\n', exitCode: 0 } };
}

/** A shard file of an older uiasim (top branches, items keyed by `branch`, no split): its
 * results cannot be placed, so it is refused, with the way out. */
function checkSplitFormat(name: string, result: ExploreShardResult): void {
  const unknown = result as { readonly prefixes?: unknown; readonly items?: readonly { readonly task?: unknown }[] };
  if (!Array.isArray(unknown.prefixes) || !Array.isArray(unknown.items) || unknown.items.some((item) => typeof item.task !== 'number')) {
    throw new ShardError(`${name} was written by an older uiasim (top branches, no split of tasks): write every shard again with this version`);
  }
  if ((result as { readonly fingerprintFormat?: unknown }).fingerprintFormat !== FINGERPRINT_FORMAT) {
    throw new ShardError(`${name} was written by an older uiasim (state fingerprints of another form, which would count states twice): write every shard again with this version`);
  }
}

/** The unsharded depth-first exploration's output from its shards (already checked to belong together). */
export function mergeExplore(shards: readonly ExploreShardFile[]): CommandOutput {
  const first = shards[0] as ExploreShardFile;
  const firstName = `shard ${first.shard.k}/${first.shard.n}`;
  checkSplitFormat(firstName, first.result);
  const print = first.settings;
  const { width, prefixes } = first.result;
  const outcomes = new Array<BranchOutcome<null> | undefined>(prefixes.length).fill(undefined);
  const found = new Map<BranchOutcome<null>, ExploreCounterexample>();
  for (const { shard, result } of shards) {
    const name = `shard ${shard.k}/${shard.n}`;
    checkSplitFormat(name, result);
    if (result.width !== width) throw new ShardError(`${name}: the first decision has ${result.width} options, but ${firstName} says ${width}`);
    const differs = Math.max(result.prefixes.length, prefixes.length);
    for (let t = 0; t < differs; t++) {
      const mine = result.prefixes[t];
      const theirs = prefixes[t];
      if (mine === undefined || theirs === undefined || canonicalJson(mine) !== canonicalJson(theirs)) {
        const show = (prefix: readonly number[] | undefined): string => (prefix === undefined ? 'none' : `[${prefix.join(', ')}]`);
        throw new ShardError(`${name}: task ${t + 1} pins the decisions ${show(mine)}, but in ${firstName} ${show(theirs)}`);
      }
    }
    const expected = shardItems(shard, prefixes.length);
    result.items.forEach((item, i) => {
      if (item.task !== expected[i]) throw new ShardError(`${name}: task ${item.task + 1} where ${expected[i] === undefined ? 'none' : expected[i] + 1} belongs`);
      outcomes[item.task] = item.outcome;
      if (item.counterexample !== undefined) found.set(item.outcome, item.counterexample);
    });
    const last = result.items[result.items.length - 1];
    if (result.items.length < expected.length && (last === undefined || last.outcome.complete)) throw new ShardError(`${name}: task ${(expected[result.items.length] as number) + 1} is missing`);
  }
  const merged = mergeBranches(outcomes, width, print.maxStates ?? Number.MAX_SAFE_INTEGER);
  const winner = merged.counterexample === null ? undefined : outcomes.find((o) => o?.counterexample?.decisions === merged.counterexample);
  const counterexample = winner === undefined ? null : found.get(winner);
  if (counterexample === undefined) throw new ShardError(`the shard whose task found the counterexample [${winner?.counterexample?.decisions.join(', ') ?? ''}] does not describe it`);
  return renderExplore(print, { stats: merged.stats, complete: merged.complete, interrupted: false, counterexample });
}
