// uia §4.5: Complement tests/csapi/apidoc_device_management_test.go, profile `head`, main alone.
// Complement talks v3; its server is `hs1`, ours `test`. /sync is not modelled: "the deleted
// device's token gets 401" is checked on GET /devices/{id}, which authenticates the same way.
import { describe, expect, it } from 'vitest';
import { SYNAPSE_TEST_CONFIG } from './configs.js';
import { del, deployment, get, type Deployment } from './harness.js';

const ALICE = '@alice:test';
const ALICE_TOKEN = 'syt_alice';
/** The session Complement logs in before deleting it (`createSession`), and its token. */
const NEW_DEVICE = 'NEWDEVICE';
const NEW_DEVICE_TOKEN = `${ALICE_TOKEN}_${NEW_DEVICE}`;
const BOB = '@bob:test';

const devicePathV3 = (id: string): string => `/_matrix/client/v3/devices/${id}`;

function complementHs(): Deployment {
  const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
  hs.seed({ userId: ALICE, password: 'superuser', devices: ['ALICEDEV', NEW_DEVICE], accessToken: ALICE_TOKEN });
  hs.seed({ userId: BOB, password: 'bobspassword', devices: ['BOBDEV'], accessToken: 'syt_bob' });
  return hs;
}

const passwordAuth = (user: string, password: string) => ({ auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password } });

describe('TestDeviceManagement', () => {
  it('…requires UI auth user to match device owner', () => {
    const hs = complementHs();
    // Bob's credentials on Alice's request: 403, and the device still exists.
    const res = hs.send('main', del(devicePathV3(NEW_DEVICE), passwordAuth(BOB, 'bobspassword'), { accessToken: ALICE_TOKEN }));
    expect(res.status).toBe(403);
    const still = hs.send('main', { ...get(devicePathV3(NEW_DEVICE)), accessToken: ALICE_TOKEN });
    expect(still.status).toBe(200);
    expect(still.body['device_id']).toBe(NEW_DEVICE);
    // Alice's own credentials: 200.
    expect(hs.send('main', del(devicePathV3(NEW_DEVICE), passwordAuth(ALICE, 'superuser'), { accessToken: ALICE_TOKEN })).status).toBe(200);
  });

  it('DELETE /device/{deviceId}', () => {
    const hs = complementHs();
    // No auth: 401 with session, flows, params.
    const first = hs.send('main', del(devicePathV3(NEW_DEVICE), {}, { accessToken: ALICE_TOKEN }));
    expect(first.status).toBe(401);
    for (const key of ['session', 'flows', 'params']) expect(first.body).toHaveProperty(key);
    // A wrong password (no session): 401 with those, plus error and errcode M_FORBIDDEN.
    const wrong = hs.send('main', del(devicePathV3(NEW_DEVICE), passwordAuth(ALICE, 'super-wrong-password'), { accessToken: ALICE_TOKEN }));
    expect(wrong.status).toBe(401);
    for (const key of ['session', 'flows', 'params', 'error']) expect(wrong.body).toHaveProperty(key);
    expect(wrong.body['errcode']).toBe('M_FORBIDDEN');
    // The right password (no session): 200.
    expect(hs.send('main', del(devicePathV3(NEW_DEVICE), passwordAuth(ALICE, 'superuser'), { accessToken: ALICE_TOKEN })).status).toBe(200);
    // The device is gone...
    expect(hs.send('main', { ...get(devicePathV3(NEW_DEVICE)), accessToken: ALICE_TOKEN }).status).toBe(404);
    // ...and so is its access token (Complement: /sync with it -> 401).
    expect(hs.send('main', { ...get(devicePathV3('ALICEDEV')), accessToken: NEW_DEVICE_TOKEN }).status).toBe(401);
  });
});
