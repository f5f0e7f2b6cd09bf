// `_calculate_registration_flows` (models/synapse/registration-flows.ts; uia §2.11, §4.3
// test_advertised_flows*) and where the registration password waits (uia §2.3, §2.10).
import { describe, expect, it } from 'vitest';
import { PASSWORD_HASH_CPU_MS } from '../../../models/synapse/accounts.js';
import { DEFAULT_CONFIG, withConfig, type SynapseConfig } from '../../../models/synapse/config.js';
import type { ProfileName } from '../../../models/synapse/profile.js';
import { handleRegister, registrationFlows } from '../../../models/synapse/register.js';
import { bodyOf, register, sessionOf } from '../helpers.js';
import { stageProcess } from './stages/harness.js';

const D = 'm.login.dummy';
const E = 'm.login.email.identity';
const R = 'm.login.recaptcha';
const T = 'm.login.terms';
const K = 'm.login.registration_token';

function flows(config: SynapseConfig, profile: ProfileName = 'head'): string[][] {
  return registrationFlows(stageProcess(profile, { config }).ctx).map((f) => [...f.stages]);
}

const BARE = withConfig({ captcha: { enableRegistrationCaptcha: false }, consent: { requireAtRegistration: false }, email: { enabled: false }, registration: { enableRegistrationToken3pidBypass: false } });

describe('registration flows (uia §2.11)', () => {
  it('nothing configured: [[dummy]]', () => {
    expect(flows(BARE)).toEqual([[D]]);
  });

  it('test_advertised_flows: email verifiable -> [[dummy], [email]]', () => {
    expect(flows(withConfig({ email: { enabled: true } }, BARE))).toEqual([[D], [E]]);
  });

  it('test_advertised_flows_captcha_and_terms_and_3pids: every flow gets recaptcha then terms in front', () => {
    const config = withConfig({ email: { enabled: true }, captcha: { enableRegistrationCaptcha: true }, consent: { requireAtRegistration: true } }, BARE);
    expect(flows(config)).toEqual([
      [R, T, D],
      [R, T, E],
    ]);
  });

  it('registrations_require_3pid email: no 3PID-less [dummy] flow', () => {
    expect(flows(withConfig({ email: { enabled: true }, registration: { registrationsRequire3pid: ['email'] } }, BARE))).toEqual([[E]]);
  });

  it('the 3PID bypass adds [token]; requiring a token prefixes every flow that lacks it, in front of recaptcha and terms', () => {
    const config = withConfig(
      { email: { enabled: true }, captcha: { enableRegistrationCaptcha: true }, consent: { requireAtRegistration: true }, registration: { enableRegistrationToken3pidBypass: true, registrationRequiresToken: true } },
      BARE,
    );
    expect(flows(config)).toEqual([
      [K, R, T, D],
      [K, R, T, E],
      [R, T, K],
    ]);
  });

  it('DEFAULT_CONFIG (every stage reachable): [[recaptcha, terms, dummy], [recaptcha, terms, email], [recaptcha, terms, token]]', () => {
    expect(flows(DEFAULT_CONFIG)).toEqual([
      [R, T, D],
      [R, T, E],
      [R, T, K],
    ]);
  });

  it('a version without registration tokens (1.8) offers no token flow', () => {
    expect(flows(DEFAULT_CONFIG, '1.8')).toEqual([
      [R, T, D],
      [R, T, E],
    ]);
  });

  it('memoised per config: the same array each time (params are cached by flows identity)', () => {
    const p = stageProcess('head');
    expect(registrationFlows(p.ctx)).toBe(registrationFlows(p.ctx));
  });
});

describe('where the registration password waits (uia §2.3 #7523 #8009, §2.10)', () => {
  it('head: the hash goes to the serverdict on the first 401, once; the final request without a password uses it', () => {
    const p = stageProcess('head', { config: BARE });
    const first = p.run(handleRegister(p.ctx, register({ username: 'u', password: 'pw' })));
    expect(first.cpuMs).toBe(PASSWORD_HASH_CPU_MS);
    const sid = sessionOf(first.value);
    expect(p.run(p.store.getSessionData(sid, 'password_hash')).value).toMatch(/^\$2b\$12\$/);
    expect('password' in (p.run(p.store.getSession(sid)).value?.clientdict ?? {})).toBe(false);
    // A second 401 with the password again does not hash again (a hash is stored).
    expect(p.run(handleRegister(p.ctx, register({ username: 'u', password: 'pw', auth: { session: sid } }))).cpuMs).toBe(0);
    const done = p.run(handleRegister(p.ctx, register({ auth: { type: D, session: sid } })));
    expect([done.value.status, done.cpuMs]).toEqual([200, 0]);
  });

  it('1.13 (rc3 to 1.18): every request with a password hashes it into the body, so the clientdict persists the hash', () => {
    const p = stageProcess('1.13', { config: BARE });
    const first = p.run(handleRegister(p.ctx, register({ username: 'u', password: 'pw' })));
    expect(first.cpuMs).toBe(PASSWORD_HASH_CPU_MS);
    const clientdict = p.run(p.store.getSession(sessionOf(first.value))).value?.clientdict ?? {};
    expect(clientdict['password_hash']).toMatch(/^\$2b\$12\$/);
    expect('password' in clientdict).toBe(false);
  });

  it('1.8: the plaintext password sits in the (memory) clientdict; it is hashed once, at registration', () => {
    const p = stageProcess('1.8', { config: BARE });
    const first = p.run(handleRegister(p.ctx, register({ username: 'u', password: 'pw' })));
    expect(first.cpuMs).toBe(0);
    const sid = sessionOf(first.value);
    expect(p.run(p.store.getSession(sid)).value?.clientdict['password']).toBe('pw');
    const done = p.run(handleRegister(p.ctx, register({ auth: { type: D, session: sid } })));
    expect([done.value.status, done.cpuMs]).toEqual([200, PASSWORD_HASH_CPU_MS]);
  });

  it('uia §2.11: no password anywhere -> 400 M_MISSING_PARAM "Missing params: password" once UIA completes', () => {
    const p = stageProcess('head', { config: BARE });
    const response = p.run(handleRegister(p.ctx, register({ username: 'u', auth: { type: D } }))).value;
    expect([response.status, response.body]).toEqual([400, { errcode: 'M_MISSING_PARAM', error: 'Missing params: password' }]);
  });

  it('SyTest "registration remembers parameters": device_id from the first request is the device of the final answer', () => {
    const p = stageProcess('head', { config: BARE });
    const sid = sessionOf(p.run(handleRegister(p.ctx, register({ username: 'u', password: 'pw', device_id: 'xyzzy' }))).value);
    expect(bodyOf(p.run(handleRegister(p.ctx, register({ auth: { type: D, session: sid } }))).value)['device_id']).toBe('xyzzy');
  });
});
