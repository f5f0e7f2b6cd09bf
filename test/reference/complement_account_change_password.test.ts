// uia §4.5: Complement tests/csapi/account_change_password_test.go, profile `head`, main alone.
// There is no /login in the model: "can / can't log in with the new / old password" is checked on
// the user's password hash, "a session still works" on an authenticated GET /devices/{id}.
import { describe, expect, it } from 'vitest';
import { passwordHashOf, type UserRow } from '../../models/synapse/accounts.js';
import { SYNAPSE_TEST_CONFIG } from './configs.js';
import { deployment, get, post, type Deployment } from './harness.js';

const PASSWORD_V3 = '/_matrix/client/v3/account/password';
const USER = '@alice:test';
const TOKEN = 'syt_alice';
/** A second login ("a different session") and its token (seedAccount's naming). */
const OTHER_TOKEN = `${TOKEN}_OTHERDEV`;

function passwordHs(): Deployment {
  const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
  hs.seed({ userId: USER, password: 'superuser', devices: ['ALICEDEV', 'OTHERDEV'], accessToken: TOKEN });
  return hs;
}

/** changePassword: one-shot password UIA with new_password. */
function changePassword(hs: Deployment, oldPassword: string, newPassword: string, extra: Record<string, unknown> = {}) {
  const body = { auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: USER }, password: oldPassword }, new_password: newPassword, ...extra };
  return hs.send('main', post(PASSWORD_V3, body, { accessToken: TOKEN }));
}

const hashOf = (hs: Deployment) => (hs.database.execute({ op: 'accounts.getUser', userId: USER }, hs.nowMs) as UserRow).passwordHash;
const sessionWorks = (hs: Deployment, token: string) => hs.send('main', { ...get('/_matrix/client/v3/devices/ALICEDEV'), accessToken: token }).status;

describe('TestChangePassword', () => {
  it('account_change_password_test.go', () => {
    const hs = passwordHs();
    expect(changePassword(hs, 'superuser', 'new_optional_password').status).toBe(200);
    // "After changing password, can't log in with old password" / "can log in with new password"
    expect(hashOf(hs)).toBe(passwordHashOf('new_optional_password'));
    expect(hashOf(hs)).not.toBe(passwordHashOf('superuser'));
    // "After changing password, existing session still works"
    expect(sessionWorks(hs, TOKEN)).toBe(200);
    // "After changing password, a different session no longer works by default"
    expect(sessionWorks(hs, OTHER_TOKEN)).toBe(401);

    // "After changing password, different sessions can optionally be kept" (logout_devices: false)
    const kept = passwordHs();
    expect(changePassword(kept, 'superuser', 'new_optional_password', { logout_devices: false }).status).toBe(200);
    expect(sessionWorks(kept, OTHER_TOKEN)).toBe(200);
  });
});
