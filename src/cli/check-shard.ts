import { SHARD_KIND, SHARD_SCHEMA_VERSION, type Shard, type ShardFile } from '../run/shard.js';
import { combineRanges, type RangeOutcome } from './check-runs.js';
import { renderCheck, type CheckPrint, type CommandOutput } from './check.js';
import { packageVersion } from './package-version.js';

export type CheckShardFile = ShardFile<CheckPrint, RangeOutcome>;

/** `check --shard k/n`: its slice of the runs, up to its first failure (shrunk), as a shard file. */
export function checkShardFile(print: CheckPrint, shard: Shard, outcome: RangeOutcome): CheckShardFile {
  return {
    kind: SHARD_KIND,
    schemaVersion: SHARD_SCHEMA_VERSION,
    command: 'check',
    packageVersion: packageVersion(),
    seed: print.seed,
    settings: print,
    shard: { k: shard.k, n: shard.n, of: `runs ${outcome.start + 1}-${outcome.end} of ${print.runs}` },
    result: outcome,
  };
}

/** The unsharded check's output from its shards (already checked to belong together). */
export function mergeCheck(shards: readonly CheckShardFile[]): CommandOutput {
  const print = (shards[0] as CheckShardFile).settings;
  const { failureToken: _, ...output } = renderCheck(print, combineRanges(shards.map((s) => s.result), print.runs));
  return output;
}
