/**
 * Shards: one command's work cut into n slices (`--shard k/n`, k from 1), each run apart (a CI
 * matrix) and written as a shard file; `uiasim merge` checks the files belong together and
 * prints what the unsharded command prints (docs/architecture.md "Shards and merge").
 */

import { createHash } from 'node:crypto';
import { canonicalJson } from './token.js';

export interface Shard {
  readonly k: number;
  readonly n: number;
}

/** Bad shard input (a flag or a set of files): one line, exit 2. */
export class ShardError extends Error {}

/** 2: files carry `digest` (version 1 had none). */
export const SHARD_SCHEMA_VERSION = 2;
export const SHARD_KIND = 'uiasim-shard';

/** A shard file: what one slice computed, with everything needed to check that the slices of a
 * merge come from one command. `settings` is everything the printed output depends on. */
export interface ShardFile<S, R> {
  readonly kind: typeof SHARD_KIND;
  readonly schemaVersion: typeof SHARD_SCHEMA_VERSION;
  readonly command: string;
  readonly packageVersion: string;
  readonly seed: number;
  readonly settings: S;
  readonly shard: Shard & { readonly of: string };
  readonly result: R;
  /** SHA-256 (16 hex digits) of the canonical JSON of every other field: a file edited after it
   * was written is refused as damaged (one line, exit 2), not merged or crashed on (a file cut
   * short is not JSON, and refused before). */
  readonly digest: string;
}

export function parseShard(text: string): Shard {
  const m = /^([0-9]+)\/([0-9]+)$/.exec(text);
  const k = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (m === null || !Number.isSafeInteger(n) || n < 1 || k < 1 || k > n) throw new ShardError(`--shard expects k/n with 1 <= k <= n (e.g. 2/4), got '${text}'`);
  return { k, n };
}

/** Shard k of n of runs 0..runs-1: a contiguous slice, the slices in order covering every run once. */
export function shardRange(shard: Shard, runs: number): { readonly start: number; readonly end: number } {
  return { start: Math.floor(((shard.k - 1) * runs) / shard.n), end: Math.floor((shard.k * runs) / shard.n) };
}

/** Shard k of n of items 0..count-1 taken whole: every n-th from k-1, so slow and fast rows mix. */
export function shardItems(shard: Shard, count: number): number[] {
  const items: number[] = [];
  for (let i = shard.k - 1; i < count; i += shard.n) items.push(i);
  return items;
}

/** Two settings are the same when their canonical JSON (keys sorted) is. */
export { canonicalJson };

/** The first setting (a dotted path) where two settings differ, for the error line. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const left = (a as Record<string, unknown>)[key];
      const right = (b as Record<string, unknown>)[key];
      if (canonicalJson(left) !== canonicalJson(right)) return firstDifference(left, right, path === '' ? key : `${path}.${key}`);
    }
  }
  const show = (v: unknown): string => {
    const text = v === undefined ? 'unset' : JSON.stringify(v);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  return `${path === '' ? 'settings' : path} ${show(b)} instead of ${show(a)}`;
}

/**
 * The shards of one command, in k order, or a ShardError naming the file that does not belong:
 * not a shard file, another command, package version, setting or seed, a different n, a k seen
 * twice, or a k missing.
 */
export function checkShards<S, R>(files: readonly { readonly path: string; readonly json: unknown }[], packageVersion: string): ShardFile<S, R>[] {
  if (files.length === 0) throw new ShardError('merge needs the shard files to combine');
  const shards = files.map(({ path, json }) => {
    const file = json as Partial<ShardFile<S, R>> | null;
    if (file === null || typeof file !== 'object' || file.kind !== SHARD_KIND) throw new ShardError(`${path}: not a uiasim shard file (write one with --shard k/n --out FILE)`);
    if (file.schemaVersion !== SHARD_SCHEMA_VERSION) throw new ShardError(`${path}: shard schema version ${String(file.schemaVersion)}, this uiasim reads ${SHARD_SCHEMA_VERSION}`);
    if (file.packageVersion !== packageVersion) throw new ShardError(`${path}: written by uia-sim ${String(file.packageVersion)}, this is ${packageVersion}: run every shard and the merge with one version`);
    const { digest, ...rest } = file;
    if (digest !== digestOf(rest)) throw new ShardError(`${path}: damaged: its content does not match its digest (edited since it was written); write it again with --shard k/n --out FILE`);
    return { path, file: file as ShardFile<S, R> };
  });
  const first = shards[0] as { path: string; file: ShardFile<S, R> };
  const byK = new Map<number, string>();
  for (const { path, file } of shards) {
    if (file.command !== first.file.command) throw new ShardError(`${path}: a shard of ${file.command}, but ${first.path} is one of ${first.file.command}`);
    if (file.seed !== first.file.seed) throw new ShardError(`${path}: seed ${file.seed}, but ${first.path} has seed ${first.file.seed}: shards of one run share its seed`);
    if (canonicalJson(file.settings) !== canonicalJson(first.file.settings)) throw new ShardError(`${path}: other settings than ${first.path} (${firstDifference(first.file.settings, file.settings)})`);
    if (file.shard.n !== first.file.shard.n) throw new ShardError(`${path}: shard ${file.shard.k}/${file.shard.n}, but ${first.path} is one of ${first.file.shard.n}`);
    const again = byK.get(file.shard.k);
    if (again !== undefined) throw new ShardError(`${path}: shard ${file.shard.k}/${file.shard.n} again (also ${again})`);
    byK.set(file.shard.k, path);
  }
  const n = first.file.shard.n;
  for (let k = 1; k <= n; k++) if (!byK.has(k)) throw new ShardError(`shard ${k}/${n} is missing (given: ${shards.map((s) => `${s.path} ${s.file.shard.k}/${n}`).join(', ')})`);
  return shards.map((s) => s.file).sort((a, b) => a.shard.k - b.shard.k);
}

/** A shard file of `command` (its version: the one running). */
export function makeShardFile<S, R>(command: string, packageVersion: string, seed: number, settings: S, shard: Shard, of: string, result: R): ShardFile<S, R> {
  const content = { kind: SHARD_KIND, schemaVersion: SHARD_SCHEMA_VERSION, command, packageVersion, seed, settings, shard: { k: shard.k, n: shard.n, of }, result } as const;
  return { ...content, digest: digestOf(content) };
}

/** The digest of a shard file's other fields, as JSON carries them (canonical: keys sorted,
 * undefined fields left out, as JSON.stringify leaves them out of the file). Exported for tests
 * that make a file by hand to reach the checks behind the digest. */
export function digestOf(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 16);
}
