// uia §4.3: tests/rest/client/test_register.py's UIA tests, profile `head`, main alone. The
// `registration_tokens` rows the tests insert and read go through the model's table commands.
import { describe, expect, it } from 'vitest';
import { REGISTER_PATH } from '../../models/matrix/protocol.js';
import type { RegistrationTokenRow } from '../../models/stores/registration-tokens-table.js';
import type { SynapseConfig } from '../../models/synapse/config.js';
import { SYNAPSE_TEST_CONFIG, withConfig } from './configs.js';
import { deployment, flowsOf, post, sessionOf, type Deployment, type Reply } from './harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const TOKEN = 'abcd';
const REQUIRES_TOKEN = withConfig({ registration: { registrationRequiresToken: true } }, SYNAPSE_TEST_CONFIG);

function hsWith(config: SynapseConfig): Deployment {
  return deployment({ profile: 'head', config });
}

function registerOn(hs: Deployment, body: unknown): Reply {
  return hs.send('main', post(REGISTER_PATH, body));
}

/** `store.db_pool.simple_insert("registration_tokens", ...)` */
function insertToken(hs: Deployment, usesAllowed: number | null, expiryTimeMs: number | null): void {
  hs.database.execute({ op: 'tokens.create', token: TOKEN, usesAllowed, expiryTimeMs }, hs.nowMs);
}

function tokenRow(hs: Deployment): RegistrationTokenRow {
  return hs.database.execute({ op: 'tokens.get', token: TOKEN }, hs.nowMs) as RegistrationTokenRow;
}

/** `store.delete_old_ui_auth_sessions(now)`: the sweep's statement, as the tests call it. */
function deleteOldUiAuthSessions(hs: Deployment): void {
  hs.database.execute({ op: 'ui.deleteOld', expiryTimeMs: hs.nowMs }, hs.nowMs);
}

/** assertCountEqual over the flows' stage lists. */
function expectFlows(reply: Reply, expected: readonly (readonly string[])[]): void {
  const sorted = (flows: readonly (readonly string[])[]) => flows.map((f) => f.join(',')).sort();
  expect(sorted(flowsOf(reply))).toEqual(sorted(expected));
}

