// m.login.registration_token (models/synapse/stages/registration-token.ts; uia §2.8, §2.10, §2.11,
// §4.3's test_POST_registration_token_* tests).
import { describe, expect, it } from 'vitest';
import { withConfig } from '../../../../models/synapse/config.js';
import { handleRegister, registrationFlows } from '../../../../models/synapse/register.js';
import type { RegistrationTokenRow } from '../../../../models/stores/registration-tokens-table.js';
import { seedRegistrationTokens } from '../../../../models/synapse/stages/registration-token.js';
import type { HttpResponse } from '../../../../src/http.js';
import { bodyOf, register, sessionOf } from '../../helpers.js';
import { stageProcess, type StageProcess } from './harness.js';

const TOKEN = 'm.login.registration_token';
const DUMMY = 'm.login.dummy';
const HOUR = 60 * 60 * 1000;

/** `registration_requires_token: true` and nothing else: flows [[token, dummy]]. */
function tokenProcess(usesAllowed: number | null = null, expiryTimeMs: number | null = null): StageProcess {
  const config = withConfig({
    captcha: { enableRegistrationCaptcha: false },
    consent: { requireAtRegistration: false },
    email: { enabled: false },
    registration: { registrationRequiresToken: true, enableRegistrationToken3pidBypass: false, registrationTokens: [{ token: 'abcd', usesAllowed, expiryTimeMs }] },
  });
  const p = stageProcess('head', { config });
  seedRegistrationTokens(p.db, config);
  return p;
}

function post(p: StageProcess, body: Record<string, unknown>): HttpResponse {
  return p.run(handleRegister(p.ctx, register(body))).value;
}

function row(p: StageProcess, token = 'abcd'): RegistrationTokenRow | undefined {
  return p.db.execute({ op: 'tokens.get', token }, 0) as RegistrationTokenRow | undefined;
}

function start(p: StageProcess, username = 'kermit'): string {
  return sessionOf(post(p, { username, password: 'monkey' }));
}

