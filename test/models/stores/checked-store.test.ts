import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { call, type Task } from '../../../src/effects.js';
import { checkedStore, isStoreContractError, StoreContractError } from '../../../models/stores/checked-store.js';
import type { SessionStore, StoreContext, StoreDefinition } from '../../../models/stores/contract.js';
import { findStrategy, withPlugins, type Strategy } from '../../../models/strategies.js';
import { caseArbitrary } from '../../../properties/case-arbitrary.js';
import { checkCase } from '../../../properties/check-case.js';
import { findFaultProfile } from '../../../properties/fault-profiles.js';

const context: StoreContext = { newSessionId: () => 'abc', nowMs: () => 0, serviceNode: 7 };

/** A store whose methods return at once, but `getSession`, which is the one given. */
function storeWith(getSession: (id: string) => unknown): StoreDefinition {
  function* nothing(): Task<undefined> {
    return undefined;
  }
  const methods = ['createSession', 'markStageComplete', 'getCompletedStages', 'setClientdict', 'setSessionData', 'getSessionData', 'addUserAgentIp', 'deleteOldSessions'];
  return {
    name: 'fake',
    backend: 'kv',
    placement: 'service',
    durable: true,
    connect: () => ({ ...Object.fromEntries(methods.map((m) => [m, nothing])), getSession }) as unknown as SessionStore,
  };
}

/** Drives a task as the process does, answering each call effect with `answer`. */
function drive(task: Task<unknown>, answer: unknown): unknown {
  let step = task.next();
  while (step.done !== true) step = task.next(answer);
  return step.value;
}

describe('a plug-in store is checked where its yields enter the simulation', () => {
  it('a yielded command (not an effect) fails naming the store, the method and the value', () => {
    const store = checkedStore(
      storeWith(function* (id): Generator<unknown, unknown, unknown> {
        return yield { op: 'get', key: id };
      }),
    ).connect(context);
    let error: unknown;
    try {
      drive(store.getSession('abc'), 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreContractError);
    expect(isStoreContractError(error)).toBe(true);
    expect((error as StoreContractError).detail).toBe(
      'getSession yielded the object {"op":"get","key":"abc"}; a store method yields only effects, as in `yield* call(context.serviceNode, command)` (from uia-sim)',
    );
    expect((error as Error).message).toMatch(/^store fake: getSession yielded/);
  });

  it('effects pass through unchanged, results come back, and an error thrown in reaches the method', () => {
    const seen: unknown[] = [];
    const store = checkedStore(
      storeWith(function* (id) {
        try {
          seen.push(yield* call(7, { op: 'get', key: id }));
          yield* call(7, { op: 'again' });
        } catch (error) {
          return `caught ${String(error)}`;
        }
        return 'not reached';
      }),
    ).connect(context);
    const task = store.getSession('abc');
    expect(task.next().value).toEqual({ kind: 'call', to: 7, command: { op: 'get', key: 'abc' } });
    expect(task.next('row').value).toEqual({ kind: 'call', to: 7, command: { op: 'again' } });
    expect(seen).toEqual(['row']);
    expect(task.throw('boom')).toEqual({ done: true, value: 'caught boom' });
  });

  it('a method that is not a generator function, or a missing method, is named', () => {
    const asyncStore = checkedStore(storeWith(async () => undefined)).connect(context);
    expect(() => asyncStore.getSession('abc')).toThrow('store fake: getSession returned a Promise (an async method), not a generator; declare it `*getSession(...)`');
    const incomplete = checkedStore({ ...storeWith(() => undefined), connect: () => ({ getSession: () => undefined }) as unknown as SessionStore });
    expect(() => incomplete.connect(context)).toThrow(/^store fake: connect\(\) returned a store without createSession, markStageComplete, getCompletedStages, setClientdict, setSessionData, getSessionData, addUserAgentIp, deleteOldSessions \(a SessionStore has /);
  });

  it('wrapping changes no run: a built-in store as a plug-in gives the same trace hashes', () => {
    const sql = findStrategy('sql') as Strategy;
    const wrapped = withPlugins(sql, sql.store, undefined);
    expect(wrapped.store).not.toBe(sql.store);
    const faultProfile = findFaultProfile('any-restart');
    if (faultProfile === undefined) throw new Error('no any-restart fault profile');
    const cases = fc.sample(caseArbitrary({ strategy: 'sql', profile: sql.profile, faultProfile, workload: 'registration' }), { numRuns: 10, seed: 5 });
    for (const c of cases) {
      expect(checkCase(c, 'progress-never-lost', { strategy: wrapped }).result.traceHash).toBe(checkCase(c, 'progress-never-lost', { strategy: sql }).result.traceHash);
    }
  });
});
