// ref 4.1: Synapse's tests/rest/client/test_auth.py (HEAD), replayed on profile `head` against
// main alone, as the unit tests run. Statuses, errcodes and body keys are the source's.
import { describe, expect, it } from 'vitest';
import { fallbackPath, REGISTER_PATH } from '../../models/matrix/protocol.js';
import { FALLBACK_AUTH_CONFIG } from './configs.js';
import { at, deployment, get, post, sessionOf, type Deployment } from './harness.js';

/** FallbackAuthTests.register: POST /register to main. */
function register(hs: Deployment, body: unknown) {
  return hs.send('main', post(REGISTER_PATH, body));
}

/** FallbackAuthTests.recaptcha: GET the fallback page (200), then POST the form with
 * `g-recaptcha-response=a` in the query string, as the test does (ref 1.4: the form's fields
 * come back as query or form arguments). */
function recaptcha(hs: Deployment, session: string, expectedPostStatus: number, postSession: string = session): void {
  expect(hs.send('main', get(fallbackPath('m.login.recaptcha'), `session=${session}`)).status).toBe(200);
  const form = hs.send('main', post(fallbackPath('m.login.recaptcha'), null, { query: `session=${postSession}&g-recaptcha-response=a` }));
  expect(form.status).toBe(expectedPostStatus);
}

describe('FallbackAuthTests (captcha on, public key brokencake)', () => {
  // Known deviation (mapping.ts): the model fails this today; flip back to it() once fixed.
  it.fails('test_fallback_captcha', () => {
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
    // "Check that the checker was called": exactly one recaptcha attempt, and it passed.
    const attempts = hs.facts('stage-passed').filter((f) => f.detail === 'm.login.recaptcha');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.key).toBe(session);
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
  it.todo('test_ui_auth');
  it.todo('test_ui_auth_with_passwords_for_reauth_only');
  it.todo('test_grandfathered_identifier');
  it.todo('test_can_change_body');
  it.todo('test_cannot_change_uri');
  it.todo('test_can_reuse_session');
  it.todo('test_ui_auth_via_sso');
  it.todo('test_msc4450_select_idp_id');
  it.todo('test_does_not_offer_password_for_sso_user');
  it.todo('test_does_not_offer_sso_for_password_user');
  it.todo('test_offers_both_flows_for_upgraded_user');
  it.todo('test_ui_auth_fails_for_incorrect_sso_user');
});
