// Email: requestToken, the emailed link, and m.login.email.identity (models/synapse/email/,
// stages/email-identity.ts; uia §1.5, §2.2 step 4, §2.3 #9265, uia §5 #7512).
import { describe, expect, it } from 'vitest';
import { ACCOUNT_3PID_EMAIL_REQUEST_TOKEN_PATH, ACCOUNT_PASSWORD_EMAIL_REQUEST_TOKEN_PATH, EMAIL_VALIDATE_PATH, REGISTER_EMAIL_REQUEST_TOKEN_PATH } from '../../../models/matrix/protocol.js';
import { seedAccount } from '../../../models/synapse/accounts.js';
import { withConfig } from '../../../models/synapse/config.js';
import { handleEmailRequestToken, type RequestTokenSuccess } from '../../../models/synapse/email/request-token.js';
import { handleEmailValidate } from '../../../models/synapse/email/validate.js';
import { handleRegister, registrationFlows } from '../../../models/synapse/register.js';
import type { ProfileName } from '../../../models/synapse/profile.js';
import { checkEmailIdentity } from '../../../models/synapse/stages/email-identity.js';
import type { HttpResponse } from '../../../src/http.js';
import { bodyOf, register, request, sessionOf } from '../helpers.js';
import { stageProcess, type StageProcess } from './stages/harness.js';

const EMAIL = 'm.login.email.identity';
/** Registration flows [[dummy], [email]] (uia §2.11). */
const EMAIL_CONFIG = withConfig({ captcha: { enableRegistrationCaptcha: false }, consent: { requireAtRegistration: false }, registration: { enableRegistrationToken3pidBypass: false } });

function emailProcess(profile: ProfileName = 'head'): StageProcess {
  return stageProcess(profile, { config: EMAIL_CONFIG });
}

function requestToken(p: StageProcess, body: Record<string, unknown>, path = REGISTER_EMAIL_REQUEST_TOKEN_PATH): HttpResponse {
  return p.run(handleEmailRequestToken(p.ctx, request('POST', path, body))).value;
}

function follow(p: StageProcess, sid: string, token: string, clientSecret = 'secret'): HttpResponse {
  const query = `sid=${encodeURIComponent(sid)}&client_secret=${encodeURIComponent(clientSecret)}&token=${encodeURIComponent(token)}`;
  return p.run(handleEmailValidate(p.ctx, request('GET', EMAIL_VALIDATE_PATH, null, query))).value;
}

function started(p: StageProcess, email = 'kermit@example.org'): RequestTokenSuccess {
  const response = requestToken(p, { client_secret: 'secret', email, send_attempt: 1 });
  expect(response.status).toBe(200);
  return response.body as RequestTokenSuccess;
}

describe('email requestToken and the emailed link', () => {
  it('requestToken answers {sid} (and the test-only x-email-token the email carries); following the link renders email-validated, about no UIA session', () => {
    const p = emailProcess();
    const { sid, 'x-email-token': token } = started(p);
    expect(sid).toMatch(/^[a-zA-Z]{16}$/);
    expect(token).toMatch(/^[a-zA-Z]{32}$/);
    const page = follow(p, sid, token);
    expect(page.status).toBe(200);
    // uia §5 #7512: the page shows no stage and names no session.
    expect(page.body).toEqual({ page: 'email-validated', stage: '', session: '' });
    // Following it again is fine.
    expect(follow(p, sid, token).status).toBe(200);
  });

  it('a bad link renders the failure page (400): wrong token, wrong client_secret, unknown sid, expired token', () => {
    const p = emailProcess();
    const { sid, 'x-email-token': token } = started(p);
    expect(bodyOf(follow(p, sid, 'nope'))).toMatchObject({ page: 'email-failed', error: 'Validation token not found or has expired' });
    expect(bodyOf(follow(p, sid, token, 'other'))).toMatchObject({ error: 'This client_secret does not match the provided session_id' });
    expect(bodyOf(follow(p, 'nosuchsid', token))).toMatchObject({ error: 'Unknown session_id' });
    p.clock.ms = 60 * 60 * 1000;
    expect(follow(p, sid, token).status).toBe(400);
  });

  it('the same (client_secret, address) and a send_attempt not higher gives the same sid and no new token; a higher one a new token', () => {
    const p = emailProcess();
    const first = started(p);
    expect(requestToken(p, { client_secret: 'secret', email: 'kermit@example.org', send_attempt: 1 }).body).toEqual(first);
    const again = requestToken(p, { client_secret: 'secret', email: 'Kermit@Example.org', send_attempt: 2 }).body as RequestTokenSuccess;
    expect(again.sid).toBe(first.sid);
    expect(again['x-email-token']).not.toBe(first['x-email-token']);
  });

  it('an address bound to an account is 400 M_THREEPID_IN_USE, on both requestToken endpoints; bad parameters are 400s', () => {
    const p = emailProcess();
    seedAccount(p.db, { userId: '@alice:test', password: 'pw', devices: ['D'], accessToken: 't', threepids: [{ medium: 'email', address: 'alice@example.org' }] });
    for (const path of [REGISTER_EMAIL_REQUEST_TOKEN_PATH, ACCOUNT_3PID_EMAIL_REQUEST_TOKEN_PATH]) {
      expect(requestToken(p, { client_secret: 'secret', email: 'Alice@example.org', send_attempt: 1 }, path).body).toEqual({ errcode: 'M_THREEPID_IN_USE', error: 'Email is already in use' });
    }
    expect(bodyOf(requestToken(p, { email: 'x@example.org', send_attempt: 1 }))['errcode']).toBe('M_MISSING_PARAM');
    expect(bodyOf(requestToken(p, { client_secret: 'bad secret!', email: 'x@example.org', send_attempt: 1 }))['errcode']).toBe('M_INVALID_PARAM');
  });
});

