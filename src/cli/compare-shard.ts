import type { ShardFile } from '../run/shard.js';
import type { CommandOutput } from './check.js';

export type CompareShardFile = ShardFile<unknown, unknown>;

export function mergeCompare(_shards: readonly CompareShardFile[]): CommandOutput {
  throw new Error('not yet');
}
