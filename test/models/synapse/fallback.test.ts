// AuthRestServlet, the fallback web page (uia §1.4, §2.6), driven by hand.
import { describe, expect, it } from 'vitest';
import { fallbackPath } from '../../../models/matrix/protocol.js';
import type { SessionStore } from '../../../models/stores/contract.js';
import { handleFallback, sessionFromQuery } from '../../../models/synapse/fallback.js';
import { handleRegister } from '../../../models/synapse/register.js';
import type { ProfileName } from '../../../models/synapse/profile.js';
import type { HttpMethod, HttpResponse } from '../../../src/http.js';
import { bodyOf, processFor, register, request, sessionOf, type Process } from '../helpers.js';

const RECAPTCHA = 'm.login.recaptcha';
const TERMS = 'm.login.terms';

function fallback(p: Process, method: HttpMethod, stage: string, query: string, form: unknown = {}): HttpResponse {
  return p.run(handleFallback(p.ctx, request(method, fallbackPath(stage), form, query), stage)).value;
}

function startSession(p: Process): string {
  return sessionOf(p.run(handleRegister(p.ctx, register({ username: 'user', password: 'pw' }))).value);
}

/** A store that fails the test if the servlet touches it. */
const untouchable: SessionStore = new Proxy({} as SessionStore, {
  get: (_target, name) => () => {
    throw new Error(`the store was called (${String(name)})`);
  },
});

describe.each<ProfileName>(['1.8', '1.13'])('fallback under profile %s', (profile) => {
  it('uia §2.6 GET, §2.13: no `session` query parameter -> 400 M_UNKNOWN "No session supplied" (a plain SynapseError)', () => {
    const p = processFor(profile);
    for (const query of ['', 'session=', 'other=1']) {
      const response = fallback(p, 'GET', RECAPTCHA, query);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ errcode: 'M_UNKNOWN', error: 'No session supplied' });
    }
  });

  it('uia §2.6 GET: recaptcha and terms render their form without checking that the session exists', () => {
    const p = processFor(profile);
    const blind = { ...p, ctx: { ...p.ctx, store: untouchable } };
    for (const stage of [RECAPTCHA, TERMS]) {
      const response = blind.run(handleFallback(blind.ctx, request('GET', fallbackPath(stage), null, 'session=neverissued'), stage));
      expect(response.value.status).toBe(200);
      expect(response.value.body).toEqual({ page: 'form', stage, session: 'neverissued' });
      expect(response.commands).toEqual([]);
    }
  });

  it('uia §2.6 GET: any other stage type -> 404', () => {
    const p = processFor(profile);
    expect(fallback(p, 'GET', 'm.login.dummy', 'session=abc').status).toBe(404);
    expect(fallback(p, 'POST', 'm.login.dummy', 'session=abc').status).toBe(404);
  });

  it('uia §1.4: the session parameter is URL-decoded', () => {
    expect(sessionFromQuery('a=1&session=ab%2Bc&z=2')).toBe('ab+c');
    expect(sessionFromQuery('a=1')).toBeUndefined();
  });

  it('uia §2.6 POST, §4.1 test_fallback_captcha: the recaptcha form with g-recaptcha-response completes the stage; the success page names the session', () => {
    const p = processFor(profile);
    const sid = startSession(p);
    const response = fallback(p, 'POST', RECAPTCHA, `session=${sid}`, { 'g-recaptcha-response': 'a' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ page: 'success', stage: RECAPTCHA, session: sid });
    expect([...p.run(p.store.getCompletedStages(sid)).value.keys()]).toEqual([RECAPTCHA]);
    // The app then resubmits with `{session}` only (uia §1.4) and sees the stage.
    const resubmit = p.run(handleRegister(p.ctx, register({ auth: { session: sid } }))).value;
    expect(bodyOf(resubmit)['completed']).toEqual([RECAPTCHA]);
  });

  it('uia §2.6 POST: the terms form takes nothing and completes the stage', () => {
    const p = processFor(profile);
    const sid = startSession(p);
    expect(fallback(p, 'POST', TERMS, `session=${sid}`).body).toEqual({ page: 'success', stage: TERMS, session: sid });
    expect(p.run(p.store.getCompletedStages(sid)).value.has(TERMS)).toBe(true);
  });

  it('uia §2.6 POST: without g-recaptcha-response (or with an empty one) -> 400 M_UNKNOWN "No captcha response supplied", checked before add_oob_auth, so nothing is recorded', () => {
    const p = processFor(profile);
    const sid = startSession(p);
    // Before add_oob_auth: the store is never called (the untouchable store throws if it is).
    const blind = { ...p, ctx: { ...p.ctx, store: untouchable } };
    for (const form of [{}, { 'g-recaptcha-response': '' }]) {
      const driven = blind.run(handleFallback(blind.ctx, request('POST', fallbackPath(RECAPTCHA), form, `session=${sid}`), RECAPTCHA));
      expect(driven.value.status).toBe(400);
      expect(driven.value.body).toEqual({ errcode: 'M_UNKNOWN', error: 'No captcha response supplied' });
      expect(driven.commands).toEqual([]);
    }
    expect(p.run(p.store.getCompletedStages(sid)).value.size).toBe(0);
  });

  it('uia §2.6 POST: a missing session is 400 M_UNKNOWN "No session supplied" before anything else (even the captcha field check)', () => {
    const p = processFor(profile);
    expect(fallback(p, 'POST', RECAPTCHA, '', { 'g-recaptcha-response': 'a' }).body).toEqual({ errcode: 'M_UNKNOWN', error: 'No session supplied' });
    const noCaptcha = fallback(p, 'POST', RECAPTCHA, '', {});
    expect(noCaptcha.status).toBe(400);
    expect(noCaptcha.body).toEqual({ errcode: 'M_UNKNOWN', error: 'No session supplied' });
  });

  it('only GET and POST are served', () => {
    const p = processFor(profile);
    expect(fallback(p, 'PUT', RECAPTCHA, 'session=abc').status).toBe(405);
  });
});

