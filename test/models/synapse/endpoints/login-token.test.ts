// POST /v1/login/get_token (models/synapse/endpoints/login-token.ts), uia §3.1, §1.5, §2.12, §4.4.
import { describe, expect, it } from 'vitest';
import { LOGIN_GET_TOKEN_PATH } from '../../../../models/matrix/protocol.js';
import { DEFAULT_CONFIG, withConfig } from '../../../../models/synapse/config.js';
import { accountsProcess, authed, body, operations, passwordAuth, PRE_HEAD, session, USER_A } from './harness.js';

const post = (b: unknown, token?: string | null) => authed('POST', LOGIN_GET_TOKEN_PATH, b, token);

describe('POST /login/get_token', () => {
  it('uia §4.4 test_require_auth: without an access token -> 401 M_MISSING_TOKEN', () => {
    expect(accountsProcess('head').serve(post({}, null))).toMatchObject({ status: 401, body: { errcode: 'M_MISSING_TOKEN' } });
  });

  it('uia §4.4 test_uia_on: 401, then password + session -> 200 with login_token and expires_in_ms', () => {
    const p = accountsProcess('head');
    const first = p.serve(post({}));
    expect(first.status).toBe(401);
    const done = p.serve(post({ auth: passwordAuth('head', session(first)) }));
    expect(done.status).toBe(200);
    expect(Object.keys(body(done)).sort()).toEqual(['expires_in_ms', 'login_token']);
    expect(body(done)['expires_in_ms']).toBe(DEFAULT_CONFIG.loginViaExistingSession.tokenTimeoutMs);
    expect(operations(p)).toEqual([[USER_A, USER_A]]);
  });

  it('uia §4.4 test_uia_off: require_ui_auth false -> 200 at once', () => {
    const config = withConfig({ loginViaExistingSession: { requireUiAuth: false } });
    expect(accountsProcess('head', { config }).serve(post({})).status).toBe(200);
  });

  it('uia §1.5, §2.12: always prompts, even with session_timeout', () => {
    const config = withConfig({ uiAuth: { sessionTimeoutMs: 60_000 } });
    expect(accountsProcess('head', { config }).serve(post({})).status).toBe(401);
  });

  it('uia §3.1: not registered when login_via_existing_session is off, absent before v1.69, main only in head', () => {
    const config = withConfig({ loginViaExistingSession: { enabled: false } });
    expect(accountsProcess('head', { config }).serve(post({}))).toMatchObject({ status: 404, body: { errcode: 'M_UNRECOGNIZED' } });
    for (const profile of PRE_HEAD) expect(accountsProcess(profile).serve(post({})).status).toBe(400);
    expect(accountsProcess('head').serve(post({}), 'worker').status).toBe(404);
  });
});
