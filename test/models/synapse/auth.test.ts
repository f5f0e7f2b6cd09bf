// AuthHandler.check_ui_auth (uia §2.4; 1.8's check_auth, uia §2.2), driven by hand against the
// store each profile uses: 1.13 the SQL tables, 1.8 the process's memory.
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../models/matrix/protocol.js';
import { checkUiAuth, type UiAuthOutcome } from '../../../models/synapse/auth.js';
import type { ProfileName } from '../../../models/synapse/profile.js';
import type { HttpRequest, HttpResponse } from '../../../src/http.js';
import { bodyOf, ops, processFor, register, request, type Process } from '../helpers.js';

const PROFILES_UNDER_TEST: readonly ProfileName[] = ['1.8', '1.13'];
const DUMMY_ONLY: readonly Flow[] = [{ stages: ['m.login.dummy'] }];

/** The foundation's registration flows: captcha + terms before dummy, or dummy alone. */
const REGISTRATION_FLOWS: readonly Flow[] = [
  { stages: ['m.login.recaptcha', 'm.login.terms', 'm.login.dummy'] },
  { stages: ['m.login.dummy'] },
];

function check(p: Process, req: HttpRequest, flows: readonly Flow[] = REGISTRATION_FLOWS): UiAuthOutcome {
  return p.run(checkUiAuth(p.ctx, flows, req, req.body as Record<string, unknown>, 'register a new account')).value;
}

function responded(outcome: UiAuthOutcome): HttpResponse {
  if (outcome.kind !== 'respond') throw new Error(`expected a response, got ${outcome.kind}`);
  return outcome.response;
}

/** The first request of a registration: no auth, a 401 naming the new session. */
function start(p: Process, body: Record<string, unknown> = { username: 'alice', password: 'pw' }): string {
  const outcome = check(p, register(body));
  return outcome.sessionId as string;
}

