import { callEffect, callResult, HttpError, type Task } from '../../src/effects.js';
import { SESSION_EXPIRE_MS } from '../synapse/profile.js';
import type { SessionRecord, SessionStore, StoreContext, StoreDefinition } from './contract.js';
import { REDIS_SERVICE, type KvCommand } from './kv.js';

/** uia §2.4 step 2: up to 5 attempts at a unique session ID, then a 500. */
const CREATE_ATTEMPTS = 5;

/**
 * The whole session as one JSON value. Stages and ips are lists of pairs, not objects, so their
 * order is the completion order whatever the names (a JSON object lists integer-like keys first).
 */
interface Blob {
  record: SessionRecord;
  stages: [string, unknown][];
  serverdict: Record<string, unknown>;
  ips: [string, string][];
}

const keyOf = (id: string): string => `uia:${id}`;

/**
 * "Redis with TTL", the #6705 proposal in its simplest form: one key `uia:<id>` per session
 * holding the whole session as JSON, with a 48 h TTL set at creation (uia §2.1 SESSION_EXPIRE_MS;
 * absolute from creation as in uia §2.8, so nothing needs sweeping). Every mutation is a
 * read-modify-write: GET, change the copy, SET ... KEEPTTL. Two round trips, not atomic, so:
 * - two writes to one session that interleave (a stage from the fallback page while the app's
 *   request writes the clientdict, uia §2.4 step 3; two stages at once) lose the first: the
 *   second SET writes back a copy read before the first SET (a lost update);
 * - a session that expires between the GET and the SET comes back from the SET with no TTL
 *   (KEEPTTL on a missing key sets none), so it never expires.
 * The TTL runs from when SET reaches Redis, so it never ends before creation + 48 h.
 */
export class RedisBlobSessionStore implements SessionStore {
  constructor(private readonly context: StoreContext) {}

  private *run<T>(command: KvCommand): Task<T> {
    return callResult<T>(yield callEffect(this.context.serviceNode, command), this.context.serviceNode);
  }

  private *load(id: string): Task<Blob | undefined> {
    const raw = yield* this.run<string | null>({ op: 'get', key: keyOf(id) });
    return raw === null ? undefined : (JSON.parse(raw) as Blob);
  }

  /** The second half of every read-modify-write: overwrites whatever was written since load. */
  private *save(blob: Blob): Task<void> {
    yield* this.run<string>({ op: 'set', key: keyOf(blob.record.id), value: JSON.stringify(blob), keepTtl: true });
  }

  *createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string> {
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const id = this.context.newSessionId();
      const blob: Blob = { record: { id, clientdict, uri, method, description, creationTimeMs: nowMs }, stages: [], serverdict: {}, ips: [] };
      // SET NX PX: insert only if the ID is free, with its TTL, in one step.
      const ok = yield* this.run<string | null>({ op: 'set', key: keyOf(id), value: JSON.stringify(blob), nx: true, px: SESSION_EXPIRE_MS });
      if (ok !== null) return id;
    }
    // uia §2.4 step 2: StoreError(500, "Couldn't generate a session ID.").
    throw new HttpError(500, { errcode: 'M_UNKNOWN', error: "Couldn't generate a session ID." });
  }

  *getSession(id: string): Task<SessionRecord | undefined> {
    return (yield* this.load(id))?.record;
  }

  *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    const blob = yield* this.load(id);
    if (blob === undefined) return false;
    // uia §2.4 step 6: an upsert; a re-completed stage keeps its place.
    const existing = blob.stages.find(([type]) => type === stage);
    if (existing === undefined) blob.stages.push([stage, result]);
    else existing[1] = result;
    yield* this.save(blob);
    return true;
  }

  *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    return new Map((yield* this.load(id))?.stages ?? []);
  }

  *setClientdict(id: string, clientdict: Record<string, unknown>): Task<void> {
    const blob = yield* this.load(id);
    if (blob === undefined) return;
    blob.record = { ...blob.record, clientdict }; // uia §2.7: blind overwrite
    yield* this.save(blob);
  }

  *setSessionData(id: string, key: string, value: unknown): Task<void> {
    const blob = yield* this.load(id);
    if (blob === undefined) return;
    blob.serverdict = { ...blob.serverdict, [key]: value }; // a computed key stays an own property
    yield* this.save(blob);
  }

  *getSessionData(id: string, key: string): Task<unknown> {
    const serverdict = (yield* this.load(id))?.serverdict;
    return serverdict !== undefined && Object.hasOwn(serverdict, key) ? serverdict[key] : undefined;
  }

  *addUserAgentIp(id: string, userAgent: string, ip: string): Task<void> {
    const blob = yield* this.load(id);
    if (blob === undefined || blob.ips.some(([i, ua]) => i === ip && ua === userAgent)) return; // uia §2.7: upsert
    blob.ips.push([ip, userAgent]);
    yield* this.save(blob);
  }

  /** Redis's TTL does the expiry: nothing to sweep. */
  *deleteOldSessions(_expiryTimeMs: number): Task<number> {
    return 0;
  }
}

export const redisBlobStore: StoreDefinition = {
  name: 'redis-blob',
  backend: 'kv',
  placement: 'service',
  // Redis without persistence: a restart loses every session (see appendOnly in kv.ts).
  durable: false,
  service: REDIS_SERVICE,
  connect: (context) => new RedisBlobSessionStore(context),
};
