// uia §4.4: tests/rest/client/test_login_token_request.py, profile `head`, main alone, with
// `login_via_existing_session: {enabled: true, token_timeout: 5m}`. Logging in with the issued
// token (POST /login m.login.token) is not modelled; the scenario stops at the token.
import { describe, expect, it } from 'vitest';
import { LOGIN_GET_TOKEN_PATH } from '../../models/matrix/protocol.js';
import { SYNAPSE_TEST_CONFIG, withConfig } from './configs.js';
import { deployment, flowsOf, post, sessionOf } from './harness.js';

const USER = 'user';
const PASSWORD = 'password';
const TOKEN = 'syt_user_token';

function loginTokenHs(requireUiAuth: boolean) {
  const config = withConfig({ loginViaExistingSession: { enabled: true, requireUiAuth, tokenTimeoutMs: 5 * 60_000 } }, SYNAPSE_TEST_CONFIG);
  const hs = deployment({ profile: 'head', config });
  hs.seed({ userId: `@${USER}:test`, password: PASSWORD, devices: ['DEV1'], accessToken: TOKEN });
  return hs;
}

describe('LoginTokenRequestServletTestCase', () => {
  it('test_require_auth', () => {
    const hs = loginTokenHs(true);
    expect(hs.send('main', post(LOGIN_GET_TOKEN_PATH, {})).status).toBe(401);
  });

  it('test_uia_on', () => {
    const hs = loginTokenHs(true);
    const channel = hs.send('main', post(LOGIN_GET_TOKEN_PATH, {}, { accessToken: TOKEN }));
    expect(channel.status).toBe(401);
    expect(flowsOf(channel)).toContainEqual(['m.login.password']);
    const session = sessionOf(channel);
    // The identifier is the bare localpart, as the test sends it.
    const uia = { auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: USER }, password: PASSWORD, session } };
    const done = hs.send('main', post(LOGIN_GET_TOKEN_PATH, uia, { accessToken: TOKEN }));
    expect(done.status).toBe(200);
    expect(done.body['expires_in_ms']).toBe(300_000);
    expect(typeof done.body['login_token']).toBe('string');
  });

  it('test_uia_off', () => {
    const hs = loginTokenHs(false);
    const channel = hs.send('main', post(LOGIN_GET_TOKEN_PATH, {}, { accessToken: TOKEN }));
    expect(channel.status).toBe(200);
    expect(channel.body['expires_in_ms']).toBe(300_000);
    expect(typeof channel.body['login_token']).toBe('string');
  });
});
