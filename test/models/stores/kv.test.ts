// The kv backend (docs/architecture.md "Session store contract"): an in-memory Redis in virtual time.
import { describe, expect, it } from 'vitest';
import { appendOnly, KvService, WRONGTYPE, type KvCommand, type KvReply } from '../../../models/stores/kv.js';
import { redisBlobStore } from '../../../models/stores/redis-blob.js';

/** A KvService with a clock the test moves. */
function kv(): { r: (command: KvCommand) => KvReply; at: (ms: number) => void; service: KvService } {
  const service = new KvService();
  let now = 0;
  return { r: (command) => service.run(command, now), at: (ms) => void (now = ms), service };
}

const watch = (r: (c: KvCommand) => KvReply, key: string): { key: string; version: number } => ({ key, version: r({ op: 'watch', key }) as number });

describe('KvService strings: GET, SET, DEL', () => {
  it('GET is null for a missing key; SET answers OK and overwrites', () => {
    const { r } = kv();
    expect(r({ op: 'get', key: 'k' })).toBeNull();
    expect(r({ op: 'set', key: 'k', value: 'a' })).toBe('OK');
    expect(r({ op: 'set', key: 'k', value: 'b' })).toBe('OK');
    expect(r({ op: 'get', key: 'k' })).toBe('b');
  });

  it('SET PX: the key lives until exactly its expiry (now > when expires it), then is invisible', () => {
    const { r, at } = kv();
    at(100);
    r({ op: 'set', key: 'k', value: 'v', px: 1000 });
    at(1100);
    expect(r({ op: 'pttl', key: 'k' })).toBe(0);
    expect(r({ op: 'get', key: 'k' })).toBe('v');
    at(1101);
    expect(r({ op: 'get', key: 'k' })).toBeNull();
    expect(r({ op: 'pttl', key: 'k' })).toBe(-2);
  });

  it('PTTL: -2 missing, -1 without expiry, else the ms left', () => {
    const { r, at } = kv();
    expect(r({ op: 'pttl', key: 'k' })).toBe(-2);
    r({ op: 'set', key: 'k', value: 'v' });
    expect(r({ op: 'pttl', key: 'k' })).toBe(-1);
    r({ op: 'set', key: 'k', value: 'v', px: 500 });
    at(120);
    expect(r({ op: 'pttl', key: 'k' })).toBe(380);
  });

  it('SET without PX or KEEPTTL clears the TTL; KEEPTTL keeps it; KEEPTTL on a missing key sets none', () => {
    const { r, at } = kv();
    r({ op: 'set', key: 'k', value: 'v', px: 500 });
    at(100);
    r({ op: 'set', key: 'k', value: 'w', keepTtl: true });
    expect(r({ op: 'pttl', key: 'k' })).toBe(400);
    r({ op: 'set', key: 'k', value: 'x' });
    expect(r({ op: 'pttl', key: 'k' })).toBe(-1);
    r({ op: 'set', key: 'fresh', value: 'y', keepTtl: true });
    expect(r({ op: 'pttl', key: 'fresh' })).toBe(-1);
  });

  it('SET NX: null and no write when the key exists; writes when missing or expired', () => {
    const { r, at } = kv();
    expect(r({ op: 'set', key: 'k', value: 'a', nx: true, px: 10 })).toBe('OK');
    expect(r({ op: 'set', key: 'k', value: 'b', nx: true })).toBeNull();
    expect(r({ op: 'get', key: 'k' })).toBe('a');
    expect(r({ op: 'pttl', key: 'k' })).toBe(10);
    at(11);
    expect(r({ op: 'set', key: 'k', value: 'c', nx: true })).toBe('OK');
    expect(r({ op: 'get', key: 'k' })).toBe('c');
  });

  it('SET rejects PX with KEEPTTL and a non-positive PX, writing nothing', () => {
    const { r } = kv();
    expect(r({ op: 'set', key: 'k', value: 'v', px: 5, keepTtl: true })).toEqual({ error: 'ERR syntax error' });
    expect(r({ op: 'set', key: 'k', value: 'v', px: 0 })).toMatchObject({ error: expect.stringMatching(/invalid expire/) as unknown });
    expect(r({ op: 'get', key: 'k' })).toBeNull();
  });

  it('DEL counts the keys that existed; an expired key does not count', () => {
    const { r, at } = kv();
    r({ op: 'set', key: 'a', value: '1' });
    r({ op: 'set', key: 'b', value: '2', px: 5 });
    r({ op: 'hset', key: 'h', fields: [['f', 'v']] });
    at(6);
    expect(r({ op: 'del', keys: ['a', 'b', 'h', 'none'] })).toBe(2);
    expect(r({ op: 'get', key: 'a' })).toBeNull();
    expect(r({ op: 'hgetall', key: 'h' })).toEqual({});
  });
});

