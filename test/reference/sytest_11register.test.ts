// uia §4.6: SyTest tests/11register.pl, profile `head`, main alone, under SyTest's homeserver
// config (recaptcha keys set, captcha not required, email configured). SyTest talks r0.
import { describe, expect, it } from 'vitest';
import { EMAIL_VALIDATE_PATH, REGISTER_EMAIL_REQUEST_TOKEN_PATH, REGISTER_PATH } from '../../models/matrix/protocol.js';
import { SYTEST_CONFIG } from './configs.js';
import { deployment, flowsOf, get, post, sessionOf, type Reply } from './harness.js';

/** The `home_server` key assert_json_keys asks for in every 200 of /register. */
function expectHomeServer(...replies: Reply[]): void {
  for (const reply of replies) expect(reply.body['home_server'], `home_server in ${JSON.stringify(reply.body)}`).toBe('test');
}

/** assert_json_keys */
function expectKeys(reply: Reply, ...keys: string[]): void {
  for (const key of keys) expect(reply.body, `key ${key} in ${JSON.stringify(reply.body)}`).toHaveProperty(key);
}

describe('11register.pl', () => {
  it('Register with a recaptcha', () => {
    // "This test only tests the recaptcha validation stage ... It also abuses the fact the Synapse
    // permits validation of a recaptcha stage even if it's not actually required in any of the
    // given auth flows." (uia §2.4 step 6)
    const hs = deployment({ profile: 'head', config: SYTEST_CONFIG });
    const reply = hs.send('main', post(REGISTER_PATH, { username: 'recaptcha-user', password: 'my secret', auth: { type: 'm.login.recaptcha', response: 'sytest_captcha_response' } }));
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expectKeys(reply, 'completed');
    expect(reply.body['completed']).toEqual(['m.login.recaptcha']);
  });

  it('registration is idempotent, without/with username specified', () => {
    for (const username of [undefined, 'idempotent-user']) {
      const hs = deployment({ profile: 'head', config: SYTEST_CONFIG });
      const params = username === undefined ? { password: 's3kr1t' } : { username, password: 's3kr1t' };
      const first = hs.send('main', post(REGISTER_PATH, params));
      expect(first.status).toBe(401);
      expectKeys(first, 'session');
      const session = sessionOf(first);
      const registered = hs.send('main', post(REGISTER_PATH, { ...params, auth: { session, type: 'm.login.dummy' } }));
      expect(registered.status).toBe(200);
      expectKeys(registered, 'user_id', 'access_token');
      // "now try to register again with the same session": an equivalent response, same user ID.
      const again = hs.send('main', post(REGISTER_PATH, { ...params, auth: { session, type: 'm.login.dummy' } }));
      expect(again.status).toBe(200);
      expectKeys(again, 'user_id', 'access_token');
      expect(again.body['user_id']).toBe(registered.body['user_id']);
      // assert_eq(user_id, "@$localpart:$home_server")
      if (username !== undefined) expect(again.body['user_id']).toBe(`@${username}:test`);
      expectHomeServer(registered, again);
    }
  });

  it('registration remembers parameters', () => {
    const hs = deployment({ profile: 'head', config: SYTEST_CONFIG });
    const first = hs.send('main', post(REGISTER_PATH, { username: 'remembers', password: 's3kr1t', device_id: 'xyzzy', initial_device_display_name: 'display_name' }));
    expect(first.status).toBe(401);
    const session = sessionOf(first);
    // The second request carries only the auth dict (uia §2.4 step 3: the stored clientdict is used).
    const done = hs.send('main', post(REGISTER_PATH, { auth: { session, type: 'm.login.dummy' } }));
    expect(done.status).toBe(200);
    expectKeys(done, 'user_id', 'access_token');
    expect(done.body['user_id']).toBe('@remembers:test');
    // "check that the right device_id was registered" (the display name is not modelled)
    expect(done.body['device_id']).toBe('xyzzy');
    expect(hs.database.execute({ op: 'accounts.listDevices', userId: '@remembers:test' }, hs.nowMs)).toContain('xyzzy');
    expectHomeServer(done);
  });

  it('Can register using an email address', () => {
    const hs = deployment({ profile: 'head', config: SYTEST_CONFIG });
    const params = { username: 'email-user', password: 'noobers3kr1t', device_id: 'xyzzy' };
    const first = hs.send('main', post(REGISTER_PATH, params));
    expect(first.status).toBe(401);
    expectKeys(first, 'session', 'flows');
    // "Check that one of the flows' stages contains an "m.login.email.identity" stage" (alone).
    expect(flowsOf(first).filter((stages) => stages.length === 1 && stages[0] === 'm.login.email.identity')).toHaveLength(1);
    // validate_email: requestToken, then the link in the email.
    const clientSecret = 'sytestsecret';
    const requested = hs.send('main', post(REGISTER_EMAIL_REQUEST_TOKEN_PATH, { client_secret: clientSecret, email: 'testemail@example.com', send_attempt: 1 }));
    expect(requested.status).toBe(200);
    const sid = String(requested.body['sid']);
    const link = `sid=${encodeURIComponent(sid)}&client_secret=${clientSecret}&token=${encodeURIComponent(String(requested.body['x-email-token']))}`;
    expect(hs.send('main', get(EMAIL_VALIDATE_PATH, link)).status).toBe(200);
    // "attempt to register with the 3pid"
    const done = hs.send(
      'main',
      post(REGISTER_PATH, { ...params, auth: { type: 'm.login.email.identity', session: sessionOf(first), threepid_creds: { sid, client_secret: clientSecret } } }),
    );
    expect(done.status).toBe(200);
    expectKeys(done, 'user_id');
    expectHomeServer(done);
  });
});
