// "Redis with TTL", one hash per session: the contract, its 48 h TTL, the creation window, and
// what the comparison must show: completing a stage is one HSET, so no completion is lost.
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../../models/stores/contract.js';
import { KvService } from '../../../models/stores/kv.js';
import { redisBlobStore } from '../../../models/stores/redis-blob.js';
import { redisHashStore } from '../../../models/stores/redis-hash.js';
import { SESSION_EXPIRE_MS } from '../../../models/synapse/profile.js';
import { HttpError } from '../../../src/effects.js';
import { HOUR, kvSetup } from './kv-harness.js';

function setup(ids: readonly string[] = ['s1', 's2', 's3'], definition = redisHashStore) {
  const base = kvSetup(definition, ids);
  const { kv, clock } = base;
  const fields = (id: string) => kv.run({ op: 'hgetall', key: `uia:${id}` }, clock.ms);
  return { ...base, fields };
}

describe('redisHashStore', () => {
  it('declares a volatile kv service of its own, "redis" (a restart loses everything)', () => {
    expect(redisHashStore).toMatchObject({ name: 'redis-hash', backend: 'kv', placement: 'service', durable: false });
    expect(redisHashStore.service?.name).toBe('redis');
    expect(redisHashStore.service?.create()).toBeInstanceOf(KvService);
  });

  it('uia §2.4 step 2: create is hset-if-absent then EXPIRE 48 h; fields session and clientdict', () => {
    const { store, run, fields, pttl } = setup();
    const created = run(store.createSession({ username: 'u' }, '/_matrix/client/r0/register', 'POST', 'register a new account', 1234));
    expect(created).toEqual({ value: 's1', ops: ['hset-if-absent', 'expire'] });
    expect(pttl('s1')).toBe(SESSION_EXPIRE_MS);
    expect(fields('s1')).toEqual({
      session: JSON.stringify({ uri: '/_matrix/client/r0/register', method: 'POST', description: 'register a new account', creationTimeMs: 1234 }),
      clientdict: JSON.stringify({ username: 'u' }),
    });
    expect(run(store.getSession('s1')).value).toEqual({
      id: 's1',
      clientdict: { username: 'u' },
      uri: '/_matrix/client/r0/register',
      method: 'POST',
      description: 'register a new account',
      creationTimeMs: 1234,
    } satisfies SessionRecord);
  });

  it('uia §2.4 step 2: a colliding ID is drawn again and the existing session is not merged into', () => {
    const { store, run, drawn } = setup(['dup', 'dup', 'fresh']);
    run(store.createSession({ who: 'first' }, '/first', 'POST', 'd', 0));
    const second = run(store.createSession({ who: 'second' }, '/second', 'PUT', 'd', 0));
    expect(second).toEqual({ value: 'fresh', ops: ['hset-if-absent', 'hset-if-absent', 'expire'] });
    expect(drawn()).toBe(3);
    expect(run(store.getSession('dup')).value).toMatchObject({ clientdict: { who: 'first' }, uri: '/first', method: 'POST' });
  });

  it("uia §2.4 step 2: after 5 colliding attempts, HttpError 500 \"Couldn't generate a session ID.\"", () => {
    const { store, run } = setup(['same']);
    run(store.createSession({}, '/r', 'POST', 'd', 0));
    let thrown: unknown;
    try {
      run(store.createSession({}, '/r', 'POST', 'd', 0));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    expect((thrown as HttpError).status).toBe(500);
    expect((thrown as HttpError).body).toEqual({ errcode: 'M_UNKNOWN', error: "Couldn't generate a session ID." });
  });

  it('the contract: stages in first-completion order (upsert keeps the place), clientdict, serverdict, ips', () => {
    const { store, run, fields } = setup();
    const id = run(store.createSession({ a: 1 }, '/r', 'POST', 'd', 0)).value;
    expect(run(store.markStageComplete(id, 'm.login.terms', true)).value).toBe(true);
    expect(run(store.markStageComplete(id, '1', 'numeric-looking stage')).value).toBe(true);
    expect(run(store.markStageComplete(id, 'm.login.registration_token', 'tok')).value).toBe(true);
    run(store.markStageComplete(id, 'm.login.terms', { again: true }));
    expect([...run(store.getCompletedStages(id)).value]).toEqual([
      ['m.login.terms', { again: true }],
      ['1', 'numeric-looking stage'],
      ['m.login.registration_token', 'tok'],
    ]);
    run(store.setClientdict(id, { b: 2 }));
    expect(run(store.getSession(id)).value?.clientdict).toEqual({ b: 2 });
    run(store.setSessionData(id, 'registered_user_id', '@u:test'));
    run(store.setSessionData(id, 'password_hash', 'h'));
    run(store.setSessionData(id, 'cleared', undefined));
    expect(run(store.getSessionData(id, 'registered_user_id')).value).toBe('@u:test');
    expect(run(store.getSessionData(id, 'password_hash')).value).toBe('h');
    expect(run(store.getSessionData(id, 'cleared')).value).toBeUndefined();
    expect(run(store.getSessionData(id, 'constructor')).value).toBeUndefined();
    run(store.addUserAgentIp(id, 'ua', '1.2.3.4'));
    run(store.addUserAgentIp(id, 'ua', '1.2.3.4'));
    run(store.addUserAgentIp(id, 'other', '1.2.3.4'));
    expect(Object.keys(fields(id) as object).filter((f) => f.startsWith('ip:'))).toEqual(['ip:["1.2.3.4","ua"]', 'ip:["1.2.3.4","other"]']);
  });

  it('every method but create is one round trip; the sweep is none', () => {
    const { store, run } = setup();
    const id = run(store.createSession({}, '/r', 'POST', 'd', 0)).value;
    expect(run(store.getSession(id)).ops).toEqual(['hgetall']);
    expect(run(store.getCompletedStages(id)).ops).toEqual(['hgetall']);
    expect(run(store.getSessionData(id, 'k')).ops).toEqual(['hget']);
    expect(run(store.markStageComplete(id, 'm.login.dummy', true)).ops).toEqual(['hset-if-exists']);
    expect(run(store.setClientdict(id, {})).ops).toEqual(['hset-if-exists']);
    expect(run(store.setSessionData(id, 'k', 1)).ops).toEqual(['hset-if-exists']);
    expect(run(store.addUserAgentIp(id, 'ua', 'ip')).ops).toEqual(['hset-if-exists']);
    expect(run(store.deleteOldSessions(Number.MAX_SAFE_INTEGER))).toEqual({ value: 0, ops: [] });
    expect(run(store.getSession(id)).value).toBeDefined();
  });

  it('an unknown session is a returned value, and no write creates it (uia §2.6: as the FK refuses it)', () => {
    const { store, run, pttl } = setup();
    expect(run(store.getSession('ghost')).value).toBeUndefined();
    expect(run(store.markStageComplete('ghost', 'm.login.dummy', true)).value).toBe(false);
    expect(run(store.getCompletedStages('ghost')).value.size).toBe(0);
    run(store.setClientdict('ghost', { a: 1 }));
    run(store.setSessionData('ghost', 'k', 1));
    run(store.addUserAgentIp('ghost', 'ua', 'ip'));
    expect(run(store.getSessionData('ghost', 'k')).value).toBeUndefined();
    expect(pttl('ghost')).toBe(-2);
  });

  it('uia §2.8: gone 48 h after creation, activity notwithstanding; a late write does not resurrect it', () => {
    const { store, run, clock, pttl } = setup();
    const id = run(store.createSession({}, '/r', 'POST', 'd', 0)).value;
    clock.ms = 47 * HOUR;
    run(store.markStageComplete(id, 'm.login.terms', true));
    run(store.setClientdict(id, { touched: true }));
    clock.ms = SESSION_EXPIRE_MS;
    expect(pttl(id)).toBe(0);
    expect(run(store.getSession(id)).value).toBeDefined();
    clock.ms = SESSION_EXPIRE_MS + 1;
    expect(run(store.getSession(id)).value).toBeUndefined();
    expect(run(store.getCompletedStages(id)).value.size).toBe(0);
    expect(run(store.markStageComplete(id, 'm.login.dummy', true)).value).toBe(false);
    expect(pttl(id)).toBe(-2);
  });

  it('the window: a process that dies between the HSET and the EXPIRE leaves a session that never expires', () => {
    const { store, run, step, clock, pttl } = setup();
    const create = step(store.createSession({}, '/r', 'POST', 'd', 0));
    create.step(); // hset-if-absent; then the process crashes and the EXPIRE is never sent
    expect(create.done).toBe(false);
    expect(pttl('s1')).toBe(-1);
    clock.ms = 365 * 24 * HOUR;
    expect(run(store.getSession('s1')).value).toBeDefined();
  });

  it('THE COMPARISON: two stages completed at once in one session both survive (each is one HSET)', () => {
    const { store, run, step } = setup();
    const id = run(store.createSession({}, '/r', 'POST', 'd', 0)).value;
    const a = step(store.markStageComplete(id, 'm.login.recaptcha', true)); // the fallback page, on main
    const b = step(store.markStageComplete(id, 'm.login.terms', true)); // the app, on a worker
    a.step();
    b.step();
    expect([a.value, a.ops, b.value, b.ops]).toEqual([true, ['hset-if-exists'], true, ['hset-if-exists']]);
    expect([...run(store.getCompletedStages(id)).value.keys()]).toEqual(['m.login.recaptcha', 'm.login.terms']);
  });

  it('THE COMPARISON, #6705 shaped: the app\'s clientdict write (uia §2.4 step 3) and a fallback stage both survive', () => {
    const { store, run, step } = setup();
    const id = run(store.createSession({ username: 'u' }, '/r', 'POST', 'd', 0)).value;
    // The app reads the session first, as check_ui_auth does, then writes the clientdict.
    const app = step(store.getSession(id));
    app.step();
    const write = step(store.setClientdict(id, { username: 'u2' }));
    const fallback = step(store.markStageComplete(id, 'm.login.recaptcha', true));
    fallback.step();
    write.step();
    expect([...run(store.getCompletedStages(id)).value.keys()]).toEqual(['m.login.recaptcha']);
    expect(run(store.getSession(id)).value?.clientdict).toEqual({ username: 'u2' });
  });

  it('the same two-stage interleaving loses a stage under redis-blob and none under redis-hash', () => {
    const outcome = (definition: typeof redisHashStore): string[] => {
      const { store, run, step } = setup(['s1'], definition);
      const id = run(store.createSession({}, '/r', 'POST', 'd', 0)).value;
      const a = step(store.markStageComplete(id, 'm.login.recaptcha', true));
      const b = step(store.markStageComplete(id, 'm.login.terms', true));
      // A, B, A, B, one command at a time, as helpers.interleave does.
      while (!a.done || !b.done) {
        if (!a.done) a.step();
        if (!b.done) b.step();
      }
      return [...run(store.getCompletedStages(id)).value.keys()];
    };
    expect(outcome(redisBlobStore)).toEqual(['m.login.terms']);
    expect(outcome(redisHashStore)).toEqual(['m.login.recaptcha', 'm.login.terms']);
  });
});
