// uia §4.1: Synapse's tests/rest/client/test_auth.py (HEAD), replayed on profile `head` against
// main alone, as the unit tests run. Statuses, errcodes and body keys are the source's.
import { describe, expect, it } from 'vitest';
import { DELETE_DEVICES_PATH, devicePath, fallbackPath, REGISTER_PATH } from '../../models/matrix/protocol.js';
import { DEFAULT_IDP_ID, type SynapseConfig } from '../../models/synapse/config.js';
import { FALLBACK_AUTH_CONFIG, SYNAPSE_TEST_CONFIG, withConfig } from './configs.js';
import { at, authViaOidc, del, deployment, flowsOf, get, post, sessionOf, type Deployment, type Reply } from './harness.js';

/** FallbackAuthTests.register: POST /register to main. */
function register(hs: Deployment, body: unknown) {
  return hs.send('main', post(REGISTER_PATH, body));
}

/** FallbackAuthTests.recaptcha: GET the fallback page (200), then POST the form with
 * `g-recaptcha-response=a` in the query string, as the test does (uia §1.4: the form's fields
 * come back as query or form arguments). */
function recaptcha(hs: Deployment, session: string, expectedPostStatus: number, postSession: string = session): void {
  expect(hs.send('main', get(fallbackPath('m.login.recaptcha'), `session=${session}`)).status).toBe(200);
  const form = hs.send('main', post(fallbackPath('m.login.recaptcha'), null, { query: `session=${postSession}&g-recaptcha-response=a` }));
  expect(form.status).toBe(expectedPostStatus);
}

describe('FallbackAuthTests (captcha on, public key brokencake)', () => {
  it('test_fallback_captcha', () => {
    const hs = deployment({ profile: 'head', config: FALLBACK_AUTH_CONFIG });
    const first = register(hs, { username: 'user', type: 'm.login.password', password: 'bar' });
    expect(first.status).toBe(401);
    const session = sessionOf(first);
    // "Assert our configured public key is being given"
    expect(at(first, 'params', 'm.login.recaptcha', 'public_key')).toBe('brokencake');

    recaptcha(hs, session, 200);
    // "also complete the dummy auth"
    expect(register(hs, { auth: { session, type: 'm.login.dummy' } }).status).toBe(200);
    // "Now we should have fulfilled a complete auth flow ... send a request to the register API
    // with the session in the authdict."
    const replay = register(hs, { auth: { session } });
    expect(replay.status).toBe(200);
    expect(replay.body['user_id']).toBe('@user:test');
    // "Check that the checker was called": one attempt, with response "a".
    expect(hs.captcha.attempts).toEqual(['a']);
  });

  it('test_complete_operation_unknown_session', () => {
    const hs = deployment({ profile: 'head', config: FALLBACK_AUTH_CONFIG });
    const first = register(hs, { username: 'user', type: 'm.login.password', password: 'bar' });
    expect(first.status).toBe(401);
    const session = sessionOf(first);
    expect(at(first, 'params', 'm.login.recaptcha', 'public_key')).toBe('brokencake');
    // "This will always return a 400 because the session is invalid."
    recaptcha(hs, session, 400, `${session}unknown`);
  });
});

