// The registration client (models/clients/registration-client.ts): what it sends for each action,
// how it reacts to responses (docs/architecture.md "Clients"), and what it records for the properties.
import { describe, expect, it } from 'vitest';
import { clientScript, TIMED_OUT, UNKNOWN_SESSION_DETAIL, type ClientStep } from '../../../models/clients/registration-client.js';
import type { ClientSpec } from '../../../models/clients/workload.js';
import { runCase, type RunResult } from '../../../models/world.js';
import { httpResponse, type HttpResponse } from '../../../src/http.js';
import { caseOf, client, direct, FALLBACK_RECAPTCHA, pause, responses, RESUBMIT, sent, START } from '../helpers.js';

const HOUR = 60 * 60 * 1000;
const RECAPTCHA = 'm.login.recaptcha';

function run(...args: Parameters<typeof caseOf>): RunResult {
  return runCase(caseOf(...args));
}

describe('RegistrationClient', () => {
  it('records each request it sends: actor, session, what, and the stage it completes', () => {
    const result = run('sql', [client([START, direct('m.login.terms'), { kind: 'fallback', stage: RECAPTCHA, loadsPage: true }, RESUBMIT])]);
    const s = sent(result);
    const sid = responses(result)[0]?.key ?? '';
    expect(s.map((o) => [o.actor, o.key, o.detail, o.tags])).toEqual([
      [0, '', 'POST /register', []],
      [0, sid, 'POST /register', ['m.login.terms']],
      [1, sid, `GET fallback ${RECAPTCHA}`, []],
      [1, sid, `POST fallback ${RECAPTCHA}`, [RECAPTCHA]],
      [0, sid, 'POST /register', []],
    ]);
    expect(s.every((o) => o.phase === 'sent' && o.status === 0 && o.servedBy === -1)).toBe(true);
  });

  it('records each response: status, the process, the session it names, errcode / page / user_id, and the stages it shows', () => {
    // DEFAULT_CONFIG's first registration flow is [recaptcha, terms, dummy] (uia §2.11).
    const result = run('sql', [client([START, direct(RECAPTCHA), FALLBACK_RECAPTCHA, direct('m.login.terms'), direct('m.login.dummy')])]);
    const r = responses(result);
    const sid = r[0]?.key ?? '';
    expect(sid).toMatch(/^[a-zA-Z]{24}$/);
    expect(r.map((o) => [o.status, o.served, o.key, o.detail, o.tags])).toEqual([
      [401, 'reader1', sid, '', []],
      [401, 'reader2', sid, '', [RECAPTCHA]],
      [200, 'main', sid, 'page:success', [RECAPTCHA]],
      [401, 'reader1', sid, '', [RECAPTCHA, 'm.login.terms']],
      [200, 'reader2', '', '@usera:test', []],
    ]);
  });

  it('each client has its own username (usera, userb, ...)', () => {
    const registers = client([START, direct(RECAPTCHA), direct('m.login.terms'), direct('m.login.dummy')]);
    const result = run('memory-1.8', [registers, registers, registers]);
    expect(
      responses(result)
        .filter((o) => o.status === 200)
        .map((o) => o.detail)
        .sort(),
    ).toEqual(['@usera:test', '@userb:test', '@userc:test']);
  });

  it('a direct recaptcha carries a response, so it passes', () => {
    const result = run('memory-1.8', [client([START, direct(RECAPTCHA)])]);
    expect(responses(result)[1]).toMatchObject({ status: 401, detail: '', tags: [RECAPTCHA] });
  });

  it('stops once registered: later actions are never sent', () => {
    const result = run('sql', [client([START, direct(RECAPTCHA), direct('m.login.terms'), direct('m.login.dummy'), direct('m.login.terms'), RESUBMIT])]);
    expect(sent(result)).toHaveLength(4);
    expect(responses(result).at(-1)?.status).toBe(200);
  });

  it('skips actions that need a session while it has none', () => {
    const result = run('sql', [client([RESUBMIT, direct('m.login.dummy'), FALLBACK_RECAPTCHA, START])]);
    expect(sent(result).map((o) => o.key)).toEqual(['']);
  });

  it('`start` starts over with a new session', () => {
    const result = run('sql', [client([START, direct('m.login.terms'), START, RESUBMIT])]);
    const r = responses(result);
    expect(sent(result).map((o) => o.key)).toEqual(['', r[0]?.key, '', r[2]?.key]);
    expect(r[2]?.key).not.toBe(r[0]?.key);
    expect(r[3]).toMatchObject({ key: r[2]?.key, tags: [] });
  });

  it('forgets a session the server calls unknown (uia §2.4 step 3: 400 M_UNKNOWN "Unknown session ID: <sid>") and needs a `start` to go on', () => {
    const result = run('sql', [client([START, direct(RECAPTCHA), pause(49 * HOUR), RESUBMIT, direct('m.login.dummy'), START, direct('m.login.dummy')])]);
    const s = sent(result);
    const r = responses(result);
    expect(r.map((o) => o.status)).toEqual([401, 401, 400, 401, 401]);
    expect(r[4]).toMatchObject({ key: r[3]?.key, tags: ['m.login.dummy'] });
    // The observation keeps the error message: `${errcode}: ${error}`.
    expect(r[2]?.detail).toBe(`M_UNKNOWN: Unknown session ID: ${r[0]?.key}`);
    expect(r[2]?.detail.startsWith(UNKNOWN_SESSION_DETAIL)).toBe(true);
    // The 400 is not retried; the dummy right after it had no session and was skipped.
    expect(s.map((o) => o.key)).toEqual(['', r[0]?.key, r[0]?.key, '', r[3]?.key]);
  });

  it('thinks thinkMs between two actions, and a pause action waits its time', () => {
    const result = run('sql', [client([START, pause(5000), direct('m.login.terms'), direct('m.login.dummy')], { thinkMs: 700 })]);
    const s = sent(result);
    const r = responses(result);
    // After a response: think, then (for the pause action) pause, then think again before the next request.
    expect((s[1]?.atMs ?? 0) - (r[0]?.atMs ?? 0)).toBe(700 + 5000 + 700);
    expect((s[2]?.atMs ?? 0) - (r[1]?.atMs ?? 0)).toBe(700);
  });

  it('retries a request whose response was lost, after its timeout and a 1 s backoff', () => {
    const c = caseOf('sql', [client([START, direct(RECAPTCHA), RESUBMIT], { retries: 1, requestTimeoutMs: 10_000 })]);
    const result = runCase({ ...c, faultPlan: { faults: [{ kind: 'drop', actor: 'app A', direction: 'response', nth: 2 }] } });
    const s = sent(result);
    const r = responses(result);
    expect(s).toHaveLength(4);
    expect(s[2]).toMatchObject({ key: s[1]?.key, tags: [RECAPTCHA] });
    expect((s[2]?.atMs ?? 0) - (s[1]?.atMs ?? 0)).toBe(11_000);
    // The lost response is never observed; the retry's is.
    expect(r.some((o) => o.msgId === s[1]?.msgId)).toBe(false);
    expect(r.find((o) => o.msgId === s[2]?.msgId)).toMatchObject({ status: 401, tags: [RECAPTCHA] });
  });

  it('gives up on a request after its retries and moves on', () => {
    const c = caseOf('sql', [client([START, direct(RECAPTCHA), RESUBMIT], { retries: 0, requestTimeoutMs: 10_000 })]);
    const result = runCase({ ...c, faultPlan: { faults: [{ kind: 'drop', actor: 'app A', direction: 'response', nth: 2 }] } });
    const s = sent(result);
    expect(s.map((o) => o.tags)).toEqual([[], [RECAPTCHA], []]);
    expect((s[2]?.atMs ?? 0) - (s[1]?.atMs ?? 0)).toBe(10_000);
    // The stage was recorded server-side although the client never saw it.
    expect(responses(result).at(-1)?.tags).toEqual([RECAPTCHA]);
  });

  it('never observes a response that arrives after it gave up', () => {
    const result = run('sql', [client([START, direct('m.login.dummy')], { requestTimeoutMs: 3 })]);
    expect(sent(result)).toHaveLength(1);
    expect(responses(result)).toHaveLength(0);
  });
});

