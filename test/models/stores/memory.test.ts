// Synapse 1.8's per-process session cache (uia §2.2) as a SessionStore.
import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src/effects.js';
import { MemorySessionStore, memoryStore } from '../../../models/stores/memory.js';
import { TestClock } from '../helpers.js';

const HOUR = 60 * 60 * 1000;

/** A memory store never yields: every method finishes on its first step. */
function now<R>(task: Task<R>): R {
  const step = task.next();
  if (step.done !== true) throw new Error(`the memory store yielded ${JSON.stringify(step.value)}`);
  return step.value;
}

function storeWith(ids: readonly string[] = ['s1', 's2', 's3', 's4', 's5']): { store: MemorySessionStore; clock: TestClock; drawn: () => number } {
  const clock = new TestClock();
  let next = 0;
  const store = new MemorySessionStore({
    newSessionId: () => {
      const id = ids[next++];
      if (id === undefined) throw new Error('out of IDs');
      return id;
    },
    nowMs: clock.now,
    serviceNode: -1,
  });
  return { store, clock, drawn: () => next };
}

describe('MemorySessionStore', () => {
  it('declares a volatile process-local memory backend (DESIGN "Session store contract")', () => {
    expect(memoryStore).toMatchObject({ name: 'memory', backend: 'memory', placement: 'process', durable: false });
  });

  it('uia §2.4 step 2: session IDs come from the calling process\'s stream, in order', () => {
    const { store } = storeWith();
    expect(now(store.createSession({}, '/r', 'POST', 'd', 0))).toBe('s1');
    expect(now(store.createSession({}, '/r', 'POST', 'd', 0))).toBe('s2');
  });

  it('uia §2.2: an ID already in the cache is drawn again', () => {
    const { store, drawn } = storeWith(['dup', 'dup', 'dup', 'fresh']);
    expect(now(store.createSession({}, '/r', 'POST', 'd', 0))).toBe('dup');
    expect(now(store.createSession({}, '/r', 'POST', 'd', 0))).toBe('fresh');
    expect(drawn()).toBe(4);
  });

  it('stores the record as given', () => {
    const { store } = storeWith();
    const id = now(store.createSession({ username: 'u' }, '/_matrix/client/r0/register', 'POST', 'register a new account', 1234));
    expect(now(store.getSession(id))).toEqual({
      id,
      clientdict: { username: 'u' },
      uri: '/_matrix/client/r0/register',
      method: 'POST',
      description: 'register a new account',
      creationTimeMs: 1234,
    });
  });

  it('no method yields (DESIGN "Effects": 1.8 stores do not interleave)', () => {
    const { store } = storeWith();
    const id = now(store.createSession({}, '/r', 'POST', 'd', 0));
    now(store.getSession(id));
    now(store.markStageComplete(id, 'm.login.dummy', true));
    now(store.getCompletedStages(id));
    now(store.setClientdict(id, { a: 1 }));
    now(store.setSessionData(id, 'k', 'v'));
    now(store.getSessionData(id, 'k'));
    now(store.addUserAgentIp(id, 'ua', '1.2.3.4'));
    now(store.deleteOldSessions(0));
  });

  it('"unknown session" is a returned value, never an exception, and never creates the session', () => {
    const { store } = storeWith();
    expect(now(store.getSession('nope'))).toBeUndefined();
    expect(now(store.markStageComplete('nope', 'm.login.dummy', true))).toBe(false);
    expect(now(store.getCompletedStages('nope')).size).toBe(0);
    now(store.setClientdict('nope', { a: 1 }));
    now(store.setSessionData('nope', 'k', 'v'));
    expect(now(store.getSessionData('nope', 'k'))).toBeUndefined();
    expect(now(store.getSession('nope'))).toBeUndefined();
  });

  it('marks stages as an upsert, in first-completion order', () => {
    const { store } = storeWith();
    const id = now(store.createSession({}, '/r', 'POST', 'd', 0));
    expect(now(store.markStageComplete(id, 'm.login.terms', true))).toBe(true);
    now(store.markStageComplete(id, 'm.login.recaptcha', true));
    now(store.markStageComplete(id, 'm.login.terms', 'again'));
    expect([...now(store.getCompletedStages(id)).entries()]).toEqual([
      ['m.login.terms', 'again'],
      ['m.login.recaptcha', true],
    ]);
  });

  it('keeps the clientdict and the serverdict per session', () => {
    const { store } = storeWith();
    const a = now(store.createSession({ username: 'a' }, '/r', 'POST', 'd', 0));
    const b = now(store.createSession({ username: 'b' }, '/r', 'POST', 'd', 0));
    now(store.setClientdict(a, { username: 'a2' }));
    now(store.setSessionData(a, 'registered_user_id', '@a2:test'));
    expect(now(store.getSession(a))?.clientdict).toEqual({ username: 'a2' });
    expect(now(store.getSession(b))?.clientdict).toEqual({ username: 'b' });
    expect(now(store.getSessionData(a, 'registered_user_id'))).toBe('@a2:test');
    expect(now(store.getSessionData(b, 'registered_user_id'))).toBeUndefined();
  });

  describe('uia §2.2: sliding expiry (ExpiringCache, reset_expiry_on_get)', () => {
    it('getSession touches lastUsed, so deleteOldSessions removes only idle sessions', () => {
      const { store, clock } = storeWith();
      const idle = now(store.createSession({}, '/r', 'POST', 'd', 0));
      const used = now(store.createSession({}, '/r', 'POST', 'd', 0));
      clock.ms = 10 * HOUR;
      now(store.getSession(used));
      // Everything not used since 5 h goes: only the idle one.
      expect(now(store.deleteOldSessions(5 * HOUR))).toBe(1);
      expect(now(store.getSession(idle))).toBeUndefined();
      expect(now(store.getSession(used))).toBeDefined();
    });

    it.each([
      ['markStageComplete', (s: MemorySessionStore, id: string) => s.markStageComplete(id, 'm.login.dummy', true)],
      ['getCompletedStages', (s: MemorySessionStore, id: string) => s.getCompletedStages(id)],
      ['setClientdict', (s: MemorySessionStore, id: string) => s.setClientdict(id, {})],
      ['setSessionData', (s: MemorySessionStore, id: string) => s.setSessionData(id, 'k', 1)],
      ['getSessionData', (s: MemorySessionStore, id: string) => s.getSessionData(id, 'k')],
    ] as const)('%s touches lastUsed too', (_name, touch) => {
      const { store, clock } = storeWith();
      const id = now(store.createSession({}, '/r', 'POST', 'd', 0));
      clock.ms = 10 * HOUR;
      now(touch(store, id) as Task<unknown>);
      expect(now(store.deleteOldSessions(5 * HOUR))).toBe(0);
      // Last used at 10 h: kept at a 10 h cutoff (strictly before goes), gone 1 ms after.
      expect(now(store.deleteOldSessions(10 * HOUR))).toBe(0);
      expect(now(store.deleteOldSessions(10 * HOUR + 1))).toBe(1);
    });

    it('ExpiringCache prunes entries last used strictly before the cutoff: a session is kept at the cutoff and goes 1 ms after', () => {
      const { store, clock } = storeWith();
      clock.ms = 1000;
      const id = now(store.createSession({}, '/r', 'POST', 'd', clock.ms));
      expect(now(store.deleteOldSessions(999))).toBe(0);
      expect(now(store.deleteOldSessions(1000))).toBe(0);
      expect(now(store.deleteOldSessions(1001))).toBe(1);
      expect(now(store.getSession(id))).toBeUndefined();
    });

    it('deleting a session drops its stages and data', () => {
      const { store, clock } = storeWith(['same', 'same']);
      const id = now(store.createSession({}, '/r', 'POST', 'd', 0));
      now(store.markStageComplete(id, 'm.login.terms', true));
      now(store.setSessionData(id, 'k', 1));
      clock.ms = 100;
      now(store.deleteOldSessions(50));
      // Re-created under the same ID, it starts empty.
      expect(now(store.createSession({}, '/r', 'POST', 'd', 100))).toBe('same');
      expect(now(store.getCompletedStages('same')).size).toBe(0);
      expect(now(store.getSessionData('same', 'k'))).toBeUndefined();
    });
  });

  it('each connection (process incarnation) has its own sessions: a restart loses everything (uia §2.2)', () => {
    const clock = new TestClock();
    const first = memoryStore.connect({ newSessionId: () => 'abc', nowMs: clock.now, serviceNode: -1 });
    const id = now(first.createSession({}, '/r', 'POST', 'd', 0));
    const second = memoryStore.connect({ newSessionId: () => 'xyz', nowMs: clock.now, serviceNode: -1 });
    expect(now(second.getSession(id))).toBeUndefined();
  });
});
