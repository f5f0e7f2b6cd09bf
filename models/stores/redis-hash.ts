import { callEffect, callResult, HttpError, type Task } from '../../src/effects.js';
import { SESSION_EXPIRE_MS } from '../synapse/profile.js';
import type { SessionRecord, SessionStore, StoreContext, StoreDefinition } from './contract.js';
import { REDIS_SERVICE, type KvCommand } from './kv.js';

/** uia §2.4 step 2: up to 5 attempts at a unique session ID, then a 500. */
const CREATE_ATTEMPTS = 5;

/**
 * Fields of the hash `uia:<id>`, one per thing written independently, so no write rewrites
 * another's data (the rows of uia §2.7, as fields):
 * - `session`: JSON {uri, method, description, creationTimeMs}, written once at creation;
 * - `clientdict`: JSON, a blind overwrite (uia §2.7, last writer wins);
 * - `serverdict:<key>`: JSON, one field per key, so set_session_data needs no read;
 * - `ip:<JSON [ip, user agent]>`: '1', a set member (uia §2.7 ui_auth_sessions_ips);
 * - `stage:<type>`: JSON of the result (uia §2.7 ui_auth_sessions_credentials).
 * Every name has a letter prefix, so HGETALL's object keeps insertion order (see kv.ts).
 */
const SESSION = 'session';
const CLIENTDICT = 'clientdict';
const STAGE = 'stage:';
const DATA = 'serverdict:';
const IP = 'ip:';

const keyOf = (id: string): string => `uia:${id}`;
/** JSON, with '' (never valid JSON) for undefined, which JSON.stringify cannot encode. */
const encode = (value: unknown): string => JSON.stringify(value) ?? '';
const decode = (raw: string): unknown => (raw === '' ? undefined : JSON.parse(raw));

/**
 * "Redis with TTL" with one hash per session: completing a stage is one HSET of one field, so
 * two stages completed at once both survive (no lost update, unlike redis-blob).
 * - Writes go through the `hset-if-exists` script (EXISTS + HSET in one step): a plain HSET on
 *   a session that has expired would re-create it as a fragment with no TTL; returning false
 *   instead is what SQL's FK does (uia §2.6).
 * - Creation is `hset-if-absent` (no merging into a colliding ID, uia §2.4 step 2), then EXPIRE
 *   48 h (uia §2.1, §2.8: absolute from creation): two round trips. A crash of the process
 *   between them leaves a session with no TTL, never expired: a known window of this design.
 * - Stage order (uia §2.4 step 7: `completed` in row order) is the hash's field insertion
 *   order, a re-completed stage keeping its place. Real Redis keeps that order only while a
 *   hash is listpack-encoded (small fields); a production store would store a sequence number.
 */
export class RedisHashSessionStore implements SessionStore {
  constructor(private readonly context: StoreContext) {}

  private *run<T>(command: KvCommand): Task<T> {
    return callResult<T>(yield callEffect(this.context.serviceNode, command), this.context.serviceNode);
  }

  /** HSET only if the session still exists; false when it does not. */
  private *write(id: string, ...args: string[]): Task<boolean> {
    const added = yield* this.run<number>({ op: 'script', name: 'hset-if-exists', keys: [keyOf(id)], args });
    return added !== -1;
  }

  private *all(id: string): Task<Readonly<Record<string, string>>> {
    return yield* this.run<Readonly<Record<string, string>>>({ op: 'hgetall', key: keyOf(id) });
  }

  *createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string> {
    const session = encode({ uri, method, description, creationTimeMs: nowMs });
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const id = this.context.newSessionId();
      const args = [SESSION, session, CLIENTDICT, encode(clientdict)];
      const added = yield* this.run<number>({ op: 'script', name: 'hset-if-absent', keys: [keyOf(id)], args });
      if (added === -1) continue;
      // The crash window: the session exists from here, without a TTL until this arrives.
      yield* this.run<number>({ op: 'expire', key: keyOf(id), ms: SESSION_EXPIRE_MS });
      return id;
    }
    // uia §2.4 step 2: StoreError(500, "Couldn't generate a session ID.").
    throw new HttpError(500, { errcode: 'M_UNKNOWN', error: "Couldn't generate a session ID." });
  }

  *getSession(id: string): Task<SessionRecord | undefined> {
    const fields = yield* this.all(id);
    const session = fields[SESSION];
    if (session === undefined) return undefined;
    const meta = decode(session) as Omit<SessionRecord, 'id' | 'clientdict'>;
    const clientdict = decode(fields[CLIENTDICT] ?? '{}') as Record<string, unknown>;
    return { id, clientdict, uri: meta.uri, method: meta.method, description: meta.description, creationTimeMs: meta.creationTimeMs };
  }

  *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    return yield* this.write(id, STAGE + stage, encode(result)); // uia §2.4 step 6: an upsert
  }

  *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    const stages = new Map<string, unknown>();
    for (const [field, raw] of Object.entries(yield* this.all(id))) {
      if (field.startsWith(STAGE)) stages.set(field.slice(STAGE.length), decode(raw));
    }
    return stages;
  }

  *setClientdict(id: string, clientdict: Record<string, unknown>): Task<void> {
    yield* this.write(id, CLIENTDICT, encode(clientdict));
  }

  *setSessionData(id: string, key: string, value: unknown): Task<void> {
    yield* this.write(id, DATA + key, encode(value));
  }

  *getSessionData(id: string, key: string): Task<unknown> {
    const raw = yield* this.run<string | null>({ op: 'hget', key: keyOf(id), field: DATA + key });
    return raw === null ? undefined : decode(raw);
  }

  *addUserAgentIp(id: string, userAgent: string, ip: string): Task<void> {
    yield* this.write(id, IP + JSON.stringify([ip, userAgent]), '1'); // uia §2.7: upsert
  }

  /** Redis's TTL does the expiry: nothing to sweep. */
  *deleteOldSessions(_expiryTimeMs: number): Task<number> {
    return 0;
  }
}

export const redisHashStore: StoreDefinition = {
  name: 'redis-hash',
  backend: 'kv',
  placement: 'service',
  // Redis without persistence: a restart loses every session (see appendOnly in kv.ts).
  durable: false,
  service: REDIS_SERVICE,
  connect: (context) => new RedisHashSessionStore(context),
};
