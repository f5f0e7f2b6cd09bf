// uia §4.4: tests/test_terms_auth.py, profile `head`, main alone, with the test's
// `user_consent: {version: "1.0", policy_name: "My Cool Privacy Policy", require_at_registration: true}`.
import { describe, expect, it } from 'vitest';
import { REGISTER_PATH } from '../../models/matrix/protocol.js';
import { SYNAPSE_TEST_CONFIG, withConfig } from './configs.js';
import { deployment, flowsOf, post, sessionOf } from './harness.js';

const TERMS_CONFIG = withConfig(
  { consent: { requireAtRegistration: true, policyName: 'My Cool Privacy Policy', policyVersion: '1.0', policyUrl: 'https://example.org/_matrix/consent?v=1.0' } },
  SYNAPSE_TEST_CONFIG,
);

describe('TermsTestCase', () => {
  it('test_ui_auth', () => {
    const hs = deployment({ profile: 'head', config: TERMS_CONFIG });
    const requestData = { username: 'kermit', password: 'monkey' };
    const channel = hs.send('main', post(REGISTER_PATH, requestData));
    expect(channel.status).toBe(401);
    expect(typeof channel.body['session']).toBe('string');
    expect(Array.isArray(channel.body['flows'])).toBe(true);
    for (const stages of flowsOf(channel)) {
      expect(stages.length).toBeGreaterThan(0);
      expect(stages).toContain('m.login.terms');
    }
    // "We have to complete the dummy auth stage before completing the terms stage" (any order
    // works: uia §1.1).
    const session = sessionOf(channel);
    expect(hs.send('main', post(REGISTER_PATH, { ...requestData, auth: { session, type: 'm.login.dummy' } })).status).toBe(401);
    // "Finish the UI auth for terms"
    const done = hs.send('main', post(REGISTER_PATH, { ...requestData, auth: { session, type: 'm.login.terms' } }));
    expect(done.status).toBe(200);
    expect(typeof done.body['user_id']).toBe('string');
    expect(typeof done.body['access_token']).toBe('string');
    expect(typeof done.body['device_id']).toBe('string');
    // params.items() <= expected_params.items()
    expect(channel.body['params']).toEqual({
      'm.login.terms': {
        policies: { privacy_policy: { en: { name: 'My Cool Privacy Policy', url: 'https://example.org/_matrix/consent?v=1.0' }, version: '1.0' } },
      },
    });
  });
});
