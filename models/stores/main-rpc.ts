import { callEffect, callResult, type Task } from '../../src/effects.js';
import type { SessionRecord, SessionStore, StoreCall, StoreContext, StoreDefinition } from './contract.js';
import { MemorySessionStore } from './memory.js';

/**
 * The "internal HTTP API on main" proposal of #6705: main keeps the sessions in its memory (as
 * 1.8 did) and workers call it for every store operation. Sessions now survive worker hops and
 * worker restarts, but not a restart of main, and a worker cannot authenticate while main is
 * down or cut off.
 */
export class MainRpcSessionStore implements SessionStore {
  constructor(private readonly main: number) {}

  private *rpc<T>(method: StoreCall['method'], args: readonly unknown[]): Task<T> {
    const command: StoreCall = { op: 'store-call', method, args };
    return callResult<T>(yield callEffect(this.main, command), this.main);
  }

  *createSession(clientdict: Record<string, unknown>, uri: string, method: string, description: string, nowMs: number): Task<string> {
    return yield* this.rpc<string>('createSession', [clientdict, uri, method, description, nowMs]);
  }

  *getSession(id: string): Task<SessionRecord | undefined> {
    return yield* this.rpc<SessionRecord | undefined>('getSession', [id]);
  }

  *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    return yield* this.rpc<boolean>('markStageComplete', [id, stage, result]);
  }

  *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    // A real JSON API would send pairs; the copy stands for that serialisation.
    return new Map(yield* this.rpc<ReadonlyMap<string, unknown>>('getCompletedStages', [id]));
  }

  *setClientdict(id: string, clientdict: Record<string, unknown>): Task<void> {
    yield* this.rpc<void>('setClientdict', [id, clientdict]);
  }

  *setSessionData(id: string, key: string, value: unknown): Task<void> {
    yield* this.rpc<void>('setSessionData', [id, key, value]);
  }

  *getSessionData(id: string, key: string): Task<unknown> {
    return yield* this.rpc<unknown>('getSessionData', [id, key]);
  }

  *addUserAgentIp(id: string, userAgent: string, ip: string): Task<void> {
    yield* this.rpc<void>('addUserAgentIp', [id, userAgent, ip]);
  }

  *deleteOldSessions(expiryTimeMs: number): Task<number> {
    return yield* this.rpc<number>('deleteOldSessions', [expiryTimeMs]);
  }
}

/** Main's side of the internal API: runs one call against its own store. The store must not
 * yield (main's memory store never does): the call is one atomic step at main. */
export function serveStoreCall(store: SessionStore, command: unknown): unknown {
  const { method, args } = command as StoreCall;
  const run = (store[method] as (...a: unknown[]) => Task<unknown>).apply(store, [...args]);
  const step = run.next();
  if (step.done !== true) throw new Error(`main-rpc: ${method} on main yielded; a store served over the internal API must be process-local`);
  return step.value;
}

export const mainRpcStore: StoreDefinition = {
  name: 'main-rpc',
  backend: 'memory',
  placement: 'main',
  durable: false,
  connect: (context: StoreContext) => {
    const deployment = context.deployment;
    if (deployment === undefined) throw new Error('main-rpc: the store needs to know where main is');
    return deployment.self === deployment.main ? new MemorySessionStore(context) : new MainRpcSessionStore(deployment.main);
  },
};