describe('UIAuthTests (user test, device dev1)', () => {
  const USER = '@test:test';
  const PASSWORD = 'pass';
  const TOKEN = 'syt_test_dev1';

  /** prepare(): register_user("test", "pass") and log in on dev1 (and the test's other logins). */
  function uiAuthHs(devices: readonly string[] = ['dev1', 'dev2'], config: SynapseConfig = SYNAPSE_TEST_CONFIG): Deployment {
    const hs = deployment({ profile: 'head', config });
    hs.seed({ userId: USER, password: PASSWORD, devices, accessToken: TOKEN });
    return hs;
  }

  function deleteDevice(hs: Deployment, device: string, expectedStatus: number, body?: unknown): Reply {
    const channel = hs.send('main', del(devicePath(device), body ?? null, { accessToken: TOKEN }));
    expect(channel.status, JSON.stringify(channel.body)).toBe(expectedStatus);
    return channel;
  }

  function deleteDevices(hs: Deployment, expectedStatus: number, body: unknown): Reply {
    const channel = hs.send('main', post(DELETE_DEVICES_PATH, body, { accessToken: TOKEN }));
    expect(channel.status, JSON.stringify(channel.body)).toBe(expectedStatus);
    return channel;
  }

  const passwordAuth = (session: string) => ({ type: 'm.login.password', identifier: { type: 'm.id.user', user: USER }, password: PASSWORD, session });

  it('test_ui_auth', () => {
    const hs = uiAuthHs();
    const channel = deleteDevice(hs, 'dev1', 401);
    const session = sessionOf(channel);
    expect(flowsOf(channel)).toContainEqual(['m.login.password']);
    deleteDevice(hs, 'dev1', 200, { auth: passwordAuth(session) });
  });

  it('test_ui_auth_with_passwords_for_reauth_only', () => {
    const hs = uiAuthHs(['dev1', 'dev2'], withConfig({ passwordConfig: { enabled: 'only_for_reauth' } }, SYNAPSE_TEST_CONFIG));
    const channel = deleteDevice(hs, 'dev1', 401);
    const session = sessionOf(channel);
    expect(flowsOf(channel)).toContainEqual(['m.login.password']);
    deleteDevice(hs, 'dev1', 200, { auth: passwordAuth(session) });
  });

  it('test_grandfathered_identifier', () => {
    // "Check behaviour when the user is identified by the legacy `user` field."
    const hs = uiAuthHs();
    const session = sessionOf(deleteDevice(hs, 'dev1', 401));
    deleteDevice(hs, 'dev1', 200, { auth: { type: 'm.login.password', user: USER, password: PASSWORD, session } });
  });

  it('test_can_change_body', () => {
    // "The client dict can be modified during the user interactive authentication session."
    const hs = uiAuthHs();
    const channel = deleteDevices(hs, 401, { devices: ['dev1'] });
    const session = sessionOf(channel);
    expect(flowsOf(channel)).toContainEqual(['m.login.password']);
    // "... but try to delete the second device."
    deleteDevices(hs, 200, { devices: ['dev2'], auth: passwordAuth(session) });
  });

  it('test_cannot_change_uri', () => {
    // "The initial requested URI cannot be modified during the user interactive authentication session."
    const hs = uiAuthHs();
    const channel = deleteDevice(hs, 'dev1', 401);
    const session = sessionOf(channel);
    expect(flowsOf(channel)).toContainEqual(['m.login.password']);
    deleteDevice(hs, 'dev2', 403, { auth: passwordAuth(session) });
  });

  it('test_can_reuse_session', () => {
    // ui_auth.session_timeout: 5s. "The session can be reused if configured."
    const hs = uiAuthHs(['dev1', 'dev2', 'dev3'], withConfig({ uiAuth: { sessionTimeoutMs: 5_000 } }, SYNAPSE_TEST_CONFIG));
    // "Attempt to delete a device. This works since the user just logged in."
    deleteDevice(hs, 'dev2', 200);
    // "Move the clock forward past the validation timeout."
    hs.advance(6_000);
    // "Deleting another devices throws the user into UI auth."
    const channel = deleteDevice(hs, 'dev3', 401);
    const session = sessionOf(channel);
    expect(flowsOf(channel)).toContainEqual(['m.login.password']);
    deleteDevice(hs, 'dev3', 200, { auth: passwordAuth(session) });
    // "Make another request, but try to delete the first device. This works due to re-using the
    // previous session. Note that *no auth* information is provided, not even a session iD!"
    deleteDevice(hs, 'dev1', 200);
  });

  describe('with OIDC configured', () => {
    const SSO_CONFIG = withConfig({ sso: { oidcProviders: [{ idpId: DEFAULT_IDP_ID, idpName: 'Fake IdP' }], samlEnabled: false } }, SYNAPSE_TEST_CONFIG);
    /** prepare() plus `login_via_oidc` as the user's own localpart: the user then has both a
     * password and an external ID (an "upgraded" user). */
    const upgradedUser = (): Deployment => {
      const hs = deployment({ profile: 'head', config: SSO_CONFIG });
      hs.seed({ userId: USER, password: PASSWORD, devices: ['dev1', 'dev2'], accessToken: TOKEN, externalIds: ['test'] });
      return hs;
    };

    it('test_ui_auth_via_sso', () => {
      const hs = upgradedUser();
      const channel = deleteDevice(hs, 'dev1', 401);
      // "check that SSO is offered"
      expect(flowsOf(channel)).toContainEqual(['m.login.sso']);
      const session = sessionOf(channel);
      const { confirm, callback } = authViaOidc(hs, session, 'test');
      // The fallback serves a confirmation page that links to the OIDC provider...
      expect(confirm.status).toBe(200);
      expect(String(confirm.body['redirect'])).toContain('https://idp.example/');
      // ...and the callback lands us on the success page.
      expect(callback?.status).toBe(200);
      // "Now retry the original operation"
      deleteDevice(hs, 'dev1', 200, { auth: { session } });
    });

    it('test_does_not_offer_password_for_sso_user', () => {
      const hs = deployment({ profile: 'head', config: SSO_CONFIG });
      hs.seed({ userId: '@username:test', password: null, devices: ['SSODEV'], accessToken: 'syt_sso_user', externalIds: ['username'] });
      const channel = hs.send('main', del(devicePath('SSODEV'), null, { accessToken: 'syt_sso_user' }));
      expect(channel.status).toBe(401);
      expect(channel.body['flows']).toEqual([{ stages: ['m.login.sso'] }]);
    });

    it('test_does_not_offer_sso_for_password_user', () => {
      const hs = deployment({ profile: 'head', config: SSO_CONFIG });
      hs.seed({ userId: USER, password: PASSWORD, devices: ['dev1'], accessToken: TOKEN });
      const channel = deleteDevice(hs, 'dev1', 401);
      expect(channel.body['flows']).toEqual([{ stages: ['m.login.password'] }]);
    });

    it('test_offers_both_flows_for_upgraded_user', () => {
      const hs = upgradedUser();
      const channel = deleteDevice(hs, 'dev1', 401);
      // "we have no particular expectations of ordering here"
      expect(flowsOf(channel)).toContainEqual(['m.login.password']);
      expect(flowsOf(channel)).toContainEqual(['m.login.sso']);
      expect(flowsOf(channel)).toHaveLength(2);
    });

    it('test_ui_auth_fails_for_incorrect_sso_user', () => {
      const hs = upgradedUser();
      const channel = deleteDevice(hs, 'dev1', 401);
      expect(flowsOf(channel)).toContainEqual(['m.login.sso']);
      const session = sessionOf(channel);
      // "do the OIDC auth, but auth as the wrong user"
      const { callback } = authViaOidc(hs, session, 'wrong_user');
      expect(JSON.stringify(callback?.body)).toContain('We were unable to validate');
      // "... and the delete op should now fail with a 403"
      deleteDevice(hs, 'dev1', 403, { auth: { session } });
    });

    it.todo('test_msc4450_select_idp_id');
  });
});