describe('RegisterRestServletTestCase', () => {
  it('test_POST_user_valid', () => {
    const hs = hsWith(SYNAPSE_TEST_CONFIG);
    // One request, `auth: {type: m.login.dummy}` and no session (uia §2.11: creates and finishes
    // a session at once).
    const channel = registerOn(hs, { username: 'kermit', password: 'monkey', device_id: 'frogfone', auth: { type: 'm.login.dummy' } });
    expect(channel.status).toBe(200);
    // det_data.items() <= channel.json_body.items() (home_server included)
    expect(channel.body).toMatchObject({ user_id: '@kermit:test', device_id: 'frogfone' });
    expect(channel.body).toMatchObject({ home_server: 'test' });
  });

  it('test_POST_disabled_registration', () => {
    const hs = hsWith(withConfig({ registration: { enableRegistration: false } }, SYNAPSE_TEST_CONFIG));
    const channel = registerOn(hs, { username: 'kermit', password: 'monkey' });
    expect(channel.status).toBe(403);
    expect(channel.body['error']).toBe('Registration has been disabled');
    expect(channel.body['errcode']).toBe('M_FORBIDDEN');
  });

  it('test_POST_registration_requires_token', () => {
    const hs = hsWith(REQUIRES_TOKEN);
    insertToken(hs, null, null);
    const params: Record<string, unknown> = { username: 'kermit', password: 'monkey', device_id: 'frogfone' };
    const channel = registerOn(hs, params);
    expect(channel.status).toBe(401);
    // "Synapse adds a dummy stage to differentiate flows where otherwise one flow would be a
    // subset of another flow."
    expectFlows(channel, [['m.login.registration_token', 'm.login.dummy']]);
    const session = sessionOf(channel);
    const tokenStage = registerOn(hs, { ...params, auth: { type: 'm.login.registration_token', token: TOKEN, session } });
    expect(tokenStage.status).toBe(401);
    expect([...(tokenStage.body['completed'] as string[])].sort()).toEqual(['m.login.registration_token']);
    const done = registerOn(hs, { ...params, auth: { type: 'm.login.dummy', session } });
    expect(done.status).toBe(200);
    // "Check the `completed` counter has been incremented and pending is 0"
    expect(tokenRow(hs).completed).toBe(1);
    expect(tokenRow(hs).pending).toBe(0);
    // det_data.items() <= channel.json_body.items()
    expect(done.body).toMatchObject({ user_id: '@kermit:test', device_id: 'frogfone' });
    expect(done.body).toMatchObject({ home_server: 'test' });
  });

  it('test_POST_registration_token_invalid', () => {
    const hs = hsWith(REQUIRES_TOKEN);
    const params = { username: 'kermit', password: 'monkey' };
    const session = sessionOf(registerOn(hs, params));
    const attempt = (auth: Record<string, unknown>, errcode: string) => {
      const channel = registerOn(hs, { ...params, auth: { type: 'm.login.registration_token', session, ...auth } });
      expect(channel.status).toBe(401);
      expect(channel.body['errcode']).toBe(errcode);
      expect(channel.body['completed']).toEqual([]);
    };
    attempt({}, 'M_MISSING_PARAM'); // token param missing
    attempt({ token: 1234 }, 'M_INVALID_PARAM'); // not a string
    attempt({ token: '1234' }, 'M_UNAUTHORIZED'); // unknown token
  });

  it('test_POST_registration_token_limit_uses', () => {
    const hs = hsWith(REQUIRES_TOKEN);
    insertToken(hs, 1, null);
    const params1 = { username: 'bert', password: 'monkey' };
    const params2 = { username: 'ernie', password: 'monkey' };
    const session1 = sessionOf(registerOn(hs, params1));
    const session2 = sessionOf(registerOn(hs, params2));
    const withToken1 = { ...params1, auth: { type: 'm.login.registration_token', token: TOKEN, session: session1 } };
    registerOn(hs, withToken1);
    // "Repeat request to make sure pending isn't increased again"
    registerOn(hs, withToken1);
    expect(tokenRow(hs).pending).toBe(1);
    const withToken2 = { ...params2, auth: { type: 'm.login.registration_token', token: TOKEN, session: session2 } };
    const refused = registerOn(hs, withToken2);
    expect(refused.status).toBe(401);
    expect(refused.body['errcode']).toBe('M_UNAUTHORIZED');
    expect(refused.body['completed']).toEqual([]);
    // "Complete registration with session1"
    registerOn(hs, { ...params1, auth: { type: 'm.login.dummy', session: session1 } });
    expect(tokenRow(hs).pending).toBe(0);
    expect(tokenRow(hs).completed).toBe(1);
    // "Check auth still fails when using token with session2"
    const still = registerOn(hs, withToken2);
    expect(still.status).toBe(401);
    expect(still.body['errcode']).toBe('M_UNAUTHORIZED');
    expect(still.body['completed']).toEqual([]);
  });

  it('test_POST_registration_token_expiry', () => {
    const hs = hsWith(REQUIRES_TOKEN);
    hs.advance(2 * DAY_MS);
    const now = hs.nowMs;
    // "Create token that expired yesterday"
    insertToken(hs, null, now - DAY_MS);
    const params = { username: 'kermit', password: 'monkey' };
    const session = sessionOf(registerOn(hs, params));
    const withToken = { ...params, auth: { type: 'm.login.registration_token', token: TOKEN, session } };
    const expired = registerOn(hs, withToken);
    expect(expired.status).toBe(401);
    expect(expired.body['errcode']).toBe('M_UNAUTHORIZED');
    expect(expired.body['completed']).toEqual([]);
    // "Update token so it expires tomorrow"
    hs.database.execute({ op: 'tokens.update', token: TOKEN, expiryTimeMs: now + DAY_MS }, hs.nowMs);
    const passed = registerOn(hs, withToken);
    expect(passed.body['completed']).toEqual(['m.login.registration_token']);
  });

  it('test_POST_registration_token_session_expiry', () => {
    const hs = hsWith(REQUIRES_TOKEN);
    insertToken(hs, null, null);
    const params1 = { username: 'bert', password: 'monkey' };
    const params2 = { username: 'ernie', password: 'monkey' };
    const session1 = sessionOf(registerOn(hs, params1));
    const session2 = sessionOf(registerOn(hs, params2));
    // "Use token with both sessions"
    registerOn(hs, { ...params1, auth: { type: 'm.login.registration_token', token: TOKEN, session: session1 } });
    registerOn(hs, { ...params2, auth: { type: 'm.login.registration_token', token: TOKEN, session: session2 } });
    // "Complete registration with session1"
    registerOn(hs, { ...params1, auth: { type: 'm.login.dummy', session: session1 } });
    // The credential result is `true` for the finished session, the token for the other (uia §2.10).
    expect(hs.credentials(session1).get('m.login.registration_token')).toBe(true);
    expect(hs.credentials(session2).get('m.login.registration_token')).toBe(TOKEN);
    // "Delete both sessions (mimics expiry)" and "Check pending is now 0" (uia §2.8).
    deleteOldUiAuthSessions(hs);
    expect(tokenRow(hs).pending).toBe(0);
  });

  it('test_POST_registration_token_session_expiry_deleted_token', () => {
    // "Test session expiry doesn't break when the token is deleted."
    const hs = hsWith(REQUIRES_TOKEN);
    insertToken(hs, null, null);
    const params = { username: 'kermit', password: 'monkey' };
    const session = sessionOf(registerOn(hs, params));
    registerOn(hs, { ...params, auth: { type: 'm.login.registration_token', token: TOKEN, session } });
    hs.database.execute({ op: 'tokens.delete', token: TOKEN }, hs.nowMs);
    expect(() => deleteOldUiAuthSessions(hs)).not.toThrow();
    expect(hs.session(session)).toBeUndefined();
  });

  it('test_advertised_flows*', () => {
    // test_advertised_flows: "with the stock config, we only expect the dummy flow"
    expectFlows(registerOn(hsWith(SYNAPSE_TEST_CONFIG), {}), [['m.login.dummy']]);
    // test_advertised_flows_captcha_and_terms_and_3pids, without its msisdn flows (msisdn is not
    // modelled: no `account_threepid_delegates.msisdn`).
    const captchaTermsEmail = withConfig(
      { captcha: { enableRegistrationCaptcha: true, privateKeySet: true }, consent: { requireAtRegistration: true }, email: { enabled: true } },
      SYNAPSE_TEST_CONFIG,
    );
    expectFlows(registerOn(hsWith(captchaTermsEmail), {}), [
      ['m.login.recaptcha', 'm.login.terms', 'm.login.dummy'],
      ['m.login.recaptcha', 'm.login.terms', 'm.login.email.identity'],
    ]);
    // test_advertised_flows_no_msisdn_email_required
    const emailRequired = withConfig({ registration: { registrationsRequire3pid: ['email'] }, email: { enabled: true } }, SYNAPSE_TEST_CONFIG);
    expectFlows(registerOn(hsWith(emailRequired), {}), [['m.login.email.identity']]);
  });
});
