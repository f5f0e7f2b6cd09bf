import type { Task } from '../../src/effects.js';
import type { SessionRecord, SessionStore, StoreContext, StoreDefinition } from './contract.js';

interface MemorySession {
  record: SessionRecord;
  readonly creds: Map<string, unknown>;
  readonly serverdict: Map<string, unknown>;
  lastUsedMs: number;
}

/**
 * Synapse 1.8's `AuthHandler.sessions` (uia §2.2): an ExpiringCache in each process's memory,
 * lost on restart, with a sliding expiry (`reset_expiry_on_get`). Its methods never yield, so
 * every call is atomic within the process, as it was.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, MemorySession>();

  constructor(private readonly context: StoreContext) {}

  *createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string> {
    let id = this.context.newSessionId();
    while (this.sessions.has(id)) id = this.context.newSessionId();
    this.sessions.set(id, {
      record: { id, clientdict, uri, method, description, creationTimeMs: nowMs },
      creds: new Map(),
      serverdict: new Map(),
      lastUsedMs: nowMs,
    });
    return id;
  }

  *getSession(id: string): Task<SessionRecord | undefined> {
    return this.touch(id)?.record;
  }

  *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    const session = this.touch(id);
    if (session === undefined) return false;
    session.creds.set(stage, result);
    return true;
  }

  *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    return this.touch(id)?.creds ?? EMPTY;
  }

  *setClientdict(id: string, clientdict: Record<string, unknown>): Task<void> {
    const session = this.touch(id);
    if (session !== undefined) session.record = { ...session.record, clientdict };
  }

  *setSessionData(id: string, key: string, value: unknown): Task<void> {
    this.touch(id)?.serverdict.set(key, value);
  }

  *getSessionData(id: string, key: string): Task<unknown> {
    return this.touch(id)?.serverdict.get(key);
  }

  *addUserAgentIp(_id: string, _userAgent: string, _ip: string): Task<void> {
    // 1.8 kept no per-session client addresses (the ips table came in 1.20, uia §2.1).
  }

  /** ExpiringCache pruning: entries last used strictly before `expiryTimeMs` go. */
  *deleteOldSessions(expiryTimeMs: number): Task<number> {
    let deleted = 0;
    // Values, not entries: an [id, session] pair per session per sweep was garbage, and a slow
    // run sweeps hundreds of times. A session's key is its record's id.
    for (const session of this.sessions.values()) {
      if (session.lastUsedMs < expiryTimeMs) {
        this.sessions.delete(session.record.id);
        deleted++;
      }
    }
    return deleted;
  }

  /** Every access slides the expiry (uia §2.2: reset_expiry_on_get=True). */
  private touch(id: string): MemorySession | undefined {
    const session = this.sessions.get(id);
    if (session !== undefined) session.lastUsedMs = this.context.nowMs();
    return session;
  }
}

const EMPTY: ReadonlyMap<string, unknown> = new Map();

export const memoryStore: StoreDefinition = {
  name: 'memory',
  backend: 'memory',
  placement: 'process',
  durable: false,
  connect: (context) => new MemorySessionStore(context),
};
