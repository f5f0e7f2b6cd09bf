// uia §4.4: tests/rest/client/test_keys.py, profile `head`, main alone.
import { describe, expect, it } from 'vitest';
import { SYNAPSE_TEST_CONFIG } from './configs.js';
import { deployment, flowsOf, post, sessionOf } from './harness.js';

const UPLOAD_V3 = '/_matrix/client/v3/keys/device_signing/upload';

describe('KeyQueryTestCase', () => {
  it('test_device_signing_with_uia', () => {
    // "Device signing key upload requires UIA."
    const password = 'wonderland';
    const aliceId = '@alice:test';
    const aliceToken = 'syt_alice_ABCDEFGHI';
    const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
    hs.seed({ userId: aliceId, password, devices: ['ABCDEFGHI'], accessToken: aliceToken });
    const keys = (id: string) => ({ master_key: { user_id: aliceId, usage: ['master'], keys: { [`ed25519:${id}`]: id } } });
    // The first upload needs no UIA (MSC3967).
    expect(hs.send('main', post(UPLOAD_V3, keys('first'), { accessToken: aliceToken })).status).toBe(200);
    // A different key set does.
    const channel = hs.send('main', post(UPLOAD_V3, keys('second'), { accessToken: aliceToken }));
    expect(channel.status).toBe(401);
    const session = sessionOf(channel);
    expect(flowsOf(channel)).toContainEqual(['m.login.password']);
    const content = { ...keys('second'), auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: aliceId }, password, session } };
    expect(hs.send('main', post(UPLOAD_V3, content, { accessToken: aliceToken })).status).toBe(200);
  });
});
