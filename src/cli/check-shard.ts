import type { ShardFile } from '../run/shard.js';
import { combineRanges, type RangeOutcome } from './check-runs.js';
import { renderCheck, type CheckPrint, type CommandOutput } from './check.js';

export type CheckShardFile = ShardFile<CheckPrint, RangeOutcome>;

/** The unsharded check's output from its shards (already checked to belong together). */
export function mergeCheck(shards: readonly CheckShardFile[]): CommandOutput {
  const print = (shards[0] as CheckShardFile).settings;
  const { failureToken: _, ...output } = renderCheck(print, combineRanges(shards.map((s) => s.result), print.runs));
  return output;
}