describe('KvService hashes: HSET, HGET, HGETALL', () => {
  it('HSET answers how many fields are new; an overwritten field keeps its place', () => {
    const { r } = kv();
    expect(r({ op: 'hset', key: 'h', fields: [['b', '1'], ['a', '2']] })).toBe(2);
    expect(r({ op: 'hset', key: 'h', fields: [['b', '3'], ['c', '4']] })).toBe(1);
    expect(Object.entries(r({ op: 'hgetall', key: 'h' }) as object)).toEqual([['b', '3'], ['a', '2'], ['c', '4']]);
    expect(r({ op: 'hget', key: 'h', field: 'b' })).toBe('3');
    expect(r({ op: 'hget', key: 'h', field: 'zz' })).toBeNull();
    expect(r({ op: 'hset', key: 'h', fields: [] })).toEqual({ error: 'ERR wrong number of arguments' });
  });

  it('HGET null and HGETALL {} for a missing key; HGETALL hands out a copy; __proto__ stays a field', () => {
    const { r } = kv();
    expect(r({ op: 'hget', key: 'h', field: 'f' })).toBeNull();
    expect(r({ op: 'hgetall', key: 'h' })).toEqual({});
    r({ op: 'hset', key: 'h', fields: [['__proto__', 'x']] });
    const all = r({ op: 'hgetall', key: 'h' }) as Record<string, string>;
    expect(Object.keys(all)).toEqual(['__proto__']);
    all['other'] = 'y';
    expect(r({ op: 'hgetall', key: 'h' })).not.toHaveProperty('other');
  });

  it('a hash expires as a whole and is re-created empty by a later HSET', () => {
    const { r, at } = kv();
    r({ op: 'hset', key: 'h', fields: [['a', '1']] });
    r({ op: 'expire', key: 'h', ms: 10 });
    at(11);
    expect(r({ op: 'hgetall', key: 'h' })).toEqual({});
    expect(r({ op: 'hset', key: 'h', fields: [['b', '2']] })).toBe(1);
    expect(r({ op: 'hgetall', key: 'h' })).toEqual({ b: '2' });
    expect(r({ op: 'pttl', key: 'h' })).toBe(-1);
  });

  it('WRONGTYPE for string commands on a hash and hash commands on a string; SET replaces a hash', () => {
    const { r } = kv();
    r({ op: 'set', key: 's', value: 'v' });
    r({ op: 'hset', key: 'h', fields: [['f', 'v']] });
    expect(r({ op: 'get', key: 'h' })).toEqual(WRONGTYPE);
    expect(r({ op: 'hset', key: 's', fields: [['f', 'v']] })).toEqual(WRONGTYPE);
    expect(r({ op: 'hget', key: 's', field: 'f' })).toEqual(WRONGTYPE);
    expect(r({ op: 'hgetall', key: 's' })).toEqual(WRONGTYPE);
    expect(r({ op: 'set', key: 'h', value: 'now a string' })).toBe('OK');
    expect(r({ op: 'get', key: 'h' })).toBe('now a string');
  });
});

describe('KvService EXPIRE (PEXPIRE semantics)', () => {
  it('1 when set, 0 for a missing key; it replaces the TTL; ms <= 0 deletes the key', () => {
    const { r, at } = kv();
    expect(r({ op: 'expire', key: 'k', ms: 10 })).toBe(0);
    r({ op: 'set', key: 'k', value: 'v', px: 10 });
    at(5);
    expect(r({ op: 'expire', key: 'k', ms: 100 })).toBe(1);
    expect(r({ op: 'pttl', key: 'k' })).toBe(100);
    at(104);
    expect(r({ op: 'get', key: 'k' })).toBe('v');
    expect(r({ op: 'expire', key: 'k', ms: 0 })).toBe(1);
    expect(r({ op: 'pttl', key: 'k' })).toBe(-2);
  });
});

