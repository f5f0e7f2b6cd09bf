// m.login.password through the login path (models/synapse/stages/password.ts; uia §1.5, §2.4 step 6,
// §2.13, §4.1 test_grandfathered_identifier).
import { describe, expect, it } from 'vitest';
import type { AuthDict, Flow } from '../../../../models/matrix/protocol.js';
import { checkUiAuth } from '../../../../models/synapse/auth.js';
import { PASSWORD_HASH_CPU_MS, seedAccount } from '../../../../models/synapse/accounts.js';
import { withConfig } from '../../../../models/synapse/config.js';
import { checkAuthDict } from '../../../../models/synapse/stages/index.js';
import { INVALID_PASSWORD, msisdnOf } from '../../../../models/synapse/stages/password.js';
import { bodyOf, CLIENT_IP, request } from '../../helpers.js';
import { CAPTCHA_NODE, stageProcess, type StageProcess } from './harness.js';

const ALICE = '@alice:test';
const PASSWORD_FLOW: readonly Flow[] = [{ stages: ['m.login.password'] }];

function withAlice(profile: 'head' | '1.13' = 'head', config = withConfig({})): StageProcess {
  const p = stageProcess(profile, { config });
  seedAccount(p.db, { userId: ALICE, password: 'correct horse', devices: ['DEV1'], accessToken: 'syt_alice', threepids: [{ medium: 'email', address: 'alice@example.org' }, { medium: 'msisdn', address: '447700900123' }] });
  return p;
}

function check(p: StageProcess, auth: AuthDict) {
  return p.run(checkAuthDict(p.ctx, CAPTCHA_NODE, { type: 'm.login.password', ...auth }, CLIENT_IP));
}

