// RegisterRestServlet.on_POST (uia §2.10, §2.11), its UIA part, driven by hand against a database.
import { describe, expect, it } from 'vitest';
import { handleRegister, registrationFlows } from '../../../models/synapse/register.js';
import { withConfig } from '../../../models/synapse/config.js';
import type { ProfileName } from '../../../models/synapse/profile.js';
import { SynapseDatabase } from '../../../models/synapse/database.js';
import type { HttpResponse } from '../../../src/http.js';
import { bodyOf, interleave, ops, processFor, register, request, sessionOf, type Process } from '../helpers.js';
import { REGISTER_PATH } from '../../../models/matrix/protocol.js';

/** Registration with nothing but the base flow: `[[m.login.dummy]]` (uia §2.11). */
const PLAIN = withConfig({
  captcha: { enableRegistrationCaptcha: false },
  consent: { requireAtRegistration: false },
  email: { enabled: false },
  registration: { enableRegistrationToken3pidBypass: false },
});

function proc(profile: ProfileName, options: Parameters<typeof processFor>[1] = {}): Process {
  return processFor(profile, { config: PLAIN, ...options });
}

function post(p: Process, body: Record<string, unknown>, query = ''): HttpResponse {
  return p.run(handleRegister(p.ctx, register(body, query))).value;
}

describe.each<ProfileName>(['1.8', '1.13'])('/register under profile %s', (profile) => {
  it('uia §2.11, §4.2 test_register_single_worker: 401, then dummy + session -> 200 with user_id @<username>:test', () => {
    const p = proc(profile);
    const first = post(p, { username: 'user', password: 'pw' });
    expect(first.status).toBe(401);
    expect(bodyOf(first)['flows']).toEqual(registrationFlows(p.ctx));
    expect(registrationFlows(p.ctx)).toEqual([{ stages: ['m.login.dummy'] }]);
    const done = post(p, { auth: { type: 'm.login.dummy', session: sessionOf(first) } });
    expect(done.status).toBe(200);
    expect(bodyOf(done)['user_id']).toBe('@user:test');
    expect(bodyOf(done)['access_token']).toMatch(/^syt_/);
    expect(typeof bodyOf(done)['device_id']).toBe('string');
    expect(p.db.userCount).toBe(1);
  });

  it('uia §2.11 (end), §4.3 test_POST_user_valid: one request with `auth: {type: m.login.dummy}` and no session -> 200', () => {
    const p = proc(profile);
    const done = post(p, { username: 'oneshot', password: 'pw', auth: { type: 'm.login.dummy' } });
    expect(done.status).toBe(200);
    expect(bodyOf(done)['user_id']).toBe('@oneshot:test');
  });

  it('uia §2.11 step 3: the username is lower-cased', () => {
    const p = proc(profile);
    expect(bodyOf(post(p, { username: 'MixedCase', password: 'pw', auth: { type: 'm.login.dummy' } }))['user_id']).toBe('@mixedcase:test');
  });

  it('uia §2.11 step 7: without a username a localpart is generated', () => {
    const p = proc(profile);
    expect(bodyOf(post(p, { password: 'pw', auth: { type: 'm.login.dummy' } }))['user_id']).toBe('@1:test');
    expect(bodyOf(post(p, { password: 'pw', auth: { type: 'm.login.dummy' } }))['user_id']).toBe('@2:test');
  });

  it('uia §2.10, §4.1 test_fallback_captcha, SyTest "registration is idempotent": a repeated final request returns the same user_id', () => {
    const p = proc(profile);
    const sid = sessionOf(post(p, { username: 'user', password: 'pw' }));
    const done = post(p, { auth: { type: 'm.login.dummy', session: sid } });
    expect(done.status).toBe(200);
    const again = post(p, { auth: { session: sid } });
    expect(again.status).toBe(200);
    expect(bodyOf(again)['user_id']).toBe('@user:test');
    // The same final request with the username again is allowed too (assigned_user_id, uia §2.11 step 5).
    const withName = post(p, { username: 'user', password: 'pw', auth: { type: 'm.login.dummy', session: sid } });
    expect(withName.status).toBe(200);
    expect(bodyOf(withName)['user_id']).toBe('@user:test');
    expect(p.db.userCount).toBe(1);
    // A fresh login each time (uia §2.10: a new token).
    expect(bodyOf(again)['access_token']).not.toBe(bodyOf(done)['access_token']);
  });

  it('uia §2.10: idempotent for a generated localpart too (SyTest "without username specified")', () => {
    const p = proc(profile);
    const sid = sessionOf(post(p, { password: 'pw' }));
    const done = post(p, { auth: { type: 'm.login.dummy', session: sid } });
    const again = post(p, { auth: { type: 'm.login.dummy', session: sid } });
    expect(bodyOf(again)['user_id']).toBe(bodyOf(done)['user_id']);
    expect(p.db.userCount).toBe(1);
  });

  it('uia §1.2, §2.11 step 5: a username another session registered is 400 M_USER_IN_USE, checked before UIA', () => {
    const p = proc(profile);
    expect(post(p, { username: 'taken', password: 'pw', auth: { type: 'm.login.dummy' } }).status).toBe(200);
    const driven = p.run(handleRegister(p.ctx, register({ username: 'Taken', password: 'pw' })));
    expect(driven.value.status).toBe(400);
    expect(driven.value.body).toEqual({ errcode: 'M_USER_IN_USE', error: 'User ID already taken.' });
    // No UIA ran: no session was created for it.
    expect(ops(driven.commands)).toEqual(['users.exists']);
  });

  it('uia §2.11 step 7: a username taken by another session between the first request and the last is M_USER_IN_USE at the end', () => {
    const p = proc(profile);
    const sid = sessionOf(post(p, { username: 'race', password: 'pw' }));
    expect(post(p, { username: 'race', password: 'pw', auth: { type: 'm.login.dummy' } }).status).toBe(200);
    const last = post(p, { auth: { type: 'm.login.dummy', session: sid } });
    expect(last.status).toBe(400);
    expect(bodyOf(last)['errcode']).toBe('M_USER_IN_USE');
  });

  it('SyTest "registration remembers parameters": the stored clientdict supplies the username when later requests send only auth', () => {
    const p = proc(profile);
    const sid = sessionOf(post(p, { username: 'remembered', password: 'pw', device_id: 'xyzzy' }));
    const mid = post(p, { auth: { type: 'm.login.terms', session: sid } });
    expect(mid.status).toBe(401);
    expect(bodyOf(mid)['completed']).toEqual(['m.login.terms']);
    const done = post(p, { auth: { type: 'm.login.dummy', session: sid } });
    expect(done.status).toBe(200);
    expect(bodyOf(done)['user_id']).toBe('@remembered:test');
  });

  it('uia §2.4 step 3 / §2.2 step 2: a later body replaces the remembered parameters', () => {
    const p = proc(profile);
    const sid = sessionOf(post(p, { username: 'first', password: 'pw' }));
    post(p, { username: 'second', password: 'pw', auth: { session: sid } });
    expect(bodyOf(post(p, { auth: { type: 'm.login.dummy', session: sid } }))['user_id']).toBe('@second:test');
  });

  it('only POST is served', () => {
    const p = proc(profile);
    expect(p.run(handleRegister(p.ctx, request('GET', REGISTER_PATH, null))).value.status).toBe(405);
  });
});

