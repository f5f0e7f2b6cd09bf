// The fallback of uia §2.6 for the stages issue 3 adds: the registration-token form, LoginErrors
// re-rendered on the form (#10561), checkers that are not enabled, and stage-passed facts.
import { describe, expect, it } from 'vitest';
import { fallbackPath } from '../../../models/matrix/protocol.js';
import { withConfig } from '../../../models/synapse/config.js';
import { handleFallback } from '../../../models/synapse/fallback.js';
import { handleRegister } from '../../../models/synapse/register.js';
import { seedRegistrationTokens } from '../../../models/synapse/stages/registration-token.js';
import type { HttpMethod, HttpResponse } from '../../../src/http.js';
import { register, request, sessionOf } from '../helpers.js';
import { stageProcess, type StageProcess } from './stages/harness.js';

const TOKEN = 'm.login.registration_token';
const RECAPTCHA = 'm.login.recaptcha';
const TOKEN_CONFIG = withConfig({ registration: { registrationRequiresToken: true, registrationTokens: [{ token: 'abcd', usesAllowed: null, expiryTimeMs: null }] } });

function tokenProcess(): StageProcess {
  const p = stageProcess('head', { config: TOKEN_CONFIG });
  seedRegistrationTokens(p.db, TOKEN_CONFIG);
  return p;
}

function fallback(p: StageProcess, method: HttpMethod, stage: string, query: string, form: unknown = {}): HttpResponse {
  return p.run(handleFallback(p.ctx, request(method, fallbackPath(stage), form, query), stage)).value;
}

function start(p: StageProcess): string {
  return sessionOf(p.run(handleRegister(p.ctx, register({ username: 'user', password: 'pw' }))).value);
}

describe('fallback: registration token (uia §2.6)', () => {
  it('GET renders the token form without looking at the session', () => {
    const p = tokenProcess();
    const page = fallback(p, 'GET', TOKEN, 'session=neverissued');
    expect([page.status, page.body]).toEqual([200, { page: 'form', stage: TOKEN, session: 'neverissued' }]);
  });

  it('POST with `token` completes the stage (result: the token, pending counted) and renders the success page', () => {
    const p = tokenProcess();
    const sid = start(p);
    expect(fallback(p, 'POST', TOKEN, `session=${sid}`, { token: 'abcd' }).body).toEqual({ page: 'success', stage: TOKEN, session: sid });
    expect(p.run(p.store.getCompletedStages(sid)).value.get(TOKEN)).toBe('abcd');
    expect(p.db.execute({ op: 'tokens.get', token: 'abcd' }, 0)).toMatchObject({ pending: 1 });
    expect(p.facts.filter((f) => f.name === 'stage-passed').map((f) => [f.key, f.detail, f.tags])).toEqual([[sid, TOKEN, ['abcd']]]);
  });

  it('POST without `token` is 400 M_MISSING_PARAM (parse_string required)', () => {
    const p = tokenProcess();
    const response = fallback(p, 'POST', TOKEN, `session=${start(p)}`, {});
    expect([response.status, (response.body as { errcode: string }).errcode]).toEqual([400, 'M_MISSING_PARAM']);
  });

  it('#10561: an unknown token re-renders the form with the LoginError; nothing is stored', () => {
    const p = tokenProcess();
    const sid = start(p);
    expect(fallback(p, 'POST', TOKEN, `session=${sid}`, { token: 'nope' }).body).toEqual({ page: 'form', stage: TOKEN, session: sid, error: 'Invalid registration token' });
    expect(p.run(p.store.getCompletedStages(sid)).value.size).toBe(0);
  });

  it('an unknown session is 400 Unknown session ID, before the token is counted', () => {
    const p = tokenProcess();
    const response = fallback(p, 'POST', TOKEN, 'session=nosuch', { token: 'abcd' });
    expect([response.status, response.body]).toEqual([400, { errcode: 'M_UNKNOWN', error: 'Unknown session ID: nosuch' }]);
    expect(p.db.execute({ op: 'tokens.get', token: 'abcd' }, 0)).toMatchObject({ pending: 0 });
  });

  it('uia §2.3 (v1.42): before registration tokens (1.13) the token page is 404', () => {
    const p = stageProcess('1.13', { config: TOKEN_CONFIG });
    expect(fallback(p, 'GET', TOKEN, 'session=x').status).toBe(404);
  });
});

describe('fallback: LoginErrors and disabled checkers (uia §2.6)', () => {
  it('#10561: a captcha siteverify refuses -> the form again with "Captcha authentication failed"', () => {
    const p = stageProcess('head', { captcha: { windows: [{ fromMs: 0, untilMs: 1e9, mode: 'failing' }] } });
    const sid = start(p);
    expect(fallback(p, 'POST', RECAPTCHA, `session=${sid}`, { 'g-recaptcha-response': 'a' }).body).toEqual({ page: 'form', stage: RECAPTCHA, session: sid, error: 'Captcha authentication failed' });
  });

  it('add_oob_auth: a stage without an enabled checker is LoginError 400 M_INVALID_PARAM, shown on the form', () => {
    const p = stageProcess('head', { config: withConfig({ captcha: { privateKeySet: false, enableRegistrationCaptcha: false } }) });
    const sid = start(p);
    expect(fallback(p, 'POST', RECAPTCHA, `session=${sid}`, { 'g-recaptcha-response': 'a' }).body).toEqual({
      page: 'form',
      stage: RECAPTCHA,
      session: sid,
      error: `Unknown UIA stage type: ${RECAPTCHA}`,
    });
  });

  it('the session is checked before the stage type: no session -> 400 even for an unknown type; then 404', () => {
    const p = stageProcess('head');
    expect(fallback(p, 'GET', 'm.login.bogus', '').status).toBe(400);
    expect(fallback(p, 'GET', 'm.login.bogus', 'session=x').status).toBe(404);
    expect(fallback(p, 'POST', 'm.login.password', 'session=x').status).toBe(404);
  });
});