describe('fallback POST for an unknown session', () => {
  it('uia §2.6, §4.1 test_complete_operation_unknown_session (1.13): the FK fails -> 400 M_UNKNOWN "Unknown session ID"', () => {
    const p = processFor('1.13');
    const sid = startSession(p);
    const unknown = `${sid}unknown`;
    const response = fallback(p, 'POST', RECAPTCHA, `session=${unknown}`, { 'g-recaptcha-response': 'a' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errcode: 'M_UNKNOWN', error: `Unknown session ID: ${unknown}` });
    // The real session is untouched.
    expect(p.run(p.store.getCompletedStages(sid)).value.size).toBe(0);
  });

  it('uia §2.2, #6705 (1.8): a throwaway session takes the stage and the page still says success for the unknown ID', () => {
    const issued: string[] = [];
    let n = 0;
    const p = processFor('1.8', {
      newSessionId: () => {
        const id = `throwaway${++n}`;
        issued.push(id);
        return id;
      },
    });
    const response = fallback(p, 'POST', RECAPTCHA, 'session=issuedbyanotherprocess', { 'g-recaptcha-response': 'a' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ page: 'success', stage: RECAPTCHA, session: 'issuedbyanotherprocess' });
    // The stage landed in a fresh session nobody will ever name; the given ID is still unknown.
    expect(issued).toEqual(['throwaway1']);
    expect([...p.run(p.store.getCompletedStages('throwaway1')).value.keys()]).toEqual([RECAPTCHA]);
    expect(p.run(p.store.getSession('issuedbyanotherprocess')).value).toBeUndefined();
    expect(p.run(p.store.getCompletedStages('issuedbyanotherprocess')).value.size).toBe(0);
  });

  it('uia §2.2 (1.8): a session this process knows takes the stage itself (no throwaway)', () => {
    const p = processFor('1.8');
    const sid = startSession(p);
    fallback(p, 'POST', TERMS, `session=${sid}`);
    expect([...p.run(p.store.getCompletedStages(sid)).value.keys()]).toEqual([TERMS]);
  });
});
