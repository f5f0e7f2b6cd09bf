import { callEffect, callResult, HttpError, type Effect, type Task } from '../../src/effects.js';
import type { SessionRecord, SessionStore, StoreContext, StoreDefinition } from './contract.js';
import type { UiAuthCommand } from './sql-tables.js';

/** uia §2.4 step 2: up to 5 attempts at a unique session ID, then a 500. */
const CREATE_ATTEMPTS = 5;

/**
 * Synapse 1.13+'s UIAuthWorkerStore (#7302, uia §2.7): every method is one transaction, one
 * round trip to the shared database; nothing is cached in process memory, so every process sees
 * every commit on its next read.
 */
export class SqlSessionStore implements SessionStore {
  constructor(private readonly context: StoreContext) {}

  /** The effect of one statement; each method yields it itself and passes what it is resumed
   * with to `callResult` (no generator per statement: this is the hot path of every sql run). */
  private statement(command: UiAuthCommand): Effect {
    return callEffect(this.context.serviceNode, command);
  }

  *createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string> {
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const id = this.context.newSessionId();
      const inserted = callResult<boolean>(yield this.statement({ op: 'ui.create', id, clientdict, uri, method, description, nowMs }), this.context.serviceNode);
      if (inserted) return id;
    }
    // uia §2.4 step 2: StoreError(500, "Couldn't generate a session ID.").
    throw new HttpError(500, { errcode: 'M_UNKNOWN', error: "Couldn't generate a session ID." });
  }

  *getSession(id: string): Task<SessionRecord | undefined> {
    return callResult<SessionRecord | undefined>(yield this.statement({ op: 'ui.get', id }), this.context.serviceNode);
  }

  *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    return callResult<boolean>(yield this.statement({ op: 'ui.markStage', id, stage, result }), this.context.serviceNode);
  }

  *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    return callResult<ReadonlyMap<string, unknown>>(yield this.statement({ op: 'ui.getStages', id }), this.context.serviceNode);
  }

  *setClientdict(id: string, clientdict: Record<string, unknown>): Task<void> {
    callResult<null>(yield this.statement({ op: 'ui.setClientdict', id, clientdict }), this.context.serviceNode);
  }

  *setSessionData(id: string, key: string, value: unknown): Task<void> {
    callResult<null>(yield this.statement({ op: 'ui.setData', id, key, value }), this.context.serviceNode);
  }

  *getSessionData(id: string, key: string): Task<unknown> {
    return callResult<unknown>(yield this.statement({ op: 'ui.getData', id, key }), this.context.serviceNode);
  }

  *addUserAgentIp(id: string, userAgent: string, ip: string): Task<void> {
    callResult<null>(yield this.statement({ op: 'ui.addIp', id, userAgent, ip }), this.context.serviceNode);
  }

  *deleteOldSessions(expiryTimeMs: number): Task<number> {
    return callResult<number>(yield this.statement({ op: 'ui.deleteOld', expiryTimeMs }), this.context.serviceNode);
  }
}

export const sqlStore: StoreDefinition = {
  name: 'sql',
  backend: 'sql',
  placement: 'service',
  durable: true,
  connect: (context) => new SqlSessionStore(context),
};
