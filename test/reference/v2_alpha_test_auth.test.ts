// uia §4.1 "Historical (v2_alpha path)": tests/rest/client/v2_alpha/test_auth.py as of v1.13, on
// profile `1.13` (main alone). #7068's clientdict comparator and #7455's body-change 403 were
// removed by #7483 before 1.13.0 shipped (uia §2.3), so those two are exclusions (mapping.ts);
// what 1.13.0 still asserts is replayed here.
import { describe, expect, it } from 'vitest';
import { DELETE_DEVICES_PATH, fallbackPath, REGISTER_PATH } from '../../models/matrix/protocol.js';
import { FALLBACK_AUTH_CONFIG, SYNAPSE_TEST_CONFIG } from './configs.js';
import { at, deployment, flowsOf, get, post, sessionOf } from './harness.js';

describe('FallbackAuthTests at v1.13 (captcha on, public key brokencake)', () => {
  it('test_legacy_registration', () => {
    // "Registration allows the parameters to vary through the process." (#7455, uia §2.3)
    const hs = deployment({ profile: '1.13', config: FALLBACK_AUTH_CONFIG });
    const first = hs.send('main', post(REGISTER_PATH, { username: 'user', type: 'm.login.password', password: 'bar' }));
    expect(first.status).toBe(401);
    const session = sessionOf(first);
    expect(at(first, 'params', 'm.login.recaptcha', 'public_key')).toBe('brokencake');

    expect(hs.send('main', get(fallbackPath('m.login.recaptcha'), `session=${session}`)).status).toBe(200);
    expect(hs.send('main', post(fallbackPath('m.login.recaptcha'), null, { query: `session=${session}&g-recaptcha-response=a` })).status).toBe(200);
    // "The recaptcha handler is called with the response given"
    expect(hs.captcha.attempts).toEqual(['a']);

    // "also complete the dummy auth"
    hs.send('main', post(REGISTER_PATH, { auth: { session, type: 'm.login.dummy' } }));
    // The initial request again with a different password: at 1.13 this still completes.
    const changed = hs.send('main', post(REGISTER_PATH, { username: 'user', type: 'm.login.password', password: 'foo', auth: { session } }));
    expect(changed.status).toBe(200);
    expect(changed.body['user_id']).toBe('@user:test');
  });
});

describe('UIAuthTests at v1.13', () => {
  it('test_can_change_body', () => {
    // "The client dict can be modified during the user interactive authentication session."
    // (#7483, 1.13.0rc2, uia §2.3). Before v1.24 (#8848) UIA took the legacy `user` field.
    const hs = deployment({ profile: '1.13', config: SYNAPSE_TEST_CONFIG });
    hs.seed({ userId: '@test:test', password: 'pass', devices: ['dev1', 'dev2'], accessToken: 'syt_test_dev1' });
    const deleteDevices = (body: unknown) => hs.send('main', post(DELETE_DEVICES_PATH, body, { accessToken: 'syt_test_dev1' }));
    const channel = deleteDevices({ devices: ['dev1'] });
    expect(channel.status).toBe(401);
    const session = sessionOf(channel);
    expect(flowsOf(channel)).toContainEqual(['m.login.password']);
    const done = deleteDevices({ devices: ['dev2'], auth: { type: 'm.login.password', user: '@test:test', password: 'pass', session } });
    expect(done.status).toBe(200);
  });
});
