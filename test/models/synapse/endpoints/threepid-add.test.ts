// POST /account/3pid/add (models/synapse/endpoints/threepid-add.ts), uia §3.1, §2.12, §4.4.
import { describe, expect, it } from 'vitest';
import { THREEPID_ADD_PATH, THREEPID_ADD_UNSTABLE_PATH } from '../../../../models/matrix/protocol.js';
import { withConfig } from '../../../../models/synapse/config.js';
import { accountsProcess, authed, operations, passwordAuth, session, USER_A, type AccountsProcess } from './harness.js';

const post = (b: unknown, path = THREEPID_ADD_PATH) => authed('POST', path, b);

/** An email validation session (the stages engineer's table), validated through the link or not. */
function emailSession(p: AccountsProcess, validated: boolean): { sid: string; client_secret: string } {
  p.db.execute({ op: 'threepid.start', medium: 'email', address: 'a@example.org', clientSecret: 'secret', sendAttempt: 1, newSid: 'sid1', newToken: 'tok1', expiresAtMs: 3_600_000 }, 0);
  if (validated) p.db.execute({ op: 'threepid.validate', sid: 'sid1', clientSecret: 'secret', token: 'tok1', nowMs: 0 }, 0);
  return { sid: 'sid1', client_secret: 'secret' };
}

describe('POST /account/3pid/add', () => {
  it('uia §4.4 test_cant_add_email_without_clicking_link: UIA passes, then 400 M_THREEPID_AUTH_FAILED', () => {
    const p = accountsProcess('head');
    const creds = emailSession(p, false);
    const first = p.serve(post(creds));
    expect(first.status).toBe(401);
    const done = p.serve(post({ ...creds, auth: passwordAuth('head', session(first)) }));
    expect(done).toMatchObject({ status: 400, body: { errcode: 'M_THREEPID_AUTH_FAILED' } });
    expect(operations(p)).toEqual([]);
  });

  it('uia §4.4 (one-shot password UIA): a validated session binds the address -> 200 {}', () => {
    const p = accountsProcess('head');
    const creds = emailSession(p, true);
    expect(p.serve(post({ ...creds, auth: passwordAuth('head', undefined) }))).toMatchObject({ status: 200, body: {} });
    expect(p.db.execute({ op: 'accounts.userByThreepid', medium: 'email', address: 'a@example.org' }, 0)).toBe(USER_A);
    expect(operations(p)).toEqual([[USER_A, USER_A]]);
  });

  it('uia §2.12: session_timeout never skips it', () => {
    const p = accountsProcess('head', { config: withConfig({ uiAuth: { sessionTimeoutMs: 60_000 } }) });
    expect(p.serve(post(emailSession(p, true))).status).toBe(401);
  });

  it('uia §3.1: unstable-only in v1.8 (the r0 path is 400 M_UNRECOGNIZED there); main only everywhere', () => {
    const p = accountsProcess('1.8');
    const creds = emailSession(p, true);
    expect(p.serve(post(creds))).toMatchObject({ status: 400, body: { errcode: 'M_UNRECOGNIZED' } });
    expect(p.serve(post(creds, THREEPID_ADD_UNSTABLE_PATH)).status).toBe(401);
    expect(accountsProcess('head').serve(post(creds), 'worker').status).toBe(404);
  });

  it('sid and client_secret are required before UIA', () => {
    expect(accountsProcess('1.13').serve(post({ sid: 'x' }))).toMatchObject({ status: 400, body: { errcode: 'M_MISSING_PARAM', error: 'Missing params: client_secret' } });
    expect(accountsProcess('head').serve(post({}))).toMatchObject({ status: 400, body: { errcode: 'M_BAD_JSON' } });
  });
});
