import { ShardError, type ShardFile } from '../run/shard.js';
import type { CommandOutput } from './check.js';
import type { CellSummary, CostsSummary } from './compare-cells.js';
import { renderCompare, type CompareContext } from './compare-render.js';

/** A shard of `compare`: whole cells (and costs), each with its index in the unsharded work list. */
export interface CompareShardResult {
  /** The length of the unsharded work list (cells, then costs). */
  readonly total: number;
  readonly items: readonly { readonly index: number; readonly result: CellSummary | CostsSummary }[];
}

export type CompareShardFile = ShardFile<CompareContext, CompareShardResult>;

/** The unsharded comparison's output from its shards (already checked to belong together). */
export async function mergeCompare(shards: readonly CompareShardFile[]): Promise<CommandOutput> {
  const first = shards[0] as CompareShardFile;
  const total = first.result.total;
  const results = new Array<CellSummary | CostsSummary | undefined>(total);
  for (const shard of shards) {
    if (shard.result.total !== total) throw new ShardError(`shard ${shard.shard.k}/${shard.shard.n}: ${shard.result.total} items, but shard ${first.shard.k} has ${total}`);
    for (const { index, result } of shard.result.items) {
      if (results[index] !== undefined) throw new ShardError(`shard ${shard.shard.k}/${shard.shard.n}: item ${index + 1} is in another shard too`);
      results[index] = result;
    }
  }
  const missing = results.findIndex((r) => r === undefined);
  if (missing !== -1) throw new ShardError(`item ${missing + 1} of ${total} is in no shard`);
  return renderCompare(first.settings, results as (CellSummary | CostsSummary)[]);
}
