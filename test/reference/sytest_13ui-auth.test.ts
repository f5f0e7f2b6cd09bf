// uia §4.6: SyTest tests/10apidoc/13ui-auth.pl, profile `head`, main alone. SyTest's SSO tests
// use CAS; CAS is not modelled, so they are replayed over OIDC (the same UIA steps: the fallback
// page redirects to the IdP, whose callback carries the UIA session back, uia §2.6).
import { describe, expect, it } from 'vitest';
import { devicePath } from '../../models/matrix/protocol.js';
import { DEFAULT_IDP_ID } from '../../models/synapse/config.js';
import { SYNAPSE_TEST_CONFIG, withConfig } from './configs.js';
import { authViaOidc, del, deployment, flowsOf, get, sessionOf, type Deployment } from './harness.js';

const USER = '@sso_user:test';
const TOKEN = 'syt_sso_user';
const SSO_CONFIG = withConfig({ sso: { oidcProviders: [{ idpId: DEFAULT_IDP_ID, idpName: 'CAS stand-in' }], samlEnabled: false } }, SYNAPSE_TEST_CONFIG);

/** A user linked to the IdP as `sso_user`, with a password, and two devices. */
function ssoHs(): Deployment {
  const hs = deployment({ profile: 'head', config: SSO_CONFIG });
  hs.seed({ userId: USER, password: 'sekrit', devices: ['DEVA', 'DEVB'], accessToken: TOKEN, externalIds: ['sso_user'] });
  return hs;
}

const deleteDevice = (hs: Deployment, device: string, body: unknown) => hs.send('main', del(devicePath(device), body, { accessToken: TOKEN }));

describe('13ui-auth.pl', () => {
  it('Interactive authentication types include SSO', () => {
    const hs = ssoHs();
    const channel = deleteDevice(hs, 'DEVB', {});
    expect(channel.status).toBe(401);
    for (const key of ['flows', 'session']) expect(channel.body).toHaveProperty(key);
    expect(flowsOf(channel)).toContainEqual(['m.login.sso']);
  });

  it('Can perform interactive authentication with SSO', () => {
    const hs = ssoHs();
    const session = sessionOf(deleteDevice(hs, 'DEVB', {}));
    const { confirm, callback } = authViaOidc(hs, session, 'sso_user');
    expect(confirm.status).toBe(200);
    expect(callback?.status).toBe(200);
    expect(deleteDevice(hs, 'DEVB', { auth: { session } }).status).toBe(200);
  });

  it('The user must be consistent through an interactive authentication session with SSO', () => {
    const hs = ssoHs();
    // Another user, also linked to the IdP.
    hs.seed({ userId: '@other_user:test', password: 'sekrit', devices: ['OTHER'], accessToken: 'syt_other', externalIds: ['other_user'] });
    const session = sessionOf(deleteDevice(hs, 'DEVB', {}));
    authViaOidc(hs, session, 'other_user');
    expect(deleteDevice(hs, 'DEVB', { auth: { session } }).status).toBe(403);
  });

  it('The operation must be consistent through an interactive authentication session', () => {
    const hs = ssoHs();
    // Start deleting device A...
    const session = sessionOf(deleteDevice(hs, 'DEVA', {}));
    // ...and finish with auth on device B: 403.
    const auth = { type: 'm.login.password', identifier: { type: 'm.id.user', user: USER }, password: 'sekrit', session };
    expect(deleteDevice(hs, 'DEVB', { auth }).status).toBe(403);
    // B still exists.
    expect(hs.send('main', { ...get(devicePath('DEVB')), accessToken: TOKEN }).status).toBe(200);
  });
});
