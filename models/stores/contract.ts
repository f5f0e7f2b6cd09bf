import type { Task } from '../../src/effects.js';

/**
 * The session store contract (docs/architecture.md "Session store contract"; also the plug-in contract).
 * Methods mirror Synapse's UIAuthWorkerStore (uia §2.7). They are generators yielding backend
 * commands, so every yield is a point where other requests interleave; a method made of several
 * commands is not atomic, exactly as in real life. "Unknown session" is a returned value
 * (undefined / false), never an exception.
 */
export interface SessionRecord {
  readonly id: string;
  readonly clientdict: Readonly<Record<string, unknown>>;
  readonly uri: string;
  readonly method: string;
  readonly description: string;
  readonly creationTimeMs: number;
}

export interface SessionStore {
  /** Inserts a session and returns its ID (drawn from `StoreContext.newSessionId`). */
  createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string>;
  getSession(id: string): Task<SessionRecord | undefined>;
  /** Upsert of one stage's result (uia §2.4 step 6); false when the session is unknown. */
  markStageComplete(id: string, stage: string, result: unknown): Task<boolean>;
  /** Stage -> result, in the order the stages were first completed. Empty for an unknown ID. */
  getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>>;
  setClientdict(id: string, clientdict: Record<string, unknown>): Task<void>;
  setSessionData(id: string, key: string, value: unknown): Task<void>;
  getSessionData(id: string, key: string): Task<unknown>;
  addUserAgentIp(id: string, userAgent: string, ip: string): Task<void>;
  /** Deletes sessions that expired at `expiryTimeMs` (what "expired" means is the store's
   * expiry policy: absolute from creation, or sliding from last use); returns how many. */
  deleteOldSessions(expiryTimeMs: number): Task<number>;
  /** A one-way message from a peer process's store (a cache invalidation), if the store uses
   * any. */
  handleNotification?(payload: unknown): void;
}

/** What a store gets from the process that uses it. */
export interface StoreContext {
  /** A fresh session ID from the calling process's stream (24 letters, uia §2.4 step 2). */
  newSessionId(): string;
  nowMs(): number;
  /** The node id of the store's service node, or -1 for a process-local store. */
  readonly serviceNode: number;
  /** Where the calling process sits in the deployment: stores placed on main (reached over an
   * internal API) or that notify their peers (cache invalidations) need it. */
  readonly deployment?: {
    readonly self: number;
    readonly main: number;
    /** Every other Synapse process. */
    readonly peers: readonly number[];
  };
}

/** What a store placed on main answers over the internal API (see `serveStoreCall`). */
export interface StoreCall {
  readonly op: 'store-call';
  readonly method: keyof SessionStore;
  readonly args: readonly unknown[];
}

export type StoreBackend = 'memory' | 'kv' | 'sql';
export type StorePlacement = 'process' | 'main' | 'service';

/**
 * What a service node runs: executes one command atomically. The object lives as long as the
 * run: its node's crash and restart do not replace it, they call `restart()`, and what the
 * service keeps then is what survives. Redis without persistence keeps nothing; Synapse's
 * database keeps everything committed; a plug-in may keep only what it had flushed.
 */
export interface StoreService {
  execute(command: unknown, nowMs: number): unknown;
  /** The node came back up (a new incarnation): drop what a restart loses. Absent: nothing is
   * lost, as with a database. */
  restart?(): void;
}

/** A store's own service node (Redis, say); stores on Synapse's database use the `db` node. */
export interface StoreServiceDefinition {
  /** The node's name in the topology (also what fault plans name). */
  readonly name: string;
  /** Called once per run; the object then serves every incarnation of the node. */
  create(): StoreService;
}

export interface StoreDefinition {
  readonly name: string;
  readonly backend: StoreBackend;
  readonly placement: StorePlacement;
  /** Documentation: whether the store's data survives a restart of the node holding it. The
   * simulator never reads it: what survives is what the service's `restart()` keeps (and, for
   * placements `process` and `main`, nothing of a restarted process's memory). A store that
   * claims durability and loses writes on restart is caught under `store-restart`. */
  readonly durable?: boolean;
  /** For placement 'service' on a node of its own; absent: Synapse's database node. */
  readonly service?: StoreServiceDefinition;
  /** The per-incarnation client a process uses. */
  connect(context: StoreContext): SessionStore;
}
