import { call, HttpError, type Task } from '../../src/effects.js';
import type { SessionRecord, SessionStore, StoreContext, StoreDefinition } from './contract.js';
import type { UiAuthCommand } from './sql-tables.js';

/** ref 2.4 step 2: up to 5 attempts at a unique session ID, then a 500. */
const CREATE_ATTEMPTS = 5;

/**
 * Synapse 1.13+'s UIAuthWorkerStore (#7302, ref 2.7): every method is one transaction, one
 * round trip to the shared database; nothing is cached in process memory, so every process sees
 * every commit on its next read.
 */
export class SqlSessionStore implements SessionStore {
  constructor(private readonly context: StoreContext) {}

  private *run<T>(command: UiAuthCommand): Task<T> {
    return yield* call<T>(this.context.serviceNode, command);
  }

  *createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string> {
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const id = this.context.newSessionId();
      const inserted = yield* this.run<boolean>({ op: 'ui.create', id, clientdict, uri, method, description, nowMs });
      if (inserted) return id;
    }
    // ref 2.4 step 2: StoreError(500, "Couldn't generate a session ID.").
    throw new HttpError(500, { errcode: 'M_UNKNOWN', error: "Couldn't generate a session ID." });
  }

  *getSession(id: string): Task<SessionRecord | undefined> {
    return yield* this.run<SessionRecord | undefined>({ op: 'ui.get', id });
  }

  *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    return yield* this.run<boolean>({ op: 'ui.markStage', id, stage, result });
  }

  *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    return yield* this.run<ReadonlyMap<string, unknown>>({ op: 'ui.getStages', id });
  }

  *setClientdict(id: string, clientdict: Record<string, unknown>): Task<void> {
    yield* this.run<null>({ op: 'ui.setClientdict', id, clientdict });
  }

  *setSessionData(id: string, key: string, value: unknown): Task<void> {
    yield* this.run<null>({ op: 'ui.setData', id, key, value });
  }

  *getSessionData(id: string, key: string): Task<unknown> {
    return yield* this.run<unknown>({ op: 'ui.getData', id, key });
  }

  *addUserAgentIp(id: string, userAgent: string, ip: string): Task<void> {
    yield* this.run<null>({ op: 'ui.addIp', id, userAgent, ip });
  }

  *deleteOldSessions(expiryTimeMs: number): Task<number> {
    return yield* this.run<number>({ op: 'ui.deleteOld', expiryTimeMs });
  }
}

export const sqlStore: StoreDefinition = {
  name: 'sql',
  backend: 'sql',
  placement: 'service',
  durable: true,
  connect: (context) => new SqlSessionStore(context),
};
