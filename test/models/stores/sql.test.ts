// Synapse 1.13+'s UI-auth tables (schema delta 58, uia §2.7) and UIAuthWorkerStore over them.
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../../models/stores/contract.js';
import { SqlSessionStore, sqlStore } from '../../../models/stores/sql.js';
import { UiAuthTables, type UiAuthCommand } from '../../../models/stores/sql-tables.js';
import { SynapseDatabase } from '../../../models/synapse/database.js';
import { HttpError } from '../../../src/effects.js';
import { DB_NODE, drive, ops, TestClock } from '../helpers.js';

const HOUR = 60 * 60 * 1000;

function create(t: UiAuthTables, id: string, nowMs = 0, clientdict: Record<string, unknown> = {}): unknown {
  return t.execute({ op: 'ui.create', id, clientdict, uri: '/_matrix/client/r0/register', method: 'POST', description: 'register a new account', nowMs });
}

function stages(t: UiAuthTables, id: string): [string, unknown][] {
  return [...(t.execute({ op: 'ui.getStages', id }) as Map<string, unknown>).entries()];
}

describe('UiAuthTables (uia §2.7)', () => {
  it('ui_auth_sessions: insert, then a unique violation on the same session_id', () => {
    const t = new UiAuthTables();
    expect(create(t, 'abc', 5, { username: 'u' })).toBe(true);
    expect(create(t, 'abc', 6)).toBe(false);
    expect(t.execute({ op: 'ui.get', id: 'abc' })).toEqual({
      id: 'abc',
      clientdict: { username: 'u' },
      uri: '/_matrix/client/r0/register',
      method: 'POST',
      description: 'register a new account',
      creationTimeMs: 5,
    } satisfies SessionRecord);
    expect(t.execute({ op: 'ui.get', id: 'other' })).toBeUndefined();
  });

  it('ui_auth_sessions_credentials: a stage is an upsert on (session_id, stage_type)', () => {
    const t = new UiAuthTables();
    create(t, 'abc');
    expect(t.execute({ op: 'ui.markStage', id: 'abc', stage: 'm.login.registration_token', result: 'tok' })).toBe(true);
    expect(t.execute({ op: 'ui.markStage', id: 'abc', stage: 'm.login.registration_token', result: true })).toBe(true);
    expect(stages(t, 'abc')).toEqual([['m.login.registration_token', true]]);
  });

  it('uia §2.6, §2.7: marking a stage for an unknown session fails the FK and returns false, writing no row', () => {
    const t = new UiAuthTables();
    expect(t.execute({ op: 'ui.markStage', id: 'ghost', stage: 'm.login.recaptcha', result: true })).toBe(false);
    expect(stages(t, 'ghost')).toEqual([]);
    // Creating the session later does not resurrect the refused row.
    create(t, 'ghost');
    expect(stages(t, 'ghost')).toEqual([]);
  });

  it('uia §2.4 step 7: getStages returns the rows in insert order, per session', () => {
    const t = new UiAuthTables();
    create(t, 'a');
    create(t, 'b');
    for (const stage of ['m.login.terms', 'm.login.recaptcha', 'm.login.dummy']) t.execute({ op: 'ui.markStage', id: 'a', stage, result: true });
    t.execute({ op: 'ui.markStage', id: 'b', stage: 'm.login.dummy', result: true });
    expect(stages(t, 'a').map(([s]) => s)).toEqual(['m.login.terms', 'm.login.recaptcha', 'm.login.dummy']);
    expect(stages(t, 'b').map(([s]) => s)).toEqual(['m.login.dummy']);
  });

  it('getStages hands out a copy, not the table', () => {
    const t = new UiAuthTables();
    create(t, 'a');
    (t.execute({ op: 'ui.getStages', id: 'a' }) as Map<string, unknown>).set('m.login.dummy', true);
    expect(stages(t, 'a')).toEqual([]);
  });

  it('uia §2.7: the clientdict is a blind overwrite (last writer wins); unknown sessions are ignored', () => {
    const t = new UiAuthTables();
    create(t, 'a', 0, { username: 'first' });
    t.execute({ op: 'ui.setClientdict', id: 'a', clientdict: { username: 'second' } });
    t.execute({ op: 'ui.setClientdict', id: 'a', clientdict: { other: 1 } });
    expect((t.execute({ op: 'ui.get', id: 'a' }) as SessionRecord).clientdict).toEqual({ other: 1 });
    expect(t.execute({ op: 'ui.setClientdict', id: 'none', clientdict: {} })).toBeNull();
    expect(t.execute({ op: 'ui.get', id: 'none' })).toBeUndefined();
  });

  it('uia §2.7: serverdict read-modify-write keeps the other keys', () => {
    const t = new UiAuthTables();
    create(t, 'a');
    t.execute({ op: 'ui.setData', id: 'a', key: 'registered_user_id', value: '@u:test' });
    t.execute({ op: 'ui.setData', id: 'a', key: 'password_hash', value: 'h' });
    expect(t.execute({ op: 'ui.getData', id: 'a', key: 'registered_user_id' })).toBe('@u:test');
    expect(t.execute({ op: 'ui.getData', id: 'a', key: 'password_hash' })).toBe('h');
    expect(t.execute({ op: 'ui.getData', id: 'a', key: 'request_user_id' })).toBeUndefined();
    expect(t.execute({ op: 'ui.getData', id: 'none', key: 'registered_user_id' })).toBeUndefined();
  });

  it('uia §2.7: adding an (ip, user agent) is an upsert with no values', () => {
    const t = new UiAuthTables();
    create(t, 'a');
    expect(t.execute({ op: 'ui.addIp', id: 'a', userAgent: 'ua', ip: '1.2.3.4' })).toBeNull();
    expect(t.execute({ op: 'ui.addIp', id: 'a', userAgent: 'ua', ip: '1.2.3.4' })).toBeNull();
    expect(t.execute({ op: 'ui.addIp', id: 'none', userAgent: 'ua', ip: '1.2.3.4' })).toBeNull();
  });

  it('uia §2.8: deleteOld is absolute from creation (creation_time <= cutoff), whatever the activity, and removes stages and data', () => {
    const t = new UiAuthTables();
    create(t, 'old', 0);
    create(t, 'young', 1);
    t.execute({ op: 'ui.markStage', id: 'old', stage: 'm.login.terms', result: true });
    t.execute({ op: 'ui.setData', id: 'old', key: 'k', value: 1 });
    t.execute({ op: 'ui.addIp', id: 'old', userAgent: 'ua', ip: 'ip' });
    // Activity at 47 h does not extend it.
    t.execute({ op: 'ui.markStage', id: 'old', stage: 'm.login.dummy', result: true });
    t.execute({ op: 'ui.setClientdict', id: 'old', clientdict: { touched: 47 * HOUR } });
    expect(t.execute({ op: 'ui.deleteOld', expiryTimeMs: 0 })).toBe(1);
    expect(t.execute({ op: 'ui.get', id: 'old' })).toBeUndefined();
    expect(stages(t, 'old')).toEqual([]);
    expect(t.execute({ op: 'ui.getData', id: 'old', key: 'k' })).toBeUndefined();
    expect(t.execute({ op: 'ui.get', id: 'young' })).toBeDefined();
    expect(t.execute({ op: 'ui.deleteOld', expiryTimeMs: 0 })).toBe(0);
    expect(t.execute({ op: 'ui.deleteOld', expiryTimeMs: 1 })).toBe(1);
  });

  it('uia §2.8: a deleted session ID can be created again, empty', () => {
    const t = new UiAuthTables();
    create(t, 'a', 0);
    t.execute({ op: 'ui.markStage', id: 'a', stage: 'm.login.terms', result: true });
    t.execute({ op: 'ui.deleteOld', expiryTimeMs: 10 });
    expect(create(t, 'a', 20)).toBe(true);
    expect(stages(t, 'a')).toEqual([]);
  });

  it('an unknown statement throws', () => {
    expect(() => new UiAuthTables().execute({ op: 'ui.drop' } as unknown as UiAuthCommand)).toThrow(/unknown statement/);
  });
});

