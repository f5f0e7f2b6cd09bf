import type { StoreDefinition, StoreService } from './contract.js';

// The kv backend (docs/architecture.md "Session store contract"): an in-memory Redis. Every command is one
// round trip and one atomic step at the node (Redis runs commands one at a time), so a store
// method made of several commands is not atomic, exactly as with a real Redis.

/** A Redis error reply: returned, not thrown, as Redis replies it (inside EXEC, per command). */
export type KvError = { readonly error: string };
/** What WATCH handed out for a key, for EXEC to compare. */
export type KvWatch = { readonly key: string; readonly version: number };

export type KvScriptName = 'hset-if-exists' | 'hset-if-absent';
export type KvCommand =
  /** GET key: the string, or null when missing or expired. */
  | { readonly op: 'get'; readonly key: string }
  /** SET key value [NX] [PX ms | KEEPTTL]: 'OK', or null when NX finds the key; with neither PX
   * nor KEEPTTL the key loses any TTL it had (Redis's SET). */
  | { readonly op: 'set'; readonly key: string; readonly value: string; readonly nx?: boolean; readonly px?: number; readonly keepTtl?: boolean }
  /** DEL key [key ...]: how many of them existed. */
  | { readonly op: 'del'; readonly keys: readonly string[] }
  /** HSET key field value [field value ...]: how many fields are new; creates the hash. */
  | { readonly op: 'hset'; readonly key: string; readonly fields: readonly (readonly [string, string])[] }
  /** HGET key field: the value, or null. */
  | { readonly op: 'hget'; readonly key: string; readonly field: string }
  /** HGETALL key: a plain object in field insertion order, {} when missing. */
  | { readonly op: 'hgetall'; readonly key: string }
  /** PEXPIRE key ms: 1, or 0 when missing; ms <= 0 deletes the key (and answers 1). */
  | { readonly op: 'expire'; readonly key: string; readonly ms: number }
  /** PTTL key: ms left, -1 without expiry, -2 when missing. */
  | { readonly op: 'pttl'; readonly key: string }
  /** WATCH key: the key's version; the connection state Redis keeps is modelled as this token. */
  | { readonly op: 'watch'; readonly key: string }
  /** MULTI ... EXEC after WATCH: null (aborted, nothing run) when a watched key was written,
   * deleted or expired since its WATCH; else every queued command's reply, run in one step. */
  | { readonly op: 'exec'; readonly watched: readonly KvWatch[]; readonly commands: readonly KvQueued[] }
  /** EVALSHA of a registered script: run at the node in one atomic step (like Lua). */
  | { readonly op: 'script'; readonly name: KvScriptName; readonly keys: readonly string[]; readonly args: readonly string[] };

/** What MULTI may queue (no nested MULTI, and WATCH inside MULTI is an error in Redis). */
export type KvQueued = Exclude<KvCommand, { readonly op: 'exec' } | { readonly op: 'watch' }>;
export type KvReply = string | number | null | KvError | Readonly<Record<string, string>> | readonly KvReply[];

export const WRONGTYPE: KvError = { error: 'WRONGTYPE Operation against a key holding the wrong kind of value' };
const SYNTAX: KvError = { error: 'ERR syntax error' };
const ARITY: KvError = { error: 'ERR wrong number of arguments' };

/** A script body: `call` is its `redis.call`, running a command inside the same atomic step. */
type KvScript = (call: (command: KvQueued) => KvReply, keys: readonly string[], args: readonly string[]) => KvReply;

/** ARGV as HSET's field/value pairs; undefined when odd. */
function pairs(args: readonly string[]): [string, string][] | undefined {
  if (args.length === 0 || args.length % 2 !== 0) return undefined;
  return args.flatMap((field, i): [string, string][] => (i % 2 === 0 ? [[field, args[i + 1] ?? '']] : []));
}

/** Both scripts guard an HSET on the key's existence, which plain HSET cannot (it creates). */
function guardedHset(mustExist: boolean): KvScript {
  return (call, keys, args) => {
    const key = keys[0];
    const fields = pairs(args);
    if (key === undefined || keys.length !== 1 || fields === undefined) return ARITY;
    const exists = call({ op: 'pttl', key }) !== -2;
    return exists === mustExist ? call({ op: 'hset', key, fields }) : -1;
  };
}

const SCRIPTS = new Map<string, KvScript>([
  // if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end; return redis.call('HSET', KEYS[1], unpack(ARGV))
  // A write to an expired session must not resurrect it without a TTL (uia §2.6: SQL's FK fails it).
  ['hset-if-exists', guardedHset(true)],
  // if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end; return redis.call('HSET', KEYS[1], unpack(ARGV))
  // Creation must not merge into a colliding session (uia §2.4 step 2: retry on a clash).
  ['hset-if-absent', guardedHset(false)],
]);

/** A string or a hash (field -> string); expiresAtMs: absolute virtual ms, null = no expiry. */
type Entry = { value: string | Map<string, string>; expiresAtMs: number | null };

export class KvService implements StoreService {
  private readonly entries = new Map<string, Entry>();
  /** Per key, bumped on every write, delete and expiry; kept after the key goes, so WATCH on a
   * key that is deleted and re-created still aborts (as Redis's touched-key flag does). */
  private readonly versions = new Map<string, number>();

