// uia §4.5: Complement tests/csapi/apidoc_register_test.go, profile `head`, main alone. Complement
// talks v3; its server is `hs1`, ours `test`.
import { describe, expect, it } from 'vitest';
import { SYNAPSE_TEST_CONFIG } from './configs.js';
import { deployment, flowsOf, post, sessionOf } from './harness.js';

const REGISTER_V3 = '/_matrix/client/v3/register';

describe('TestRegistration', () => {
  it('POST {} returns 401 with flows; one-shot dummy registrations', () => {
    const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
    // "POST {} returns a set of flows": 401, every flow has a `stages` array.
    const flows = hs.send('main', post(REGISTER_V3, {}));
    expect(flows.status).toBe(401);
    expect(flowsOf(flows).length).toBeGreaterThan(0);
    for (const flow of flows.body['flows'] as unknown[]) expect(Array.isArray((flow as { stages: unknown }).stages)).toBe(true);

    // "POST /register can create a user"
    const created = hs.send('main', post(REGISTER_V3, { auth: { type: 'm.login.dummy' }, username: 'post-can-create-a-user', password: 'sUp3rs3kr1t' }));
    expect(created.status).toBe(200);
    expect(typeof created.body['access_token']).toBe('string');
    expect(created.body['user_id']).toBe('@post-can-create-a-user:test');

    // "POST /register downcases capitals in usernames"
    const downcased = hs.send('main', post(REGISTER_V3, { auth: { type: 'm.login.dummy' }, username: 'user-UPPER', password: 'sUp3rs3kr1t' }));
    expect(downcased.status).toBe(200);
    expect(downcased.body['user_id']).toBe('@user-upper:test');
  });

  it('Registration accepts non-ascii passwords', () => {
    const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
    const reqJson = { username: 'test_user', password: 'übers3kr1t', device_id: 'xyzzy', initial_device_display_name: 'mydevice' };
    const first = hs.send('main', post(REGISTER_V3, reqJson));
    expect(first.status).toBe(401);
    const session = sessionOf(first);
    const second = hs.send('main', post(REGISTER_V3, { ...reqJson, auth: { type: 'm.login.dummy', session } }));
    expect(second.status).toBe(200);
    expect(second.body).toHaveProperty('access_token');
  });
});