describe('password-reset requestToken (uia §4.4 test_basic_password_reset)', () => {
  it('needs an address an account has: else 400 M_THREEPID_NOT_FOUND; with one, a validation session like the others', () => {
    const p = emailProcess();
    seedAccount(p.db, { userId: '@alice:test', password: 'pw', devices: ['D'], accessToken: 't', threepids: [{ medium: 'email', address: 'alice@example.org' }] });
    const reset = (email: string): HttpResponse =>
      p.run(handleEmailRequestToken(p.ctx, request('POST', ACCOUNT_PASSWORD_EMAIL_REQUEST_TOKEN_PATH, { client_secret: 'secret', email, send_attempt: 1 }), 'password-reset')).value;
    expect(reset('nobody@example.org').body).toEqual({ errcode: 'M_THREEPID_NOT_FOUND', error: 'Email not found' });
    const ok = reset('alice@example.org');
    expect(ok.status).toBe(200);
    const { sid, 'x-email-token': token } = ok.body as RequestTokenSuccess;
    expect(follow(p, sid, token).status).toBe(200);
    expect(p.run(checkEmailIdentity(p.ctx, p.ctx.config, { threepid_creds: { sid, client_secret: 'secret' } })).value).toMatchObject({ ok: true, result: { address: 'alice@example.org' } });
  });
});

describe('m.login.email.identity (uia §1.5)', () => {
  it('before the link is followed: LoginError 401 M_UNAUTHORIZED "Unable to get validated threepid"', () => {
    const p = emailProcess();
    const { sid } = started(p);
    expect(p.run(checkEmailIdentity(p.ctx, p.ctx.config, { threepid_creds: { sid, client_secret: 'secret' } })).value).toEqual({
      ok: false,
      loginError: { status: 401, errcode: 'M_UNAUTHORIZED', error: 'Unable to get validated threepid' },
    });
  });

  it('missing threepid_creds: LoginError 400 M_MISSING_PARAM', () => {
    const p = emailProcess();
    expect(p.run(checkEmailIdentity(p.ctx, p.ctx.config, {})).value).toMatchObject({ ok: false, loginError: { errcode: 'M_MISSING_PARAM', error: 'Missing threepid_creds' } });
  });

  it('after it: stores {medium, address, validated_at, threepid_creds} and deletes the validation row, so the creds pass once', () => {
    const p = emailProcess();
    const { sid, 'x-email-token': token } = started(p);
    p.clock.ms = 5000;
    follow(p, sid, token);
    const creds = { sid, client_secret: 'secret' };
    const run = p.run(checkEmailIdentity(p.ctx, p.ctx.config, { threepid_creds: creds }));
    expect(run.value).toEqual({ ok: true, result: { medium: 'email', address: 'kermit@example.org', validated_at: 5000, threepid_creds: creds } });
    expect(run.commands.map((c) => (c as { op: string }).op)).toEqual(['threepid.getValidated', 'threepid.delete']);
    expect(p.run(checkEmailIdentity(p.ctx, p.ctx.config, { threepid_creds: creds })).value).toMatchObject({ ok: false });
  });

  it('uia §2.11, SyTest "Can register using an email address": [email] flow; {session} alone after the link does not complete the stage (#7512), the creds do', () => {
    const p = emailProcess();
    expect(registrationFlows(p.ctx)).toEqual([{ stages: ['m.login.dummy'] }, { stages: [EMAIL] }]);
    const sid = sessionOf(p.run(handleRegister(p.ctx, register({ username: 'kermit', password: 'monkey' }))).value);
    const { sid: emailSid, 'x-email-token': token } = started(p);
    follow(p, emailSid, token);
    const onlySession = p.run(handleRegister(p.ctx, register({ auth: { session: sid } }))).value;
    expect([onlySession.status, bodyOf(onlySession)['completed']]).toEqual([401, []]);
    const done = p.run(handleRegister(p.ctx, register({ auth: { type: EMAIL, session: sid, threepid_creds: { sid: emailSid, client_secret: 'secret' } } }))).value;
    expect(done.status).toBe(200);
    expect(bodyOf(done)['user_id']).toBe('@kermit:test');
    expect(p.facts.filter((f) => f.name === 'stage-passed').map((f) => f.detail)).toEqual([EMAIL]);
  });

  it('uia §2.2 step 4, #9263 (1.13, before v1.27): a failed email stage escapes as a bare 401 error with no flows or session', () => {
    const p = emailProcess('1.13');
    const sid = sessionOf(p.run(handleRegister(p.ctx, register({ username: 'kermit', password: 'monkey' }))).value);
    const failed = p.run(handleRegister(p.ctx, register({ auth: { type: EMAIL, session: sid, threepid_creds: { sid: 'x', client_secret: 'secret' } } }))).value;
    expect(failed.status).toBe(401);
    expect(failed.body).toEqual({ errcode: 'M_UNAUTHORIZED', error: 'Unable to get validated threepid' });
  });

  it('uia §2.3 #9265 (head): the same failure is merged into a 401 with flows, session and completed', () => {
    const p = emailProcess('head');
    const sid = sessionOf(p.run(handleRegister(p.ctx, register({ username: 'kermit', password: 'monkey' }))).value);
    const failed = p.run(handleRegister(p.ctx, register({ auth: { type: EMAIL, session: sid, threepid_creds: { sid: 'x', client_secret: 'secret' } } }))).value;
    expect(bodyOf(failed)).toMatchObject({ session: sid, completed: [], errcode: 'M_UNAUTHORIZED' });
  });
});