  /** `none`: Redis's default, a restart comes back empty; `append-only` (`appendonly yes`,
   * `appendfsync always`): every acknowledged write is replayed from the AOF. */
  constructor(readonly persistence: 'none' | 'append-only' = 'none') {}

  restart(): void {
    if (this.persistence === 'append-only') return;
    this.entries.clear();
    this.versions.clear();
  }

  execute(command: unknown, nowMs: number): unknown {
    return this.run(command as KvCommand, nowMs);
  }

  run(c: KvCommand, now: number): KvReply {
    switch (c.op) {
      case 'get': {
        const entry = this.live(c.key, now);
        if (entry === undefined) return null;
        return typeof entry.value === 'string' ? entry.value : WRONGTYPE;
      }
      case 'set': {
        if (c.px !== undefined && c.keepTtl === true) return SYNTAX;
        if (c.px !== undefined && !(c.px > 0)) return { error: "ERR invalid expire time in 'set' command" };
        const old = this.live(c.key, now);
        if (c.nx === true && old !== undefined) return null; // NX: no write, no version bump
        const expiresAtMs = c.px !== undefined ? now + c.px : c.keepTtl === true ? (old?.expiresAtMs ?? null) : null;
        this.entries.set(c.key, { value: c.value, expiresAtMs });
        this.bump(c.key);
        return 'OK';
      }
      case 'del': {
        let removed = 0;
        for (const key of c.keys) if (this.live(key, now) !== undefined) removed += this.remove(key);
        return removed;
      }
      case 'hset': {
        if (c.fields.length === 0) return ARITY;
        const old = this.live(c.key, now);
        let hash: Map<string, string>;
        if (old === undefined) {
          hash = new Map();
          this.entries.set(c.key, { value: hash, expiresAtMs: null });
        } else if (typeof old.value === 'string') return WRONGTYPE;
        else hash = old.value;
        let added = 0;
        for (const [field, value] of c.fields) {
          if (!hash.has(field)) added++;
          hash.set(field, value); // an overwritten field keeps its place in the order
        }
        this.bump(c.key); // Redis signals every HSET as a modification, even an identical one
        return added;
      }
      case 'hget':
      case 'hgetall': {
        const entry = this.live(c.key, now);
        if (entry === undefined) return c.op === 'hget' ? null : {};
        if (typeof entry.value === 'string') return WRONGTYPE;
        // fromEntries keeps __proto__ a field; integer-like names would sort first (ours are prefixed).
        return c.op === 'hget' ? (entry.value.get(c.field) ?? null) : Object.fromEntries(entry.value);
      }
      case 'expire': {
        const entry = this.live(c.key, now);
        if (entry === undefined) return 0;
        if (c.ms <= 0) return this.remove(c.key);
        entry.expiresAtMs = now + c.ms;
        this.bump(c.key);
        return 1;
      }
      case 'pttl': {
        const entry = this.live(c.key, now);
        if (entry === undefined) return -2;
        return entry.expiresAtMs === null ? -1 : entry.expiresAtMs - now;
      }
      case 'watch':
        this.live(c.key, now); // an expired key is deleted now, so WATCH sees its final version
        return this.version(c.key);
      case 'exec': {
        for (const w of c.watched) {
          this.live(w.key, now); // Redis >= 6.0.9: a watched key that expired aborts EXEC too
          if (this.version(w.key) !== w.version) return null;
        }
        return c.commands.map((queued) => this.run(queued, now));
      }
      case 'script': {
        const script = SCRIPTS.get(c.name);
        if (script === undefined) return { error: 'NOSCRIPT No matching script.' };
        return script((command) => this.run(command, now), c.keys, c.args);
      }
      default: {
        const unreachable: never = c;
        throw new Error(`kv: unknown command ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** The entry unless missing or expired (now > expiry: Redis's keyIsExpired). Expiry is lazy, on
   * access, as in Redis (whose background sampling only deletes keys no client can see). */
  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expiresAtMs === null || now <= entry.expiresAtMs) return entry;
    this.remove(key);
    return undefined;
  }

  private remove(key: string): number {
    this.entries.delete(key);
    this.bump(key);
    return 1;
  }

  private bump(key: string): void {
    this.versions.set(key, this.version(key) + 1);
  }

  private version(key: string): number {
    return this.versions.get(key) ?? 0;
  }
}

/** The store on a Redis with `appendonly yes` + `appendfsync always`: every acknowledged write
 * survives a restart; TTLs are absolute in the AOF. */
export function appendOnly(definition: StoreDefinition): StoreDefinition {
  if (definition.service?.name !== REDIS_SERVICE.name) throw new Error(`appendOnly: ${definition.name} is not on Redis`);
  return { ...definition, name: `${definition.name}-aof`, durable: true, service: { name: REDIS_SERVICE.name, create: (): StoreService => new KvService('append-only') } };
}

/** Redis without persistence as a store's own node: a restart loses everything (see
 * appendOnly for the durable variant). */
export const REDIS_SERVICE = { name: 'redis', create: (): StoreService => new KvService('none') } as const;
