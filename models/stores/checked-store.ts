import { describeYielded, effectProblem, type Task } from '../../src/effects.js';
import type { SessionStore, StoreDefinition } from './contract.js';

/** The methods of the contract (contract.ts), each a generator function. */
const METHODS = [
  'createSession',
  'getSession',
  'markStageComplete',
  'getCompletedStages',
  'setClientdict',
  'setSessionData',
  'getSessionData',
  'addUserAgentIp',
  'deleteOldSessions',
] as const satisfies readonly (keyof SessionStore)[];

const CONTRACT_BRAND = Symbol.for('uia-sim.StoreContractError');

/** A plug-in store broke the contract in a way no run can recover from: one line naming the
 * store, the method and what it did (the CLI prints it and exits 2). */
export class StoreContractError extends Error {
  readonly [CONTRACT_BRAND] = true;
  override readonly name = 'StoreContractError';
  constructor(
    readonly store: string,
    /** What went wrong, naming the method: the message without the store's name. */
    readonly detail: string,
  ) {
    super(`store ${store}: ${detail}`);
  }
}

export function isStoreContractError(error: unknown): error is StoreContractError {
  return typeof error === 'object' && error !== null && CONTRACT_BRAND in error;
}

const HOW = 'a store method yields only effects, as in `yield* call(context.serviceNode, command)` (from uia-sim)';

/**
 * A user's store with every method checked where its yields enter the simulation: a value that
 * is not an effect fails with the method's name, instead of deep in the engine. Built-in stores
 * are not wrapped, so the engine's loop pays nothing for plug-ins.
 */
export function checkedStore(definition: StoreDefinition): StoreDefinition {
  const name = definition.name;
  return {
    ...definition,
    connect: (context) => {
      const store = definition.connect(context) as Partial<SessionStore> | null | undefined;
      if (typeof store !== 'object' || store === null) throw new StoreContractError(name, `connect() returned ${String(store)}, not a SessionStore`);
      const missing = METHODS.filter((m) => typeof store[m] !== 'function');
      if (missing.length > 0) throw new StoreContractError(name, `connect() returned a store without ${missing.join(', ')} (a SessionStore has ${METHODS.join(', ')})`);
      return checkedSession(store as SessionStore, name);
    },
  };
}

function checkedSession(store: SessionStore, name: string): SessionStore {
  const wrap = <M extends (typeof METHODS)[number]>(method: M): SessionStore[M] =>
    ((...args: unknown[]) => {
      const task = (store[method] as (...a: unknown[]) => unknown).apply(store, args) as Task<unknown> | undefined;
      if (typeof task !== 'object' || task === null || typeof task.next !== 'function') {
        throw new StoreContractError(name, `${method} returned ${returned(task)}, not a generator; declare it \`*${method}(...)\` (${HOW})`);
      }
      return checkedTask(task, name, method);
    }) as unknown as SessionStore[M];
  const handleNotification = store.handleNotification;
  return {
    createSession: wrap('createSession'),
    getSession: wrap('getSession'),
    markStageComplete: wrap('markStageComplete'),
    getCompletedStages: wrap('getCompletedStages'),
    setClientdict: wrap('setClientdict'),
    setSessionData: wrap('setSessionData'),
    getSessionData: wrap('getSessionData'),
    addUserAgentIp: wrap('addUserAgentIp'),
    deleteOldSessions: wrap('deleteOldSessions'),
    ...(handleNotification === undefined ? {} : { handleNotification: (payload: unknown) => handleNotification.call(store, payload) }),
  };
}

function returned(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Promise) return 'a Promise (an async method)';
  return describeYielded(value);
}

/** Runs `task`, passing each effect up and each result back, after checking it is an effect. */
function* checkedTask<R>(task: Task<R>, store: string, method: string): Task<R> {
  let step = task.next();
  while (step.done !== true) {
    const problem = effectProblem(step.value);
    if (problem !== null) throw new StoreContractError(store, `${method} yielded ${problem}; ${HOW}`);
    let input: unknown;
    try {
      input = yield step.value;
    } catch (error) {
      step = task.throw(error);
      continue;
    }
    step = task.next(input);
  }
  return step.value;
}
