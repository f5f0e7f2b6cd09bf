// ref 4.4: tests/rest/client/test_account.py's UIA tests, profile `head`, main alone, email on.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_PASSWORD_PATH } from '../../models/matrix/protocol.js';
import type { ThreepidStartResult } from '../../models/stores/threepid-validation-table.js';
import { passwordHashOf, type Threepid, type UserRow } from '../../models/synapse/accounts.js';
import { SYNAPSE_TEST_CONFIG, withConfig } from './configs.js';
import { deployment, post } from './harness.js';

const EMAIL_CONFIG = withConfig({ email: { enabled: true } }, SYNAPSE_TEST_CONFIG);
const EMAIL = 'test@example.com';

describe('PasswordResetTestCase', () => {
  it('test_basic_password_reset', () => {
    const oldPassword = 'monkey';
    const newPassword = 'kangeroo';
    const userId = '@kermit:test';
    const hs = deployment({ profile: 'head', config: EMAIL_CONFIG });
    hs.seed({ userId, password: oldPassword, devices: ['KERMITDEV'], accessToken: 'syt_kermit', threepids: [{ medium: 'email', address: EMAIL }] });
    // _request_token + _validate_token: the model has no /account/password/email/requestToken
    // (see /work/brief/notes-for-endpoints.md), so the validated threepid session the link click
    // leaves behind is written straight into the database, as requestToken and the link would.
    const clientSecret = 'foobar';
    const started = hs.database.execute(
      { op: 'threepid.start', medium: 'email', address: EMAIL, clientSecret, sendAttempt: 1, newSid: 'passwordresetsid', newToken: 'emailedtoken', expiresAtMs: hs.nowMs + 3_600_000 },
      hs.nowMs,
    ) as ThreepidStartResult;
    hs.database.execute({ op: 'threepid.validate', sid: started.sid, clientSecret, token: started.token, nowMs: hs.nowMs }, hs.nowMs);
    // _reset_password: no access token, a one-shot email stage.
    const reset = hs.send(
      'main',
      post(ACCOUNT_PASSWORD_PATH, { new_password: newPassword, auth: { type: 'm.login.email.identity', threepid_creds: { client_secret: clientSecret, sid: started.sid } } }),
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
