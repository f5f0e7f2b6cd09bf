// "Redis with TTL", one JSON value per session (#6705's proposal): the contract, its 48 h TTL,
// and the defect the comparison must show: a read-modify-write loses concurrent updates.
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../../models/stores/contract.js';
import { KvService } from '../../../models/stores/kv.js';
import { redisBlobStore } from '../../../models/stores/redis-blob.js';
import { SESSION_EXPIRE_MS } from '../../../models/synapse/profile.js';
import { HttpError } from '../../../src/effects.js';
import { HOUR, kvSetup } from './kv-harness.js';

function setup(ids: readonly string[] = ['s1', 's2', 's3']) {
  const base = kvSetup(redisBlobStore, ids);
  const { kv, clock } = base;
  const raw = (id: string) => JSON.parse(kv.run({ op: 'get', key: `uia:${id}` }, clock.ms) as string) as Record<string, unknown>;
  return { ...base, raw };
}

describe('redisBlobStore', () => {
  it('declares a volatile kv service of its own, "redis" (a restart loses everything)', () => {
    expect(redisBlobStore).toMatchObject({ name: 'redis-blob', backend: 'kv', placement: 'service', durable: false });
    expect(redisBlobStore.service?.name).toBe('redis');
    const first = redisBlobStore.service?.create();
    expect(first).toBeInstanceOf(KvService);
    expect(redisBlobStore.service?.create()).not.toBe(first);
  });

  it('uia §2.4 step 2: create is one SET NX PX 48 h under uia:<id>; the record reads back as given', () => {
    const { store, run, pttl, clock } = setup();
    clock.ms = 1234;
    const created = run(store.createSession({ username: 'u' }, '/_matrix/client/r0/register', 'POST', 'register a new account', 1234));
    expect(created).toEqual({ value: 's1', ops: ['set'] });
    expect(pttl('s1')).toBe(SESSION_EXPIRE_MS);
    expect(run(store.getSession('s1')).value).toEqual({
      id: 's1',
      clientdict: { username: 'u' },
      uri: '/_matrix/client/r0/register',
      method: 'POST',
      description: 'register a new account',
      creationTimeMs: 1234,
    } satisfies SessionRecord);
  });

  it('uia §2.4 step 2: a colliding ID is drawn again and the existing session is untouched', () => {
    const { store, run, drawn } = setup(['dup', 'dup', 'fresh']);
    run(store.createSession({ who: 'first' }, '/r', 'POST', 'd', 0));
    const second = run(store.createSession({ who: 'second' }, '/r', 'POST', 'd', 0));
    expect(second).toEqual({ value: 'fresh', ops: ['set', 'set'] });
    expect(drawn()).toBe(3);
    expect(run(store.getSession('dup')).value?.clientdict).toEqual({ who: 'first' });
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
    const { store, run, raw } = setup();
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
    expect(run(store.getSessionData(id, 'registered_user_id')).value).toBe('@u:test');
    expect(run(store.getSessionData(id, 'password_hash')).value).toBe('h');
    expect(run(store.getSessionData(id, 'constructor')).value).toBeUndefined();
    run(store.addUserAgentIp(id, 'ua', '1.2.3.4'));
    expect(run(store.addUserAgentIp(id, 'ua', '1.2.3.4')).ops).toEqual(['get']); // already there: no write
    run(store.addUserAgentIp(id, 'other', '1.2.3.4'));
    expect(raw(id)['ips']).toEqual([['1.2.3.4', 'ua'], ['1.2.3.4', 'other']]);
  });

  it('reads are one GET; every mutation is GET then SET KEEPTTL (two round trips); the sweep is none', () => {
    const { store, run } = setup();
    const id = run(store.createSession({}, '/r', 'POST', 'd', 0)).value;
    expect(run(store.getSession(id)).ops).toEqual(['get']);
    expect(run(store.getCompletedStages(id)).ops).toEqual(['get']);
    expect(run(store.getSessionData(id, 'k')).ops).toEqual(['get']);
    expect(run(store.markStageComplete(id, 'm.login.dummy', true)).ops).toEqual(['get', 'set']);
    expect(run(store.setClientdict(id, {})).ops).toEqual(['get', 'set']);
    expect(run(store.setSessionData(id, 'k', 1)).ops).toEqual(['get', 'set']);
    expect(run(store.addUserAgentIp(id, 'ua', 'ip')).ops).toEqual(['get', 'set']);
    expect(run(store.deleteOldSessions(Number.MAX_SAFE_INTEGER))).toEqual({ value: 0, ops: [] });
    expect(run(store.getSession(id)).value).toBeDefined();
  });

  it('an unknown session is a returned value, and no write creates it', () => {
    const { store, run, pttl } = setup();
    expect(run(store.getSession('ghost')).value).toBeUndefined();
    expect(run(store.markStageComplete('ghost', 'm.login.dummy', true))).toEqual({ value: false, ops: ['get'] });
    expect(run(store.getCompletedStages('ghost')).value.size).toBe(0);
    run(store.setClientdict('ghost', { a: 1 }));
    run(store.setSessionData('ghost', 'k', 1));
    run(store.addUserAgentIp('ghost', 'ua', 'ip'));
    expect(run(store.getSessionData('ghost', 'k')).value).toBeUndefined();
    expect(pttl('ghost')).toBe(-2);
  });

  it('uia §2.8: gone 48 h after creation, activity notwithstanding (KEEPTTL never extends it)', () => {
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
  });

  it('THE DEFECT: two stages completed at once in one session, GET A, GET B, SET A, SET B: A is lost', () => {
    const { store, run, step } = setup();
    const id = run(store.createSession({}, '/r', 'POST', 'd', 0)).value;
    const a = step(store.markStageComplete(id, 'm.login.recaptcha', true)); // the fallback page, on main
    const b = step(store.markStageComplete(id, 'm.login.terms', true)); // the app, on a worker
    a.step(); // A: GET (no stages)
    b.step(); // B: GET (no stages)
    a.step(); // A: SET [recaptcha]
    b.step(); // B: SET [terms], written over A's
    expect([a.done, a.value, a.ops, b.done, b.value, b.ops]).toEqual([true, true, ['get', 'set'], true, true, ['get', 'set']]);
    // Both were told "done"; only one survives.
    expect([...run(store.getCompletedStages(id)).value.keys()]).toEqual(['m.login.terms']);
  });

  it('THE DEFECT, #6705 shaped: the app\'s clientdict write (uia §2.4 step 3) erases a fallback stage', () => {
    const { store, run, step } = setup();
    const id = run(store.createSession({ username: 'u' }, '/r', 'POST', 'd', 0)).value;
    const app = step(store.setClientdict(id, { username: 'u' }));
    const fallback = step(store.markStageComplete(id, 'm.login.recaptcha', true));
    app.step(); // GET
    fallback.step(); // GET
    fallback.step(); // SET with recaptcha: the fallback page shows success
    app.step(); // SET of the copy read before it
    expect(fallback.value).toBe(true);
    expect(run(store.getCompletedStages(id)).value.size).toBe(0);
  });

  it('run one after the other, the same two completions both survive (the loss needs the interleaving)', () => {
    const { store, run } = setup();
    const id = run(store.createSession({}, '/r', 'POST', 'd', 0)).value;
    run(store.markStageComplete(id, 'm.login.recaptcha', true));
    run(store.markStageComplete(id, 'm.login.terms', true));
    expect([...run(store.getCompletedStages(id)).value.keys()]).toEqual(['m.login.recaptcha', 'm.login.terms']);
  });

  it('a session that expires between GET and SET KEEPTTL comes back without a TTL, forever', () => {
    const { store, run, step, clock, pttl } = setup();
    const id = run(store.createSession({}, '/r', 'POST', 'd', 0)).value;
    clock.ms = SESSION_EXPIRE_MS;
    const late = step(store.markStageComplete(id, 'm.login.dummy', true));
    late.step(); // GET at the last live millisecond
    clock.ms = SESSION_EXPIRE_MS + 1;
    late.step(); // SET KEEPTTL of a key that has just expired
    expect(pttl(id)).toBe(-1);
    clock.ms = 365 * 24 * HOUR;
    expect(run(store.getSession(id)).value).toBeDefined();
  });
});