describe('KvService WATCH + MULTI/EXEC', () => {
  it('runs every queued command in one step and answers each reply when nothing watched changed', () => {
    const { r } = kv();
    r({ op: 'set', key: 'k', value: 'a' });
    const w = watch(r, 'k');
    r({ op: 'get', key: 'k' }); // reads do not touch the version
    const replies = r({ op: 'exec', watched: [w], commands: [{ op: 'set', key: 'k', value: 'b' }, { op: 'get', key: 'k' }, { op: 'hget', key: 'k', field: 'f' }] });
    // An error reply inside EXEC fails that command only, as in Redis.
    expect(replies).toEqual(['OK', 'b', WRONGTYPE]);
  });

  it.each<[string, KvCommand]>([
    ['SET', { op: 'set', key: 'k', value: 'other' }],
    ['SET KEEPTTL of the same value', { op: 'set', key: 'k', value: 'a', keepTtl: true }],
    ['DEL', { op: 'del', keys: ['k'] }],
    ['EXPIRE', { op: 'expire', key: 'k', ms: 1000 }],
  ])('aborts (null, nothing run) when another client ran %s on a watched key', (_name, other) => {
    const { r } = kv();
    r({ op: 'set', key: 'k', value: 'a' });
    const w = watch(r, 'k');
    r(other);
    expect(r({ op: 'exec', watched: [w], commands: [{ op: 'set', key: 'mine', value: 'x' }] })).toBeNull();
    expect(r({ op: 'get', key: 'mine' })).toBeNull();
  });

  it('aborts when a watched key expired in the meantime, even if nobody touched it', () => {
    const { r, at } = kv();
    r({ op: 'set', key: 'k', value: 'a', px: 10 });
    const w = watch(r, 'k');
    at(11);
    expect(r({ op: 'exec', watched: [w], commands: [{ op: 'set', key: 'k', value: 'b' }] })).toBeNull();
  });

  it('aborts when a key watched while missing was created, or deleted and re-created', () => {
    const { r } = kv();
    const missing = watch(r, 'k');
    r({ op: 'hset', key: 'k', fields: [['f', 'v']] });
    expect(r({ op: 'exec', watched: [missing], commands: [] })).toBeNull();
    const present = watch(r, 'k');
    r({ op: 'del', keys: ['k'] });
    r({ op: 'hset', key: 'k', fields: [['f', 'v']] });
    expect(r({ op: 'exec', watched: [present], commands: [] })).toBeNull();
  });

  it('a refused SET NX, a DEL of a missing key and reads are no writes: EXEC goes through', () => {
    const { r } = kv();
    r({ op: 'set', key: 'k', value: 'a' });
    const w = [watch(r, 'k'), watch(r, 'gone')];
    r({ op: 'set', key: 'k', value: 'b', nx: true });
    r({ op: 'del', keys: ['gone'] });
    r({ op: 'pttl', key: 'k' });
    r({ op: 'hgetall', key: 'gone' });
    expect(r({ op: 'exec', watched: w, commands: [{ op: 'get', key: 'k' }] })).toEqual(['a']);
  });
});

describe('KvService scripts (one atomic step at the node)', () => {
  it('hset-if-exists: -1 and no write for a missing or expired key; else HSET, keeping the TTL', () => {
    const { r, at } = kv();
    const script = (key: string, ...args: string[]): KvReply => r({ op: 'script', name: 'hset-if-exists', keys: [key], args });
    expect(script('h', 'f', 'v')).toBe(-1);
    expect(r({ op: 'pttl', key: 'h' })).toBe(-2);
    r({ op: 'hset', key: 'h', fields: [['a', '1']] });
    r({ op: 'expire', key: 'h', ms: 10 });
    expect(script('h', 'b', '2', 'a', '3')).toBe(1);
    expect(r({ op: 'hgetall', key: 'h' })).toEqual({ a: '3', b: '2' });
    expect(r({ op: 'pttl', key: 'h' })).toBe(10);
    at(11);
    expect(script('h', 'c', '4')).toBe(-1);
    expect(r({ op: 'pttl', key: 'h' })).toBe(-2);
  });

  it('hset-if-absent: HSET only when the key does not exist, else -1 and no write', () => {
    const { r } = kv();
    const script = (...args: string[]): KvReply => r({ op: 'script', name: 'hset-if-absent', keys: ['h'], args });
    expect(script('a', '1')).toBe(1);
    expect(script('a', '2', 'b', '3')).toBe(-1);
    expect(r({ op: 'hgetall', key: 'h' })).toEqual({ a: '1' });
  });

  it('wrong arity and unknown scripts are error replies', () => {
    const { r } = kv();
    expect(r({ op: 'script', name: 'hset-if-exists', keys: ['h'], args: ['odd'] })).toEqual({ error: 'ERR wrong number of arguments' });
    expect(r({ op: 'script', name: 'hset-if-absent', keys: [], args: ['f', 'v'] })).toEqual({ error: 'ERR wrong number of arguments' });
    expect(r({ op: 'script', name: 'nope', keys: [], args: [] } as unknown as KvCommand)).toEqual({ error: 'NOSCRIPT No matching script.' });
  });
});

describe('KvService as a StoreService', () => {
  it('execute runs a command at the given virtual time; an unknown command throws', () => {
    const service = new KvService();
    expect(service.execute({ op: 'set', key: 'k', value: 'v', px: 10 }, 100)).toBe('OK');
    expect(service.execute({ op: 'pttl', key: 'k' }, 105)).toBe(5);
    expect(() => service.execute({ op: 'flushall' }, 0)).toThrow(/unknown command/);
  });

  it('appendOnly: the same store, durable, under its own name (appendfsync always)', () => {
    const aof = appendOnly(redisBlobStore);
    expect(aof).toMatchObject({ name: 'redis-blob-aof', backend: 'kv', placement: 'service', durable: true });
    expect(aof.connect).toBe(redisBlobStore.connect);
    expect(redisBlobStore.durable).toBe(false);
  });
});
