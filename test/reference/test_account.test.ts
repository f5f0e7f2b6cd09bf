// uia §4.4: tests/rest/client/test_account.py's UIA tests, profile `head`, main alone, email on.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_PASSWORD_EMAIL_REQUEST_TOKEN_PATH, ACCOUNT_PASSWORD_PATH, EMAIL_VALIDATE_PATH } from '../../models/matrix/protocol.js';
import { passwordHashOf, type Threepid, type UserRow } from '../../models/synapse/accounts.js';
import { SYNAPSE_TEST_CONFIG, withConfig } from './configs.js';
import { deployment, get, post } from './harness.js';

const EMAIL_CONFIG = withConfig({ email: { enabled: true } }, SYNAPSE_TEST_CONFIG);
const EMAIL = 'test@example.com';

describe('PasswordResetTestCase', () => {
  it('test_basic_password_reset', () => {
    const oldPassword = 'monkey';
    const newPassword = 'kangeroo';
    const userId = '@kermit:test';
    const hs = deployment({ profile: 'head', config: EMAIL_CONFIG });
    hs.seed({ userId, password: oldPassword, devices: ['KERMITDEV'], accessToken: 'syt_kermit', threepids: [{ medium: 'email', address: EMAIL }] });
    // _request_token: the password-reset requestToken (the address must belong to an account)...
    const clientSecret = 'foobar';
    const requested = hs.send('main', post(ACCOUNT_PASSWORD_EMAIL_REQUEST_TOKEN_PATH, { client_secret: clientSecret, email: EMAIL, send_attempt: 1 }));
    expect(requested.status).toBe(200);
    const sid = String(requested.body['sid']);
    // ...and _validate_token: following the emailed link (its token is the model's x-email-token).
    const link = `sid=${encodeURIComponent(sid)}&client_secret=${clientSecret}&token=${encodeURIComponent(String(requested.body['x-email-token']))}`;
    expect(hs.send('main', get(EMAIL_VALIDATE_PATH, link)).status).toBe(200);
    // _reset_password: no access token, a one-shot email stage.
    const reset = hs.send(
      'main',
      post(ACCOUNT_PASSWORD_PATH, { new_password: newPassword, auth: { type: 'm.login.email.identity', threepid_creds: { client_secret: clientSecret, sid } } }),
    );
    expect(reset.status).toBe(200);
    // "Assert we can log in with the new password" / "... can't log in with the old password"
    const user = hs.database.execute({ op: 'accounts.getUser', userId }, hs.nowMs) as UserRow;
    expect(user.passwordHash).toBe(passwordHashOf(newPassword));
    // "Check that the UI Auth information doesn't store the password in the database." (#16272)
    const sessions = hs.sessionIds();
    expect(sessions).toHaveLength(1);
    expect(JSON.stringify(hs.session(sessions[0] as string)?.clientdict)).not.toContain(newPassword);
  });
});

describe('ThreepidEmailRestTestCase', () => {
  it('test_cant_add_email_without_clicking_link', () => {
    const userId = '@kermit:test';
    const token = 'syt_kermit';
    const hs = deployment({ profile: 'head', config: EMAIL_CONFIG });
    hs.seed({ userId, password: 'test', devices: ['KERMITDEV'], accessToken: token });
    const clientSecret = 'foobar';
    const requested = hs.send('main', post('/_matrix/client/unstable/account/3pid/email/requestToken', { client_secret: clientSecret, email: EMAIL, send_attempt: 1 }, { accessToken: token }));
    expect(requested.status).toBe(200);
    const sid = requested.body['sid'];
    // "Attempt to add email without even going to the link"
    const channel = hs.send(
      'main',
      post('/_matrix/client/unstable/account/3pid/add', { client_secret: clientSecret, sid, auth: { type: 'm.login.password', user: userId, password: 'test' } }, { accessToken: token }),
    );
    expect(channel.status).toBe(400);
    expect(channel.body['errcode']).toBe('M_THREEPID_AUTH_FAILED');
    // "Get user": no threepids.
    expect(hs.database.execute({ op: 'accounts.threepids', userId }, hs.nowMs) as readonly Threepid[]).toEqual([]);
  });
});