describe.each(PROFILES_UNDER_TEST)('check_ui_auth under profile %s', (profile) => {
  it('uia §2.4 steps 2 and 5: a first request without auth gets a 401 with session, flows and params and no `completed` key', () => {
    const p = processFor(profile);
    const response = responded(check(p, register({ username: 'alice', password: 'pw' })));
    expect(response.status).toBe(401);
    const body = bodyOf(response);
    expect(typeof body['session']).toBe('string');
    expect(body['session']).toMatch(/^[a-zA-Z]{24}$/); // uia §2.4 step 2: 24 random letters
    expect(body['flows']).toEqual(REGISTRATION_FLOWS);
    // uia §1.2, §4.1 test_fallback_captcha: the recaptcha public key; uia §4.4: the terms policy.
    expect(body['params']).toEqual({
      'm.login.recaptcha': { public_key: 'brokencake' },
      'm.login.terms': { policies: { privacy_policy: { version: '1.0', en: { name: 'Privacy Policy', url: 'https://example.org/_matrix/consent?v=1.0' } } } },
    });
    expect('completed' in body).toBe(false);
    expect('errcode' in body).toBe(false);
  });

  it('uia §1.2: params only carry the stages the offered flows use', () => {
    const p = processFor(profile);
    const body = bodyOf(responded(check(p, register({}), DUMMY_ONLY)));
    expect(body['params']).toEqual({});
  });

  it('uia §1.3, §2.4 step 7: `auth: {session}` alone gets a 401 that carries `completed` (empty so far)', () => {
    const p = processFor(profile);
    const sid = start(p);
    const response = responded(check(p, register({ auth: { session: sid } })));
    expect(response.status).toBe(401);
    expect(bodyOf(response)['session']).toBe(sid);
    expect(bodyOf(response)['completed']).toEqual([]);
    expect('errcode' in bodyOf(response)).toBe(false);
  });

  it('uia §2.4 step 6-7: a dummy stage completes the [m.login.dummy] flow and returns the session and the stored clientdict', () => {
    const p = processFor(profile);
    const sid = start(p);
    const outcome = check(p, register({ auth: { type: 'm.login.dummy', session: sid } }));
    expect(outcome.kind).toBe('complete');
    if (outcome.kind !== 'complete') return;
    expect(outcome.sessionId).toBe(sid);
    expect([...outcome.creds.entries()]).toEqual([['m.login.dummy', true]]);
    // An auth-only body proceeds with the clientdict of the first request (uia §2.2 step 2, §2.4 step 3).
    expect(outcome.clientdict).toEqual({ username: 'alice', password: 'pw' });
  });

  it('uia §2.11, §4.3 test_POST_user_valid: a one-shot request with `auth: {type: m.login.dummy}` and no session completes at once', () => {
    const p = processFor(profile);
    const outcome = check(p, register({ username: 'bob', auth: { type: 'm.login.dummy' } }));
    expect(outcome.kind).toBe('complete');
    if (outcome.kind === 'complete') expect(outcome.clientdict).toEqual({ username: 'bob' });
  });

  it('uia §1.2, §2.4 step 6: a recaptcha stage without `response` gets a 401 carrying RecaptchaAuthChecker\'s LoginError (M_CAPTCHA_NEEDED "Captcha response is required"), `completed`, and records nothing', () => {
    const p = processFor(profile);
    const sid = start(p);
    check(p, register({ auth: { type: 'm.login.terms', session: sid } }));
    const response = responded(check(p, register({ auth: { type: 'm.login.recaptcha', session: sid } })));
    expect(response.status).toBe(401);
    const body = bodyOf(response);
    // The LoginError is 400, but its errcode/error are merged into the 401 (uia §1.2).
    expect(body['errcode']).toBe('M_CAPTCHA_NEEDED');
    expect(body['error']).toBe('Captcha response is required');
    expect(body['session']).toBe(sid);
    expect(body['flows']).toEqual(REGISTRATION_FLOWS);
    expect(body['completed']).toEqual(['m.login.terms']);
    // uia §6.2: a failed attempt writes nothing.
    const creds = p.run(p.store.getCompletedStages(sid)).value;
    expect([...creds.keys()]).toEqual(['m.login.terms']);
  });

  it('uia §1.2, §2.13: an empty recaptcha `response` goes to siteverify, which refuses it (401, M_UNAUTHORIZED merged in)', () => {
    const p = processFor(profile);
    const sid = start(p);
    const response = responded(check(p, register({ auth: { type: 'm.login.recaptcha', session: sid, response: '' } })));
    expect(response.status).toBe(401);
    expect(bodyOf(response)['errcode']).toBe('M_UNAUTHORIZED');
    expect(bodyOf(response)['error']).toBe('Captcha authentication failed');
    expect(bodyOf(response)['completed']).toEqual([]);
  });

  it('uia §2.4 step 6: an auth type nobody recognises is a plain 400 M_UNKNOWN "Unknown login type <type>" with no UIA fields', () => {
    const p = processFor(profile);
    const sid = start(p);
    // With a legacy `user`, so the login path gets past the identifier to the type.
    const response = responded(check(p, register({ auth: { type: 'm.login.bogus', session: sid, user: 'alice' } })));
    expect(response.status).toBe(400);
    const body = bodyOf(response);
    expect(body).toEqual({ errcode: 'M_UNKNOWN', error: 'Unknown login type m.login.bogus' });
    expect('session' in body).toBe(false);
    expect('flows' in body).toBe(false);
    expect('completed' in body).toBe(false);
  });

  it('uia §1.1, §4.4 test_terms_auth: stages may be completed in any order (set difference, not a sequence)', () => {
    const p = processFor(profile);
    const flows: readonly Flow[] = [{ stages: ['m.login.terms', 'm.login.dummy'] }];
    const sid = start(p);
    const first = responded(check(p, register({ auth: { type: 'm.login.dummy', session: sid } }), flows));
    expect(first.status).toBe(401);
    expect(bodyOf(first)['completed']).toEqual(['m.login.dummy']);
    expect(check(p, register({ auth: { type: 'm.login.terms', session: sid } }), flows).kind).toBe('complete');
  });

  it('uia §1.1: the three-stage flow completes with its stages done last-to-first', () => {
    const p = processFor(profile);
    const flows: readonly Flow[] = [{ stages: ['m.login.recaptcha', 'm.login.terms', 'm.login.dummy'] }];
    const sid = start(p);
    expect(responded(check(p, register({ auth: { type: 'm.login.dummy', session: sid } }), flows)).status).toBe(401);
    const second = responded(check(p, register({ auth: { type: 'm.login.terms', session: sid } }), flows));
    expect(bodyOf(second)['completed']).toEqual(['m.login.dummy', 'm.login.terms']);
    expect(check(p, register({ auth: { type: 'm.login.recaptcha', session: sid, response: 'a' } }), flows).kind).toBe('complete');
  });

  it('uia §2.4 step 6: a stage that passes its checker is recorded even if no offered flow contains it', () => {
    const p = processFor(profile);
    const sid = start(p);
    const response = responded(check(p, register({ auth: { type: 'm.login.terms', session: sid } }), DUMMY_ONLY));
    expect(response.status).toBe(401);
    expect(bodyOf(response)['completed']).toEqual(['m.login.terms']);
  });

  it('uia §1.3, §2.4 step 6: re-completing a stage re-runs the checker and upserts (no duplicate in `completed`)', () => {
    const p = processFor(profile);
    const sid = start(p);
    check(p, register({ auth: { type: 'm.login.terms', session: sid } }));
    const again = responded(check(p, register({ auth: { type: 'm.login.terms', session: sid } })));
    expect(bodyOf(again)['completed']).toEqual(['m.login.terms']);
  });

  it('uia §2.4 step 7: `completed` lists stages in the order they were first recorded', () => {
    const p = processFor(profile);
    const sid = start(p);
    check(p, register({ auth: { type: 'm.login.terms', session: sid } }));
    const response = responded(check(p, register({ auth: { type: 'm.login.recaptcha', session: sid, response: 'a' } })));
    expect(bodyOf(response)['completed']).toEqual(['m.login.terms', 'm.login.recaptcha']);
  });

  it('uia §2.4 (end): a completed session is not deleted; replaying `auth: {session}` completes again', () => {
    const p = processFor(profile);
    const sid = start(p);
    expect(check(p, register({ auth: { type: 'm.login.dummy', session: sid } })).kind).toBe('complete');
    const replay = check(p, register({ auth: { session: sid } }));
    expect(replay.kind).toBe('complete');
    expect(replay.sessionId).toBe(sid);
  });

  it('uia §2.4 step 3 / §2.2 step 2: a later non-empty body replaces the stored clientdict', () => {
    const p = processFor(profile);
    const sid = start(p, { username: 'alice', password: 'pw' });
    check(p, register({ username: 'carol', auth: { session: sid } }));
    const outcome = check(p, register({ auth: { type: 'm.login.dummy', session: sid } }));
    expect(outcome.kind === 'complete' && outcome.clientdict).toEqual({ username: 'carol' });
  });
});