/** Drives the client's script by hand: `answer` maps each HTTP step to the response fed back. */
function script(spec: ClientSpec, answer: (step: ClientStep & { kind: 'http' }, index: number) => HttpResponse): ClientStep[] {
  const steps: ClientStep[] = [];
  const gen = clientScript(spec, 'usera', '198.51.100.10');
  let input: HttpResponse = httpResponse(0, null);
  let requests = 0;
  for (let next = gen.next(input); next.done !== true; next = gen.next(input)) {
    steps.push(next.value);
    input = next.value.kind === 'http' ? answer(next.value, requests++) : TIMED_OUT;
    if (steps.length > 100) throw new Error('runaway script');
  }
  return steps;
}

const challenge = (session: string, completed?: string[]): HttpResponse => httpResponse(401, { session, flows: [], params: {}, ...(completed ? { completed } : {}) });
const http = (steps: ClientStep[]) => steps.flatMap((s) => (s.kind === 'http' ? [s] : []));

describe('clientScript (the behaviour alone, DESIGN "Clients")', () => {
  it('sends the parameters once, then auth dicts only (uia §1.3); a direct recaptcha carries a response', () => {
    const steps = http(script(client([START, direct(RECAPTCHA), direct('m.login.terms'), RESUBMIT]), () => challenge('X')));
    expect(steps.map((s) => s.request.body)).toEqual([
      { username: 'usera', password: 'correct horse' },
      { auth: { type: RECAPTCHA, session: 'X', response: 'a' } },
      { auth: { type: 'm.login.terms', session: 'X' } },
      { auth: { session: 'X' } },
    ]);
    expect(steps.every((s) => s.request.method === 'POST' && s.request.path === '/_matrix/client/r0/register' && s.request.query === '')).toBe(true);
    expect(steps.every((s) => s.via === 'app' && s.request.userAgent === 'nheko/0.7' && s.request.ip === '198.51.100.10')).toBe(true);
  });

  it('opens the fallback in a browser (another user agent, same IP): GET the page, POST the form (uia §1.4, §2.6)', () => {
    const steps = http(script(client([START, { kind: 'fallback', stage: RECAPTCHA, loadsPage: true }, { kind: 'fallback', stage: 'm.login.terms', loadsPage: false }]), () => challenge('a b')));
    expect(steps.slice(1).map((s) => [s.via, s.request.method, s.request.path, s.request.query, s.request.body, s.request.userAgent, s.request.ip])).toEqual([
      ['browser', 'GET', `/_matrix/client/r0/auth/${RECAPTCHA}/fallback/web`, 'session=a%20b', null, 'Mozilla/5.0', '198.51.100.10'],
      ['browser', 'POST', `/_matrix/client/r0/auth/${RECAPTCHA}/fallback/web`, 'session=a%20b', { 'g-recaptcha-response': 'a' }, 'Mozilla/5.0', '198.51.100.10'],
      ['browser', 'POST', '/_matrix/client/r0/auth/m.login.terms/fallback/web', 'session=a%20b', {}, 'Mozilla/5.0', '198.51.100.10'],
    ]);
  });

  it('adopts the session of its first 401; later 401s naming another session are adopted only when adoptsNewSession (nheko)', () => {
    const answers = [challenge('X'), challenge('Y', []), challenge('Y', [])];
    const keeps = http(script(client([START, RESUBMIT, RESUBMIT], { adoptsNewSession: false }), (_s, i) => answers[i] ?? challenge('Z')));
    expect(keeps.map((s) => s.session)).toEqual(['', 'X', 'X']);
    const adopts = http(script(client([START, RESUBMIT, RESUBMIT], { adoptsNewSession: true }), (_s, i) => answers[i] ?? challenge('Z')));
    expect(adopts.map((s) => s.session)).toEqual(['', 'X', 'Y']);
  });

  it('a fallback page never changes the app\'s session', () => {
    const steps = http(script(client([START, FALLBACK_RECAPTCHA, RESUBMIT]), (s, i) => (i === 1 ? httpResponse(200, { page: 'success', stage: RECAPTCHA, session: 'OTHER' }) : challenge(i === 0 ? 'X' : 'W'))));
    expect(steps.map((s) => s.session)).toEqual(['', 'X', 'X']);
  });

  it('retries timeouts and 5xx up to `retries` times with a 1 s backoff, never a 4xx', () => {
    const answers = [challenge('X'), TIMED_OUT, httpResponse(502, { error: 'Bad Gateway' }), challenge('X', [RECAPTCHA]), httpResponse(403, { errcode: 'M_UNKNOWN' })];
    const steps = script(client([START, direct(RECAPTCHA), RESUBMIT], { retries: 2 }), (_s, i) => answers[i] ?? challenge('X'));
    expect(steps.map((s) => (s.kind === 'pause' ? `pause ${s.ms}` : s.kind === 'spawn' ? 'spawn' : s.what + (s.tags.length ? ` ${s.tags.join()}` : '')))).toEqual([
      'POST /register',
      `POST /register ${RECAPTCHA}`,
      'pause 1000',
      `POST /register ${RECAPTCHA}`,
      'pause 1000',
      `POST /register ${RECAPTCHA}`,
      'POST /register',
    ]);
  });

  it('stops at a 200 and skips session-less actions after a 400 M_UNKNOWN "Unknown session ID" (uia §2.4 step 3) until a `start`', () => {
    const answers = [challenge('X'), httpResponse(400, { errcode: 'M_UNKNOWN', error: 'Unknown session ID: X' }), challenge('Y'), httpResponse(200, { user_id: '@usera:test' })];
    const steps = http(script(client([START, RESUBMIT, direct('m.login.dummy'), FALLBACK_RECAPTCHA, START, direct('m.login.dummy'), RESUBMIT]), (_s, i) => answers[i] ?? challenge('Z')));
    expect(steps.map((s) => [s.what, s.session])).toEqual([
      ['POST /register', ''],
      ['POST /register', 'X'],
      ['POST /register', ''],
      ['POST /register', 'Y'],
    ]);
  });

  it('keeps its session after a 400 M_UNKNOWN that is not "Unknown session ID" (e.g. uia §2.6 "No session supplied", uia §2.4 step 6 "Unknown login type")', () => {
    for (const error of ['No session supplied', 'Unknown login type m.login.bogus', 'No captcha response supplied']) {
      const answers = [challenge('X'), httpResponse(400, { errcode: 'M_UNKNOWN', error }), challenge('X', [])];
      const steps = http(script(client([START, RESUBMIT, direct('m.login.dummy'), RESUBMIT]), (_s, i) => answers[i] ?? challenge('X', ['m.login.dummy'])));
      expect(steps.map((s) => [s.what, s.session])).toEqual([
        ['POST /register', ''],
        ['POST /register', 'X'],
        ['POST /register', 'X'],
        ['POST /register', 'X'],
      ]);
    }
  });
});
