// POST /account/password (models/synapse/endpoints/account-password.ts), uia §3.1, §2.3, §2.10, §2.12, §4.4.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_PASSWORD_EMAIL_REQUEST_TOKEN_PATH, ACCOUNT_PASSWORD_PATH, EMAIL_VALIDATE_PATH } from '../../../../models/matrix/protocol.js';
import { PASSWORD_HASH_CPU_MS, passwordHashOf, standardAccount, type UserRow } from '../../../../models/synapse/accounts.js';
import { withConfig } from '../../../../models/synapse/config.js';
import { accountsProcess, authed, body, operations, passwordAuth, session, USER_A, type AccountsProcess } from './harness.js';

const post = (b: unknown, token?: string | null) => authed('POST', ACCOUNT_PASSWORD_PATH, b, token);

function hashOf(p: AccountsProcess): string | null {
  return (p.db.execute({ op: 'accounts.getUser', userId: USER_A }, 0) as UserRow).passwordHash;
}

describe('POST /account/password', () => {
  it('uia §4.4 test_basic_password_reset, #16272 (head): one-shot UIA with new_password -> 200; the session clientdict has no new_password', () => {
    const p = accountsProcess('head');
    const done = p.serve(post({ new_password: 'new pw', auth: passwordAuth('head', undefined) }));
    expect(done).toMatchObject({ status: 200, body: {} });
    expect(hashOf(p)).toBe(passwordHashOf('new pw'));
    const created = p.facts.find((f) => f.name === 'session-created');
    const stored = p.db.execute({ op: 'ui.get', id: created?.key ?? '' }, 0) as { clientdict: Record<string, unknown> };
    expect(stored.clientdict).not.toHaveProperty('new_password');
    expect(operations(p)).toEqual([[USER_A, USER_A]]);
  });

  it('uia §2.10 (head): a 401 with new_password hashes it (one CPU effect) into the serverdict password_hash, once per session', () => {
    const p = accountsProcess('head');
    const first = p.serveDriven(post({ new_password: 'new pw' }));
    expect(first.value.status).toBe(401);
    expect(first.cpuMs).toBe(PASSWORD_HASH_CPU_MS);
    const sid = session(first.value);
    expect(p.db.execute({ op: 'ui.getData', id: sid, key: 'password_hash' }, 0)).toBe(passwordHashOf('new pw'));
    // A second 401 in the session does not hash again.
    const again = p.serveDriven(post({ new_password: 'other', auth: { session: sid } }));
    expect(again.value.status).toBe(401);
    expect(again.cpuMs).toBe(0);
    expect(p.db.execute({ op: 'ui.getData', id: sid, key: 'password_hash' }, 0)).toBe(passwordHashOf('new pw'));
  });

  it('uia §2.12 [code-reading] (head): a final request that completes UIA but omits new_password -> 500 (the unbound local of #16264)', () => {
    const p = accountsProcess('head');
    const first = p.serve(post({ new_password: 'new pw' }));
    const final = p.serve(post({ auth: passwordAuth('head', session(first)) }));
    expect(final.status).toBe(500);
    expect(hashOf(p)).toBe(passwordHashOf('correct horse'));
    expect(operations(p)).toEqual([]);
  });

  it('uia §2.3: to 1.13 new_password is plaintext in the params: a final {auth} alone uses the stored clientdict -> 200; the clientdict keeps new_password', () => {
    for (const profile of ['1.8', '1.13'] as const) {
      const p = accountsProcess(profile);
      const first = p.serve(post({ new_password: 'new pw' }));
      expect(first.status).toBe(401);
      const final = p.serve(post({ auth: passwordAuth(profile, session(first)) }));
      expect(final.status).toBe(200);
      expect(hashOf(p)).toBe(passwordHashOf('new pw'));
      expect(operations(p)).toEqual([[USER_A, USER_A]]);
    }
    const p = accountsProcess('1.13');
    const first = p.serve(post({ new_password: 'new pw' }));
    expect(p.db.execute({ op: 'ui.get', id: session(first) }, 0)).toMatchObject({ clientdict: { new_password: 'new pw' } });
  });

  it('to 1.13 a completed UIA without any new_password -> 400 M_MISSING_PARAM', () => {
    const p = accountsProcess('1.13');
    expect(p.serve(post({ auth: passwordAuth('1.13', undefined) }))).toMatchObject({ status: 400, body: { errcode: 'M_MISSING_PARAM' } });
  });

  it('set_password: logout_devices (default true) deletes the other devices and their tokens, keeps the requester', () => {
    const p = accountsProcess('head');
    p.serve(post({ new_password: 'x', auth: passwordAuth('head', undefined) }));
    expect(p.db.execute({ op: 'accounts.listDevices', userId: USER_A }, 0)).toEqual(['DEVA1']);
    expect(p.db.execute({ op: 'accounts.tokenInfo', accessToken: 'syt_usera_token' }, 0)).toBeDefined();
    const q = accountsProcess('head');
    q.serve(post({ new_password: 'x', logout_devices: false, auth: passwordAuth('head', undefined) }));
    expect(q.db.execute({ op: 'accounts.listDevices', userId: USER_A }, 0)).toEqual(['DEVA1', 'DEVA2']);
  });

  it('uia §3.1: without an access token the flow is [[m.login.email.identity]]', () => {
    const first = accountsProcess('head').serve(post({ new_password: 'x' }, null));
    expect(first.status).toBe(401);
    expect(body(first)['flows']).toEqual([{ stages: ['m.login.email.identity'] }]);
  });

  it('uia §4.4 test_basic_password_reset (no access token): requestToken, the emailed link, then one email.identity request -> 200; every device logged out; no new_password stored', () => {
    const p = accountsProcess('head', { seeds: [{ ...standardAccount('A'), threepids: [{ medium: 'email', address: 'a@example.org' }] }] });
    const asked = p.serve(authed('POST', ACCOUNT_PASSWORD_EMAIL_REQUEST_TOKEN_PATH, { client_secret: 'secret', email: 'a@example.org', send_attempt: 1 }, null));
    expect(asked.status).toBe(200);
    const { sid, 'x-email-token': token } = body(asked) as { sid: string; 'x-email-token': string };
    expect(p.serve(authed('GET', EMAIL_VALIDATE_PATH, undefined, null, `sid=${sid}&client_secret=secret&token=${token}`)).status).toBe(200);
    const reset = p.serve(post({ new_password: 'new pw', auth: { type: 'm.login.email.identity', threepid_creds: { sid, client_secret: 'secret' } } }, null));
    expect(reset).toMatchObject({ status: 200, body: {} });
    expect(hashOf(p)).toBe(passwordHashOf('new pw'));
    expect(p.db.execute({ op: 'accounts.listDevices', userId: USER_A }, 0)).toEqual([]);
    expect(operations(p)).toEqual([['', USER_A]]);
    const created = p.facts.find((f) => f.name === 'session-created');
    const row = p.db.execute({ op: 'ui.get', id: created?.key ?? '' }, 0) as { clientdict: Record<string, unknown> };
    expect(row.clientdict).not.toHaveProperty('new_password');
  });

  it('uia §3.1: a reset for an address nobody owns: UIA passes, then 404 M_NOT_FOUND', () => {
    const p = accountsProcess('head');
    p.db.execute({ op: 'threepid.start', medium: 'email', address: 'x@example.org', clientSecret: 's', sendAttempt: 1, newSid: 'sid9', newToken: 't9', expiresAtMs: 3_600_000 }, 0);
    p.db.execute({ op: 'threepid.validate', sid: 'sid9', clientSecret: 's', token: 't9', nowMs: 0 }, 0);
    const reset = p.serve(post({ new_password: 'x', auth: { type: 'm.login.email.identity', threepid_creds: { sid: 'sid9', client_secret: 's' } } }, null));
    expect(reset).toMatchObject({ status: 404, body: { errcode: 'M_NOT_FOUND' } });
  });

  it('uia §2.12 (#10184): never skipped by session_timeout; main only (uia §3.1)', () => {
    const config = withConfig({ uiAuth: { sessionTimeoutMs: 60_000 } });
    expect(accountsProcess('head', { config }).serve(post({ new_password: 'x' })).status).toBe(401);
    expect(accountsProcess('head').serve(post({ new_password: 'x' }), 'worker').status).toBe(404);
  });

  it('a one-shot change costs two bcrypt runs: checking the old password and hashing the new one', () => {
    const p = accountsProcess('head');
    const done = p.serveDriven(post({ new_password: 'x', auth: passwordAuth('head', undefined) }));
    expect(done.value.status).toBe(200);
    expect(done.cpuMs).toBe(2 * PASSWORD_HASH_CPU_MS);
  });
});