describe('SynapseDatabase', () => {
  it('registers each user ID once and generates localparts in sequence', () => {
    const db = new SynapseDatabase();
    expect(db.execute({ op: 'users.register', userId: '@a:test' }, 0)).toBe(true);
    expect(db.execute({ op: 'users.register', userId: '@a:test' }, 0)).toBe(false);
    expect(db.execute({ op: 'users.exists', userId: '@a:test' }, 0)).toBe(true);
    expect(db.execute({ op: 'users.exists', userId: '@b:test' }, 0)).toBe(false);
    expect(db.execute({ op: 'users.generateLocalpart' }, 0)).toBe('1');
    expect(db.execute({ op: 'users.generateLocalpart' }, 0)).toBe('2');
    expect(db.userCount).toBe(1);
  });

  it('passes ui.* statements to its UI-auth tables', () => {
    const db = new SynapseDatabase();
    db.execute({ op: 'ui.create', id: 'x', clientdict: {}, uri: '/u', method: 'POST', description: '', nowMs: 0 }, 0);
    expect(db.uiAuth.execute({ op: 'ui.get', id: 'x' })).toBeDefined();
  });
});

describe('SqlSessionStore (uia §2.7)', () => {
  function sqlWith(ids: () => string): { store: SqlSessionStore; db: SynapseDatabase; clock: TestClock } {
    const clock = new TestClock();
    return { store: new SqlSessionStore({ newSessionId: ids, nowMs: clock.now, serviceNode: DB_NODE }), db: new SynapseDatabase(), clock };
  }

  it('declares a durable SQL service (DESIGN "Session store contract")', () => {
    expect(sqlStore).toMatchObject({ name: 'sql', backend: 'sql', placement: 'service', durable: true });
  });

  it('uia §2.4 step 2: create retries on a colliding ID and returns the first that inserts', () => {
    const queue = ['taken', 'taken', 'fresh'];
    const { store, db } = sqlWith(() => queue.shift() ?? 'end');
    drive(store.createSession({}, '/r', 'POST', 'd', 0), db); // 'taken' goes in
    queue.unshift('taken');
    const driven = drive(store.createSession({ u: 1 }, '/r', 'POST', 'd', 7), db);
    expect(driven.value).toBe('fresh');
    expect(ops(driven.commands)).toEqual(['ui.create', 'ui.create', 'ui.create']);
    expect((db.uiAuth.execute({ op: 'ui.get', id: 'fresh' }) as SessionRecord).creationTimeMs).toBe(7);
  });

  it("uia §2.4 step 2: after 5 colliding attempts create gives up with StoreError(500, \"Couldn't generate a session ID.\"), an HttpError 500 M_UNKNOWN", () => {
    const { store, db } = sqlWith(() => 'always');
    drive(store.createSession({}, '/r', 'POST', 'd', 0), db);
    const commands: unknown[] = [];
    const task = store.createSession({}, '/r', 'POST', 'd', 0);
    let thrown: unknown;
    try {
      let input: unknown;
      for (;;) {
        const step = task.next(input);
        if (step.done === true) break;
        if (step.value.kind !== 'call') throw new Error('not a call');
        commands.push(step.value.command);
        input = db.execute(step.value.command, 0);
      }
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpError);
    const httpError = thrown as HttpError;
    expect(httpError.status).toBe(500);
    expect(httpError.body).toEqual({ errcode: 'M_UNKNOWN', error: "Couldn't generate a session ID." });
    expect(ops(commands)).toEqual(['ui.create', 'ui.create', 'ui.create', 'ui.create', 'ui.create']);
  });

  it('every method is one round trip to the store\'s service node (uia §2.7: nothing cached)', () => {
    const { store, db } = sqlWith(() => 'sid');
    const one = (task: Generator<unknown, unknown, unknown>): string[] => {
      const driven = drive(task as never, db);
      expect(driven.commands).toHaveLength(1);
      return ops(driven.commands);
    };
    expect(one(store.createSession({}, '/r', 'POST', 'd', 0))).toEqual(['ui.create']);
    expect(one(store.getSession('sid'))).toEqual(['ui.get']);
    expect(one(store.markStageComplete('sid', 'm.login.dummy', true))).toEqual(['ui.markStage']);
    expect(one(store.getCompletedStages('sid'))).toEqual(['ui.getStages']);
    expect(one(store.setClientdict('sid', {}))).toEqual(['ui.setClientdict']);
    expect(one(store.setSessionData('sid', 'k', 1))).toEqual(['ui.setData']);
    expect(one(store.getSessionData('sid', 'k'))).toEqual(['ui.getData']);
    expect(one(store.addUserAgentIp('sid', 'ua', 'ip'))).toEqual(['ui.addIp']);
    expect(one(store.deleteOldSessions(0))).toEqual(['ui.deleteOld']);
  });

  it('two connections (two processes) see each other\'s commits on their next read (uia §2.7)', () => {
    const db = new SynapseDatabase();
    const clock = new TestClock();
    const reader1 = sqlStore.connect({ newSessionId: () => 'shared', nowMs: clock.now, serviceNode: DB_NODE });
    const main = sqlStore.connect({ newSessionId: () => 'other', nowMs: clock.now, serviceNode: DB_NODE });
    const id = drive(reader1.createSession({}, '/r', 'POST', 'd', 0), db).value;
    expect(drive(main.markStageComplete(id, 'm.login.recaptcha', true), db).value).toBe(true);
    expect([...drive(reader1.getCompletedStages(id), db).value.keys()]).toEqual(['m.login.recaptcha']);
  });

  it('unknown sessions are returned values: undefined, false, an empty map', () => {
    const { store, db } = sqlWith(() => 'x');
    expect(drive(store.getSession('none'), db).value).toBeUndefined();
    expect(drive(store.markStageComplete('none', 'm.login.dummy', true), db).value).toBe(false);
    expect(drive(store.getCompletedStages('none'), db).value.size).toBe(0);
    expect(drive(store.getSessionData('none', 'k'), db).value).toBeUndefined();
  });
});