describe('/register, profile differences', () => {
  it('uia §2.4 step 3 (1.13): an unknown session is 400 M_UNKNOWN, not a new registration', () => {
    const p = proc('1.13');
    const response = post(p, { auth: { type: 'm.login.dummy', session: 'unknownunknownunknownabc' } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ errcode: 'M_UNKNOWN', error: 'Unknown session ID: unknownunknownunknownabc' });
    expect(p.db.userCount).toBe(0);
  });

  it('uia §2.2 (1.8): an unknown session with a dummy stage registers in a fresh session, with no remembered username', () => {
    const p = proc('1.8');
    const response = post(p, { password: 'pw', auth: { type: 'm.login.dummy', session: 'unknownunknownunknownabc' } });
    expect(response.status).toBe(200);
    expect(bodyOf(response)['user_id']).toBe('@1:test');
  });

  it('uia §2.9 (1.13): the final request with a query string added is 403 (#7722)', () => {
    const p = proc('1.13');
    const sid = sessionOf(post(p, { username: 'q', password: 'pw' }));
    const response = post(p, { auth: { type: 'm.login.dummy', session: sid } }, 'kind=user');
    expect(response.status).toBe(403);
    expect(p.db.userCount).toBe(0);
  });

  it('uia §2.2, §2.3 #7302: 1.13 sessions live in the shared database, so another process finishes them (test_register_multi_worker)', () => {
    const db = new SynapseDatabase();
    const reader1 = proc('1.13', { db, label: 'reader1#1' });
    const reader2 = proc('1.13', { db, label: 'reader2#1' });
    const sid = sessionOf(post(reader1, { username: 'user', password: 'pw' }));
    const done = post(reader2, { auth: { type: 'm.login.dummy', session: sid } });
    expect(done.status).toBe(200);
    expect(bodyOf(done)['user_id']).toBe('@user:test');
  });

  it('uia §2.2 (1.8): sessions live in each process\'s memory, so another process sees an unknown session and starts over', () => {
    const db = new SynapseDatabase();
    const reader1 = proc('1.8', { db, label: 'reader1#1' });
    const reader2 = proc('1.8', { db, label: 'reader2#1' });
    const sid = sessionOf(post(reader1, { username: 'user', password: 'pw' }));
    const other = post(reader2, { auth: { type: 'm.login.terms', session: sid } });
    expect(other.status).toBe(401);
    expect(sessionOf(other)).not.toBe(sid);
    expect(bodyOf(other)['completed']).toEqual(['m.login.terms']);
  });

  it('uia §2.10, #5450 (1.13): two concurrent final requests in one session race; one gets M_USER_IN_USE', () => {
    const p = proc('1.13');
    const sid = sessionOf(post(p, { username: 'racer', password: 'pw' }));
    const final = { auth: { type: 'm.login.dummy', session: sid } };
    const { a, b } = interleave(handleRegister(p.ctx, register(final)), handleRegister(p.ctx, register(final)), p.db);
    // Both read registered_user_id before either wrote it (uia §2.10: "the read and the write are far apart").
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const loser = a.status === 400 ? a : b;
    expect(bodyOf(loser)['errcode']).toBe('M_USER_IN_USE');
    expect(p.db.userCount).toBe(1);
  });
});
