import { describe, expect, it } from 'vitest';
import { canonicalJson, checkShards, makeShardFile, parseShard, ShardError, shardItems, shardRange } from '../../src/run/shard.js';

describe('shards', () => {
  it('k/n parses; anything else is a ShardError', () => {
    expect(parseShard('2/4')).toEqual({ k: 2, n: 4 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/3x', '-1/3']) expect(() => parseShard(bad)).toThrow(ShardError);
  });

  it('the ranges of 1/n..n/n cover every run once, in order', () => {
    for (const [runs, n] of [
      [10, 3],
      [1000, 4],
      [2, 5],
      [1_000_000, 7],
    ] as const) {
      let at = 0;
      for (let k = 1; k <= n; k++) {
        const { start, end } = shardRange({ k, n }, runs);
        expect(start).toBe(at);
        expect(end).toBeGreaterThanOrEqual(start);
        at = end;
      }
      expect(at).toBe(runs);
    }
  });

  it('whole items: every n-th from k-1, together each item once', () => {
    const all = [1, 2, 3].flatMap((k) => shardItems({ k, n: 3 }, 11));
    expect(all.sort((a, b) => a - b)).toEqual([...Array(11).keys()]);
    expect(shardItems({ k: 2, n: 3 }, 11)).toEqual([1, 4, 7, 10]);
  });

  it('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe(canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  });

  it('checkShards sorts by k and names the file that does not belong', () => {
    const file = (k: number, n: number, settings: unknown = { runs: 10 }, seed = 1, version = '1.0.0') => makeShardFile('check', version, seed, settings, { k, n }, '', null);
    const shards = checkShards([{ path: 'b', json: file(2, 2) }, { path: 'a', json: file(1, 2) }], '1.0.0');
    expect(shards.map((s) => s.shard.k)).toEqual([1, 2]);
    expect(() => checkShards([{ path: 'a', json: file(1, 2) }], '1.0.0')).toThrow('shard 2/2 is missing (given: a 1/2)');
    expect(() => checkShards([{ path: 'a', json: file(1, 2) }, { path: 'b', json: file(2, 2, { runs: 11 }) }], '1.0.0')).toThrow('b: other settings than a (runs 11 instead of 10)');
    expect(() => checkShards([{ path: 'a', json: file(1, 2) }, { path: 'b', json: file(2, 2, undefined, 2) }], '1.0.0')).toThrow('b: seed 2, but a has seed 1');
    expect(() => checkShards([{ path: 'a', json: file(1, 2) }, { path: 'b', json: file(2, 3) }], '1.0.0')).toThrow('b: shard 2/3, but a is one of 2');
    expect(() => checkShards([{ path: 'a', json: file(1, 1, undefined, 1, '0.9.0') }], '1.0.0')).toThrow('a: written by uia-sim 0.9.0, this is 1.0.0');
    expect(() => checkShards([{ path: 'a', json: { hello: 1 } }], '1.0.0')).toThrow('a: not a uiasim shard file');
  });

  it('a file edited after it was written is refused as damaged, whatever field changed; one written by schema 1 by its version', () => {
    const file = makeShardFile('check', '1.0.0', 1, { runs: 10 }, { k: 1, n: 1 }, 'runs 1-10 of 10', { start: 0, end: 10, coverage: { runs: 10 } });
    // A round trip through JSON (as merge reads it) keeps the digest.
    expect(checkShards([{ path: 'a', json: JSON.parse(JSON.stringify(file)) as unknown }], '1.0.0')).toHaveLength(1);
    const damaged = 'a: damaged: its content does not match its digest (edited since it was written); write it again with --shard k/n --out FILE';
    const edits: ((json: Record<string, unknown>) => void)[] = [
      (j) => delete j.result,
      (j) => ((j.result as Record<string, unknown>).start = 'x'),
      (j) => ((j.result as Record<string, unknown>).coverage = null),
      (j) => ((j.shard as Record<string, unknown>).of = 'runs 1-9 of 10'),
      (j) => delete j.digest,
      (j) => (j.digest = 'not a digest'),
    ];
    for (const edit of edits) {
      const json = JSON.parse(JSON.stringify(file)) as Record<string, unknown>;
      edit(json);
      expect(() => checkShards([{ path: 'a', json }], '1.0.0'), String(edit)).toThrow(new ShardError(damaged));
    }
    const { digest: _, ...old } = file;
    expect(() => checkShards([{ path: 'a', json: { ...old, schemaVersion: 1 } }], '1.0.0')).toThrow('a: shard schema version 1, this uiasim reads 2');
  });
});
