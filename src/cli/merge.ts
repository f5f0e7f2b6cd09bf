import { readFileSync } from 'node:fs';
import { checkShards, ShardError, type ShardFile } from '../run/shard.js';
import type { CommandOutput } from './check.js';
import { mergeCheck, type CheckShardFile } from './check-shard.js';
import { mergeCompare, type CompareShardFile } from './compare-shard.js';
import { mergeExplore, type ExploreShardFile } from './explore-shard.js';
import { packageVersion } from './package-version.js';
import { messageOf } from '../error-message.js';

/**
 * `uiasim merge FILES...`: the shards of one `check`, `compare` or depth-first `explore` (`--shard k/n --out FILE`)
 * combined into exactly what the unsharded command prints, exit code included. Files that do not
 * belong together (missing or repeated shards, other settings, seeds or versions) are exit 2,
 * with one line naming the file.
 */
export async function runMerge(paths: readonly string[]): Promise<CommandOutput> {
  const files = paths.map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ShardError(`${path}: cannot read it (${messageOf(error)})`);
    }
    try {
      return { path, json: JSON.parse(text) as unknown };
    } catch {
      throw new ShardError(`${path}: not JSON, so not a uiasim shard file`);
    }
  });
  const shards = checkShards<unknown, unknown>(files, packageVersion());
  const command = (shards[0] as ShardFile<unknown, unknown>).command;
  if (command === 'check') return mergeCheck(shards as unknown as CheckShardFile[]);
  if (command === 'compare') return mergeCompare(shards as unknown as CompareShardFile[]);
  if (command === 'explore') return mergeExplore(shards as unknown as ExploreShardFile[]);
  throw new ShardError(`${paths[0] ?? ''}: a shard of '${command}', which merge does not know`);
}
