// The tables the stages read, next to the UI-auth tables (models/stores/sql-tables.ts,
// registration-tokens-table.ts, threepid-validation-table.ts; uia §1.5, §2.8, §2.10).
import { describe, expect, it } from 'vitest';
import { UiAuthTables } from '../../../models/stores/sql-tables.js';

const TOKEN = 'm.login.registration_token';

function tables(): UiAuthTables {
  const t = new UiAuthTables();
  t.execute({ op: 'tokens.create', token: 'abcd', usesAllowed: 2, expiryTimeMs: null });
  return t;
}

function session(t: UiAuthTables, id: string, nowMs: number): void {
  t.execute({ op: 'ui.create', id, clientdict: {}, uri: '/r', method: 'POST', description: 'd', nowMs });
}

describe('registration_tokens (uia §2.10)', () => {
  it('valid until pending + completed reach uses_allowed; expiry_time < now is expired; unknown is invalid', () => {
    const t = tables();
    expect(t.execute({ op: 'tokens.isValid', token: 'abcd', nowMs: 0 })).toBe(true);
    t.execute({ op: 'tokens.setPending', token: 'abcd' });
    t.execute({ op: 'tokens.setPending', token: 'abcd' });
    expect(t.execute({ op: 'tokens.isValid', token: 'abcd', nowMs: 0 })).toBe(false);
    t.execute({ op: 'tokens.use', token: 'abcd' });
    expect(t.execute({ op: 'tokens.get', token: 'abcd' })).toMatchObject({ pending: 1, completed: 1 });
    expect(t.execute({ op: 'tokens.isValid', token: 'nope', nowMs: 0 })).toBe(false);
    t.execute({ op: 'tokens.create', token: 'old', usesAllowed: null, expiryTimeMs: 10 });
    expect(t.execute({ op: 'tokens.isValid', token: 'old', nowMs: 10 })).toBe(true);
    expect(t.execute({ op: 'tokens.isValid', token: 'old', nowMs: 11 })).toBe(false);
  });

  it('uia §2.8: the sweep returns one pending use per expired session whose token result is still a string, in the same transaction; true results and live sessions are left alone', () => {
    const t = tables();
    for (const [id, nowMs] of [['open', 0], ['finished', 0], ['young', 100]] as const) {
      session(t, id, nowMs);
      t.execute({ op: 'tokens.setPending', token: 'abcd' });
      t.execute({ op: 'ui.markStage', id, stage: TOKEN, result: 'abcd' });
    }
    t.execute({ op: 'tokens.use', token: 'abcd' });
    t.execute({ op: 'ui.markStage', id: 'finished', stage: TOKEN, result: true });
    expect(t.execute({ op: 'tokens.get', token: 'abcd' })).toMatchObject({ pending: 2, completed: 1 });
    expect(t.execute({ op: 'ui.deleteOld', expiryTimeMs: 50 })).toBe(2);
    expect(t.execute({ op: 'tokens.get', token: 'abcd' })).toMatchObject({ pending: 1, completed: 1 });
    expect(t.execute({ op: 'ui.get', id: 'young' })).toBeDefined();
  });
});

describe('threepid_validation_session (uia §1.5)', () => {
  it('start -> validate -> getValidated -> delete', () => {
    const t = new UiAuthTables();
    const started = t.execute({ op: 'threepid.start', medium: 'email', address: 'a@b', clientSecret: 's', sendAttempt: 1, newSid: 'sid1', newToken: 'tok1', expiresAtMs: 100 });
    expect(started).toEqual({ sid: 'sid1', token: 'tok1' });
    expect(t.execute({ op: 'threepid.getValidated', medium: 'email', sid: 'sid1', clientSecret: 's' })).toBeUndefined();
    expect(t.execute({ op: 'threepid.validate', sid: 'sid1', clientSecret: 's', token: 'tok1', nowMs: 50 })).toEqual({ ok: true });
    expect(t.execute({ op: 'threepid.getValidated', medium: 'email', sid: 'sid1', clientSecret: 's' })).toMatchObject({ address: 'a@b', validatedAtMs: 50 });
    expect(t.execute({ op: 'threepid.getValidated', medium: 'email', sid: 'sid1', clientSecret: 'other' })).toBeUndefined();
    expect(t.execute({ op: 'threepid.delete', sid: 'sid1' })).toBe(true);
    expect(t.execute({ op: 'threepid.getValidated', medium: 'email', sid: 'sid1', clientSecret: 's' })).toBeUndefined();
  });

  it('an unknown statement throws, naming it', () => {
    expect(() => new UiAuthTables().execute({ op: 'tokens.drop' } as never)).toThrow(/registration_tokens: unknown statement/);
    expect(() => new UiAuthTables().execute({ op: 'threepid.drop' } as never)).toThrow(/threepid_validation_session: unknown statement/);
  });
});
