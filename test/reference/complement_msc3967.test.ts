// uia §4.5: Complement tests/msc3967/msc3967_test.go, profile `head`, main alone.
import { describe, expect, it } from 'vitest';
import { SYNAPSE_TEST_CONFIG } from './configs.js';
import { deployment, flowsOf, post, sessionOf } from './harness.js';

const UPLOAD_V3 = '/_matrix/client/v3/keys/device_signing/upload';
const USER = '@alice:test';
const TOKEN = 'syt_alice';

const key = (usage: string, id: string) => ({ user_id: USER, usage: [usage], keys: { [`ed25519:${id}`]: id } });

describe('TestMSC3967', () => {
  it('msc3967_test.go', () => {
    const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
    hs.seed({ userId: USER, password: 'password', devices: ['DEV1'], accessToken: TOKEN });
    const upload = (body: Record<string, unknown>) => hs.send('main', post(UPLOAD_V3, body, { accessToken: TOKEN }));
    const master = { master_key: key('master', 'master1') };
    // The first master key upload needs no UIA, nor an identical re-upload.
    expect(upload(master).status).toBe(200);
    expect(upload(master).status).toBe(200);
    // Replacing the master key needs UIA: 401 with flows.
    const replaced = { master_key: key('master', 'master2') };
    const challenge = upload(replaced);
    expect(challenge.status).toBe(401);
    expect(flowsOf(challenge).length).toBeGreaterThan(0);
    // Adding a self-signing key needs UIA too.
    const adding = upload({ ...master, self_signing_key: key('self_signing', 'ssk1') });
    expect(adding.status).toBe(401);
    expect(adding.body).toHaveProperty('flows');
    // Password + session: 200; the identical request with the same auth dict again: 200.
    const withAuth = { ...replaced, auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: USER }, password: 'password', session: sessionOf(challenge) } };
    expect(upload(withAuth).status).toBe(200);
    expect(upload(withAuth).status).toBe(200);
  });
});