describe('m.login.password (uia §1.5)', () => {
  it.each<[string, AuthDict]>([
    ['m.id.user with a localpart', { identifier: { type: 'm.id.user', user: 'alice' } }],
    ['m.id.user with a full user ID', { identifier: { type: 'm.id.user', user: ALICE } }],
    ['the legacy top-level user (test_grandfathered_identifier)', { user: 'alice' }],
    ['m.id.thirdparty email, canonicalised', { identifier: { type: 'm.id.thirdparty', medium: 'email', address: 'Alice@Example.org' } }],
    ['m.id.phone, as an msisdn', { identifier: { type: 'm.id.phone', country: 'GB', phone: '07700 900123' } }],
  ])('%s: the result is the canonical user ID, after one bcrypt check on the CPU', (_name, auth) => {
    const p = withAlice();
    const run = check(p, { ...auth, password: 'correct horse' });
    expect(run.value).toEqual({ ok: true, result: ALICE });
    expect(run.cpuMs).toBe(PASSWORD_HASH_CPU_MS);
  });

  it('uia §2.13: a wrong password is LoginError 403 M_FORBIDDEN "Invalid username or password" (HEAD wording)', () => {
    const p = withAlice();
    const run = check(p, { identifier: { type: 'm.id.user', user: 'alice' }, password: 'wrong' });
    expect(run.value).toEqual({ ok: false, loginError: { status: 403, errcode: 'M_FORBIDDEN', error: INVALID_PASSWORD } });
    expect(run.cpuMs).toBe(PASSWORD_HASH_CPU_MS);
  });

  it('an unknown user or 3PID is the same LoginError, with no hash check', () => {
    const p = withAlice();
    for (const auth of [{ user: 'bob' }, { identifier: { type: 'm.id.thirdparty', medium: 'email', address: 'nobody@example.org' } }]) {
      const run = check(p, { ...auth, password: 'correct horse' });
      expect(run.value).toMatchObject({ ok: false, loginError: { errcode: 'M_FORBIDDEN', error: INVALID_PASSWORD } });
      expect(run.cpuMs).toBe(0);
    }
  });

  it.each<[string, AuthDict, number, string, string]>([
    ['no identifier', { password: 'x' }, 400, 'M_UNKNOWN', "Missing param 'identifier'"],
    ['an identifier without type', { identifier: { user: 'alice' }, password: 'x' }, 400, 'M_MISSING_PARAM', "'identifier' dict has no key 'type'"],
    ['an unknown identifier type', { identifier: { type: 'm.id.other' }, password: 'x' }, 400, 'M_UNKNOWN', 'Unknown login identifier type'],
    ['a password that is no string', { user: 'alice', password: 3 }, 400, 'M_INVALID_PARAM', 'Bad parameter: password'],
    ['a phone identifier without a country', { identifier: { type: 'm.id.phone', phone: '1' }, password: 'x' }, 400, 'M_MISSING_PARAM', 'Invalid phone-type identifier'],
  ])('%s: a plain SynapseError, not a 401 (uia §1.2)', (_name, auth, status, errcode, error) => {
    const p = withAlice();
    const body = { auth: { type: 'm.login.password', ...auth } };
    const outcome = p.run(checkUiAuth(p.ctx, PASSWORD_FLOW, request('POST', '/_matrix/client/r0/delete_devices', body), body, 'remove device(s) from your account')).value;
    expect(outcome.kind).toBe('respond');
    if (outcome.kind === 'respond') expect([outcome.response.status, outcome.response.body]).toEqual([status, { errcode, error }]);
  });

  it('uia §2.4 step 6, §4.5 Complement device deletion: through check_ui_auth a wrong password is a 401 with flows, session, completed [] and M_FORBIDDEN', () => {
    const p = withAlice();
    const body = { auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'wrong' } };
    const outcome = p.run(checkUiAuth(p.ctx, PASSWORD_FLOW, request('POST', '/_matrix/client/r0/delete_devices', body), body, 'remove device(s) from your account')).value;
    if (outcome.kind !== 'respond') throw new Error('expected a 401');
    expect(outcome.response.status).toBe(401);
    expect(bodyOf(outcome.response)).toMatchObject({ flows: PASSWORD_FLOW, completed: [], errcode: 'M_FORBIDDEN', error: INVALID_PASSWORD });
    expect(typeof bodyOf(outcome.response)['session']).toBe('string');
  });

  it('the right password completes the flow with the user ID as the stage result, and a stage-passed fact', () => {
    const p = withAlice();
    const body = { auth: { type: 'm.login.password', user: 'alice', password: 'correct horse' } };
    const outcome = p.run(checkUiAuth(p.ctx, PASSWORD_FLOW, request('POST', '/_matrix/client/r0/delete_devices', body), body, 'd')).value;
    expect(outcome.kind).toBe('complete');
    if (outcome.kind === 'complete') expect(outcome.creds.get('m.login.password')).toBe(ALICE);
    expect(p.facts.find((f) => f.name === 'stage-passed')).toMatchObject({ detail: 'm.login.password', tags: [ALICE] });
  });

  it('a deactivated account (no hash) is 403 M_USER_DEACTIVATED', () => {
    const p = withAlice();
    p.db.execute({ op: 'accounts.deactivate', userId: ALICE }, 0);
    expect(() => check(p, { user: 'alice', password: 'correct horse' })).toThrow('HTTP 403');
  });

  it('uia §4.1 test_ui_auth_with_passwords_for_reauth_only: `enabled: only_for_reauth` still allows UIA; `enabled: false` is 400', () => {
    expect(check(withAlice('head', withConfig({ passwordConfig: { enabled: 'only_for_reauth' } })), { user: 'alice', password: 'correct horse' }).value).toEqual({ ok: true, result: ALICE });
    expect(() => check(withAlice('head', withConfig({ passwordConfig: { enabled: false } })), { user: 'alice', password: 'correct horse' })).toThrow('HTTP 400');
  });

  it('uia §2.3 #8848: before v1.24 UIA took only the legacy `user` (1.13 profile); an identifier dict alone is 400 M_MISSING_PARAM', () => {
    const p = withAlice('1.13');
    expect(() => check(p, { identifier: { type: 'm.id.user', user: 'alice' }, password: 'correct horse' })).toThrow('HTTP 400');
    expect(check(p, { user: 'alice', password: 'correct horse' }).value).toEqual({ ok: true, result: ALICE });
  });

  it('msisdnOf: E.164 digits without +, national leading zero dropped', () => {
    expect(msisdnOf({ country: 'gb', phone: '07700-900123' })).toBe('447700900123');
    expect(msisdnOf({ country: 'US', phone: '(202) 555-0100' })).toBe('12025550100');
  });
});