describe('check_ui_auth, the unknown session ID', () => {
  it('uia §2.4 step 3, §2.3 #7268 (1.13): an unknown session is a 400 M_UNKNOWN "Unknown session ID: <sid>", and no session is created', () => {
    const p = processFor('1.13');
    const driven = p.run(checkUiAuth(p.ctx, REGISTRATION_FLOWS, register({ auth: { session: 'nosuchsession' } }), { auth: { session: 'nosuchsession' } }, 'd'));
    const response = responded(driven.value);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errcode: 'M_UNKNOWN', error: 'Unknown session ID: nosuchsession' });
    expect(ops(driven.commands)).toEqual(['ui.get']);
  });

  it('uia §2.4 step 3 (1.13): an unknown session with a stage is rejected before the checker runs (nothing is recorded)', () => {
    const p = processFor('1.13');
    const body = { auth: { type: 'm.login.dummy', session: 'nosuchsession' } };
    const driven = p.run(checkUiAuth(p.ctx, REGISTRATION_FLOWS, register(body), body, 'd'));
    expect(responded(driven.value).status).toBe(400);
    expect(ops(driven.commands)).not.toContain('ui.markStage');
  });

  it('uia §2.2 (1.8): an unknown session silently becomes a 401 naming a DIFFERENT, fresh session with empty `completed`', () => {
    const p = processFor('1.8');
    const known = start(p);
    const response = responded(check(p, register({ auth: { session: 'nosuchsession' } })));
    expect(response.status).toBe(401);
    const body = bodyOf(response);
    expect(body['session']).not.toBe('nosuchsession');
    expect(body['session']).not.toBe(known);
    expect(body['session']).toMatch(/^[a-zA-Z]{24}$/);
    expect(body['completed']).toEqual([]);
    expect('errcode' in body).toBe(false);
    // The given ID stays unknown; the fresh one exists.
    expect(p.run(p.store.getSession('nosuchsession')).value).toBeUndefined();
    expect(p.run(p.store.getSession(body['session'] as string)).value).toBeDefined();
  });

  it('uia §2.2 (1.8): a stage sent with an unknown session lands in the fresh session (so a dummy completes)', () => {
    const p = processFor('1.8');
    const outcome = check(p, register({ auth: { type: 'm.login.dummy', session: 'nosuchsession' } }));
    expect(outcome.kind).toBe('complete');
    expect(outcome.sessionId).not.toBe('nosuchsession');
  });

  it('uia §2.2 (1.8): a recaptcha stage sent with an unknown session shows up under the fresh session ID', () => {
    const p = processFor('1.8');
    const response = responded(check(p, register({ auth: { type: 'm.login.recaptcha', session: 'gone', response: 'a' } })));
    expect(bodyOf(response)['session']).not.toBe('gone');
    expect(bodyOf(response)['completed']).toEqual(['m.login.recaptcha']);
  });
});

