import { notify, type Task } from '../../src/effects.js';
import type { SessionRecord, SessionStore, StoreContext, StoreDefinition } from './contract.js';
import { SqlSessionStore } from './sql.js';

/** How long the replication stream takes to carry an invalidation to the other processes, on
 * top of the network's latency (Synapse's replication goes through main; ~100 ms is typical). */
export const REPLICATION_LAG_MS = 150;

interface Cached {
  record?: SessionRecord | undefined;
  stages?: ReadonlyMap<string, unknown>;
  readonly data: Map<string, unknown>;
}

/**
 * SQL with a worker-side cache, the way Synapse caches most tables: reads are served from the
 * process's cache once filled; every write goes to the database, refreshes the writer's own
 * cache and sends an invalidation to every other process over the replication stream, which
 * arrives after a lag. Until it does, another process serves what it cached before: the
 * stage completed on main's fallback page is not there when the worker answers the resubmit.
 */
export class CachedSqlSessionStore implements SessionStore {
  private readonly sql: SqlSessionStore;
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly context: StoreContext) {
    this.sql = new SqlSessionStore(context);
  }

  private entry(id: string): Cached {
    let cached = this.cache.get(id);
    if (cached === undefined) {
      cached = { data: new Map() };
      this.cache.set(id, cached);
    }
    return cached;
  }

  /** Tells every other process to forget `id`; they learn it after the lag. */
  private *invalidateElsewhere(id: string): Task<void> {
    for (const peer of this.context.deployment?.peers ?? []) yield* notify(peer, { op: 'invalidate', id }, REPLICATION_LAG_MS);
  }

  handleNotification(payload: unknown): void {
    const message = payload as { op?: string; id?: string };
    if (message.op === 'invalidate' && typeof message.id === 'string') this.cache.delete(message.id);
  }

  *createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string> {
    const id = yield* this.sql.createSession(clientdict, uri, method, description, nowMs);
    this.cache.set(id, { record: { id, clientdict, uri, method, description, creationTimeMs: nowMs }, stages: new Map(), data: new Map() });
    return id;
  }

  *getSession(id: string): Task<SessionRecord | undefined> {
    const cached = this.cache.get(id);
    if (cached !== undefined && 'record' in cached) return cached.record;
    const record = yield* this.sql.getSession(id);
    this.entry(id).record = record;
    return record;
  }

  *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    const ok = yield* this.sql.markStageComplete(id, stage, result);
    const cached = this.cache.get(id);
    if (cached?.stages !== undefined) cached.stages = new Map(cached.stages).set(stage, result);
    yield* this.invalidateElsewhere(id);
    return ok;
  }

  *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    const cached = this.cache.get(id)?.stages;
    if (cached !== undefined) return cached;
    const stages = yield* this.sql.getCompletedStages(id);
    this.entry(id).stages = stages;
    return stages;
  }

  *setClientdict(id: string, clientdict: Record<string, unknown>): Task<void> {
    yield* this.sql.setClientdict(id, clientdict);
    const cached = this.cache.get(id);
    if (cached?.record !== undefined) cached.record = { ...cached.record, clientdict };
    yield* this.invalidateElsewhere(id);
  }

  *setSessionData(id: string, key: string, value: unknown): Task<void> {
    yield* this.sql.setSessionData(id, key, value);
    this.entry(id).data.set(key, value);
    yield* this.invalidateElsewhere(id);
  }

  *getSessionData(id: string, key: string): Task<unknown> {
    const cached = this.cache.get(id)?.data;
    if (cached?.has(key) === true) return cached.get(key);
    const value = yield* this.sql.getSessionData(id, key);
    this.entry(id).data.set(key, value);
    return value;
  }

  *addUserAgentIp(id: string, userAgent: string, ip: string): Task<void> {
    yield* this.sql.addUserAgentIp(id, userAgent, ip);
  }

  *deleteOldSessions(expiryTimeMs: number): Task<number> {
    // The sweep runs on one process; the others learn of it only as their caches expire. Here
    // they keep serving the swept sessions from cache until a write invalidates them.
    return yield* this.sql.deleteOldSessions(expiryTimeMs);
  }
}

export const sqlCachedStore: StoreDefinition = {
  name: 'sql-cached',
  backend: 'sql',
  placement: 'service',
  durable: true,
  connect: (context) => new CachedSqlSessionStore(context),
};