describe('registration tokens (uia §2.10, §4.3)', () => {
  it('test_POST_registration_requires_token: flows exactly [[token, dummy]]; token -> 401 completed [token]; dummy -> 200; completed 1, pending 0', () => {
    const p = tokenProcess();
    const first = post(p, { username: 'kermit', password: 'monkey' });
    expect(bodyOf(first)['flows']).toEqual([{ stages: [TOKEN, DUMMY] }]);
    expect(registrationFlows(p.ctx)).toEqual([{ stages: [TOKEN, DUMMY] }]);
    const sid = sessionOf(first);
    const mid = post(p, { auth: { type: TOKEN, token: 'abcd', session: sid } });
    expect(mid.status).toBe(401);
    expect(bodyOf(mid)['completed']).toEqual([TOKEN]);
    expect(row(p)).toMatchObject({ pending: 1, completed: 0 });
    const done = post(p, { auth: { type: DUMMY, session: sid } });
    expect(done.status).toBe(200);
    expect(row(p)).toMatchObject({ pending: 0, completed: 1 });
    // The credential result is now true (uia §2.10), so the sweep will not give the use back.
    expect(p.run(p.store.getCompletedStages(sid)).value.get(TOKEN)).toBe(true);
    expect(p.facts.filter((f) => f.name === 'stage-passed').map((f) => [f.detail, f.tags])).toEqual([
      [TOKEN, ['abcd']],
      [DUMMY, ['true']],
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['missing', {}, 'M_MISSING_PARAM'],
    ['not a string', { token: 1234 }, 'M_INVALID_PARAM'],
    ['unknown', { token: 'unknown' }, 'M_UNAUTHORIZED'],
  ])('test_POST_registration_token_invalid: a %s token -> 401 %s, completed []', (_name, extra, errcode) => {
    const p = tokenProcess();
    const sid = start(p);
    const response = post(p, { auth: { type: TOKEN, session: sid, ...extra } });
    expect(response.status).toBe(401);
    expect(bodyOf(response)).toMatchObject({ errcode, completed: [], session: sid });
    expect(row(p)).toMatchObject({ pending: 0 });
  });

  it('test_POST_registration_token_limit_uses: the same token twice in a session counts once; another session is refused; finishing releases nothing', () => {
    const p = tokenProcess(1);
    const s1 = start(p, 'kermit1');
    post(p, { auth: { type: TOKEN, token: 'abcd', session: s1 } });
    post(p, { auth: { type: TOKEN, token: 'abcd', session: s1 } });
    expect(row(p)).toMatchObject({ pending: 1, completed: 0 });
    const s2 = start(p, 'kermit2');
    const refused = post(p, { auth: { type: TOKEN, token: 'abcd', session: s2 } });
    expect(bodyOf(refused)['errcode']).toBe('M_UNAUTHORIZED');
    expect(post(p, { auth: { type: DUMMY, session: s1 } }).status).toBe(200);
    expect(row(p)).toMatchObject({ pending: 0, completed: 1 });
    expect(bodyOf(post(p, { auth: { type: TOKEN, token: 'abcd', session: s2 } }))['errcode']).toBe('M_UNAUTHORIZED');
  });

  it('uia §2.10: a different token in the same session -> 401 M_INVALID_PARAM "Registration token has changed" (the LoginError merged in)', () => {
    const p = tokenProcess();
    p.db.execute({ op: 'tokens.create', token: 'other', usesAllowed: null, expiryTimeMs: null }, 0);
    const sid = start(p);
    post(p, { auth: { type: TOKEN, token: 'abcd', session: sid } });
    const changed = post(p, { auth: { type: TOKEN, token: 'other', session: sid } });
    expect(changed.status).toBe(401);
    expect(bodyOf(changed)).toMatchObject({ errcode: 'M_INVALID_PARAM', error: 'Registration token has changed', completed: [TOKEN] });
    expect(row(p, 'other')).toMatchObject({ pending: 0 });
  });

  it('test_POST_registration_token_expiry: an expired token -> 401 M_UNAUTHORIZED; after extending the expiry it completes', () => {
    const p = tokenProcess(null, 1000);
    p.clock.ms = 2000;
    const sid = start(p);
    expect(bodyOf(post(p, { auth: { type: TOKEN, token: 'abcd', session: sid } }))['errcode']).toBe('M_UNAUTHORIZED');
    p.db.execute({ op: 'tokens.update', token: 'abcd', expiryTimeMs: 10_000 }, 0);
    expect(bodyOf(post(p, { auth: { type: TOKEN, token: 'abcd', session: sid } }))['completed']).toEqual([TOKEN]);
  });

  it('test_POST_registration_token_session_expiry (uia §2.8): the sweep gives back the pending use of an unfinished session only', () => {
    const p = tokenProcess();
    const done = start(p, 'finished');
    post(p, { auth: { type: TOKEN, token: 'abcd', session: done } });
    post(p, { auth: { type: DUMMY, session: done } });
    const open = start(p, 'unfinished');
    post(p, { auth: { type: TOKEN, token: 'abcd', session: open } });
    expect(p.run(p.store.getCompletedStages(done)).value.get(TOKEN)).toBe(true);
    expect(p.run(p.store.getCompletedStages(open)).value.get(TOKEN)).toBe('abcd');
    expect(row(p)).toMatchObject({ pending: 1, completed: 1 });
    p.clock.ms = 48 * HOUR;
    expect(p.run(p.store.deleteOldSessions(p.clock.ms)).value).toBe(2);
    expect(row(p)).toMatchObject({ pending: 0, completed: 1 });
  });

  it('test_POST_registration_token_session_expiry_deleted_token: expiring a session whose token row was deleted does not fail', () => {
    const p = tokenProcess();
    const sid = start(p);
    post(p, { auth: { type: TOKEN, token: 'abcd', session: sid } });
    p.db.execute({ op: 'tokens.delete', token: 'abcd' }, 0);
    expect(p.run(p.store.deleteOldSessions(p.clock.ms)).value).toBe(1);
    expect(row(p)).toBeUndefined();
  });

  it('uia §2.10 [code-reading]: check-then-set is not atomic, so two interleaved submits of one session count twice', () => {
    const p = tokenProcess();
    const sid = start(p);
    const a = handleRegister(p.ctx, register({ auth: { type: TOKEN, token: 'abcd', session: sid } }));
    const b = handleRegister(p.ctx, register({ auth: { type: TOKEN, token: 'abcd', session: sid } }));
    // Interleave one database round trip at a time.
    let inA: unknown;
    let inB: unknown;
    let doneA = false;
    let doneB = false;
    while (!doneA || !doneB) {
      if (!doneA) {
        const s = a.next(inA);
        if (s.done === true) doneA = true;
        else inA = s.value.kind === 'call' ? p.db.execute(s.value.command, 0) : undefined;
      }
      if (!doneB) {
        const s = b.next(inB);
        if (s.done === true) doneB = true;
        else inB = s.value.kind === 'call' ? p.db.execute(s.value.command, 0) : undefined;
      }
    }
    expect(row(p)).toMatchObject({ pending: 2 });
  });

  it('uia §2.3 (v1.42): before registration tokens existed (1.13) the stage is no checker and no flow', () => {
    const config = withConfig({ registration: { registrationRequiresToken: true } });
    const p = stageProcess('1.13', { config });
    expect(registrationFlows(p.ctx).some((f) => f.stages.includes(TOKEN))).toBe(false);
  });
});