describe('check_ui_auth, the operation binding (uia §2.9)', () => {
  it('1.13: the same session used with a query string added is a 403 M_UNKNOWN (#7722), and nothing is recorded', () => {
    const p = processFor('1.13');
    const sid = start(p);
    const body = { auth: { type: 'm.login.dummy', session: sid } };
    const driven = p.run(checkUiAuth(p.ctx, REGISTRATION_FLOWS, register(body, 'kind=user'), body, 'd'));
    const response = responded(driven.value);
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ errcode: 'M_UNKNOWN', error: 'Requested operation has changed during the UI authentication session.' });
    expect(ops(driven.commands)).toEqual(['ui.get']);
    expect(p.run(p.store.getCompletedStages(sid)).value.size).toBe(0);
  });

  it('1.13: switching the version prefix (r0 -> v3) mid-session is a 403', () => {
    const p = processFor('1.13');
    const sid = start(p);
    const response = responded(check(p, request('POST', '/_matrix/client/v3/register', { auth: { session: sid } })));
    expect(response.status).toBe(403);
  });

  it('the same URI with another method: 1.13.0 lets it through (it stored the URI as the method, so it compared the URI twice: uia §2.3 #7689, synapse/handlers/auth.py `method = request.uri`); head answers 403', () => {
    const sameUriOtherMethod = (profile: '1.13' | 'head') => {
      const p = processFor(profile);
      const first = request('DELETE', '/_matrix/client/r0/devices/dev1', {});
      const sid = check(p, first, DUMMY_ONLY).sessionId as string;
      return check(p, request('POST', '/_matrix/client/r0/devices/dev1', { auth: { session: sid } }), DUMMY_ONLY);
    };
    const on113 = sameUriOtherMethod('1.13');
    expect(responded(on113).status).toBe(401); // the session carries on: its stages are asked for again
    expect(responded(sameUriOtherMethod('head')).status).toBe(403);
  });

  it('1.13 (test_can_change_body, #7483): only the body changing is allowed and the new body is persisted', () => {
    const p = processFor('1.13');
    const sid = start(p, { username: 'alice' });
    const outcome = check(p, register({ username: 'dave', auth: { type: 'm.login.dummy', session: sid } }));
    expect(outcome.kind === 'complete' && outcome.clientdict).toEqual({ username: 'dave' });
    expect(p.run(p.store.getSession(sid)).value?.clientdict).toEqual({ username: 'dave' });
  });

  it('1.8 binds nothing: the same session with a query string added carries on', () => {
    const p = processFor('1.8');
    const sid = start(p);
    const outcome = check(p, register({ auth: { type: 'm.login.dummy', session: sid } }, 'kind=user'));
    expect(outcome.kind).toBe('complete');
  });
});

describe('check_ui_auth, store traffic', () => {
  it('uia §2.4: under 1.13 every store call is its own database round trip, in the documented order', () => {
    const p = processFor('1.13');
    const first = p.run(checkUiAuth(p.ctx, REGISTRATION_FLOWS, register({ username: 'a' }), { username: 'a' }, 'd'));
    expect(ops(first.commands)).toEqual(['ui.create']);
    const sid = first.value.sessionId as string;
    const body = { auth: { type: 'm.login.dummy', session: sid } };
    const next = p.run(checkUiAuth(p.ctx, REGISTRATION_FLOWS, register(body), body, 'd'));
    // step 3: get, then the unconditional clientdict write; step 6: the upsert; step 7: read back.
    expect(ops(next.commands)).toEqual(['ui.get', 'ui.setClientdict', 'ui.markStage', 'ui.getStages']);
  });

  it('uia §2.4 step 3 (1.13): an auth-only body rewrites the stored clientdict unchanged (last writer wins)', () => {
    const p = processFor('1.13');
    const sid = start(p, { username: 'alice' });
    const body = { auth: { session: sid } };
    const driven = p.run(checkUiAuth(p.ctx, REGISTRATION_FLOWS, register(body), body, 'd'));
    const write = driven.commands.find((c) => (c as { op: string }).op === 'ui.setClientdict') as { clientdict: unknown };
    expect(write.clientdict).toEqual({ username: 'alice' });
  });

  it('DESIGN "Effects": under 1.8 the process-local memory store never yields, so check_auth is atomic', () => {
    const p = processFor('1.8');
    const first = p.run(checkUiAuth(p.ctx, REGISTRATION_FLOWS, register({ username: 'a' }), { username: 'a' }, 'd'));
    expect(first.commands).toEqual([]);
    const sid = first.value.sessionId as string;
    const body = { auth: { type: 'm.login.dummy', session: sid } };
    expect(p.run(checkUiAuth(p.ctx, REGISTRATION_FLOWS, register(body), body, 'd')).commands).toEqual([]);
  });

  it('uia §2.2 step 2 (1.8): an auth-only body reuses the stored clientdict without rewriting it', () => {
    const p = processFor('1.8');
    const sid = start(p, { username: 'alice' });
    const outcome = check(p, register({ auth: { type: 'm.login.dummy', session: sid } }));
    expect(outcome.kind === 'complete' && outcome.clientdict).toEqual({ username: 'alice' });
  });
});
