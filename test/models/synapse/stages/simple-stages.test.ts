// Dummy, terms and recaptcha (models/synapse/stages/; uia §1.5, §2.13).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, withConfig } from '../../../../models/synapse/config.js';
import { checkUiAuth } from '../../../../models/synapse/auth.js';
import { checkDummy } from '../../../../models/synapse/stages/dummy.js';
import { checkAuthDict, enabledCheckers, paramsFor } from '../../../../models/synapse/stages/index.js';
import { checkRecaptcha, CAPTCHA_FAILED } from '../../../../models/synapse/stages/recaptcha.js';
import { checkTerms, termsParams } from '../../../../models/synapse/stages/terms.js';
import type { Flow } from '../../../../models/matrix/protocol.js';
import { bodyOf, CLIENT_IP, register } from '../../helpers.js';
import { CAPTCHA_NODE, opsOf, stageProcess } from './harness.js';

const CAPTCHA_FLOW: readonly Flow[] = [{ stages: ['m.login.recaptcha', 'm.login.dummy'] }];

describe('dummy and terms (uia §1.5)', () => {
  it('always pass with result true, touching nothing', () => {
    const p = stageProcess('head');
    expect(p.run(checkDummy())).toMatchObject({ value: { ok: true, result: true }, commands: [] });
    expect(p.run(checkTerms())).toMatchObject({ value: { ok: true, result: true }, commands: [] });
  });

  it('uia §4.4 test_terms_auth: params carry policies.privacy_policy with version 1.0 and the en name and url', () => {
    expect(termsParams(DEFAULT_CONFIG)).toEqual({
      policies: { privacy_policy: { version: '1.0', en: { name: 'Privacy Policy', url: 'https://example.org/_matrix/consent?v=1.0' } } },
    });
  });

  it('uia §1.2: params name only the stages the flows use; recaptcha carries the public key', () => {
    expect(paramsFor(DEFAULT_CONFIG, [{ stages: ['m.login.dummy'] }])).toEqual({});
    expect(paramsFor(DEFAULT_CONFIG, CAPTCHA_FLOW)).toEqual({ 'm.login.recaptcha': { public_key: 'brokencake' } });
  });
});

describe('recaptcha (uia §1.5, §2.13)', () => {
  it('a missing response is LoginError 400 M_CAPTCHA_NEEDED, with no siteverify call', () => {
    const p = stageProcess('head');
    const run = p.run(checkRecaptcha(CAPTCHA_NODE, {}, CLIENT_IP));
    expect(run.value).toEqual({ ok: false, loginError: { status: 400, errcode: 'M_CAPTCHA_NEEDED', error: 'Captcha response is required' } });
    expect(run.commands).toEqual([]);
  });

  it('calls siteverify on the captcha node with the response and the client IP; success stores true', () => {
    const p = stageProcess('head');
    const run = p.run(checkRecaptcha(CAPTCHA_NODE, { response: 'a' }, CLIENT_IP));
    expect(run.value).toEqual({ ok: true, result: true });
    expect(run.commands).toEqual([{ op: 'captcha.siteverify', response: 'a', remoteIp: CLIENT_IP }]);
    expect(p.captcha.attempts).toEqual(['a']);
  });

  it('a failing siteverify is LoginError 401 M_UNAUTHORIZED "Captcha authentication failed"', () => {
    const p = stageProcess('head', { captcha: { windows: [{ fromMs: 0, untilMs: 1000, mode: 'failing' }] } });
    expect(p.run(checkRecaptcha(CAPTCHA_NODE, { response: 'a' }, CLIENT_IP)).value).toEqual({ ok: false, loginError: { status: 401, errcode: 'M_UNAUTHORIZED', error: CAPTCHA_FAILED } });
    // After the window it verifies again.
    p.clock.ms = 1000;
    expect(p.run(checkRecaptcha(CAPTCHA_NODE, { response: 'a' }, CLIENT_IP)).value).toEqual({ ok: true, result: true });
  });

  it('an unreachable captcha node (crashed, partitioned) is the same LoginError', () => {
    const p = stageProcess('head', { captchaDown: true });
    expect(p.run(checkRecaptcha(CAPTCHA_NODE, { response: 'a' }, CLIENT_IP)).value).toMatchObject({ ok: false, loginError: { errcode: 'M_UNAUTHORIZED' } });
  });

  it('a slow siteverify holds the request for its delay (a sleep, not CPU)', () => {
    const p = stageProcess('head', { captcha: { windows: [{ fromMs: 0, untilMs: 1000, mode: 'slow', delayMs: 7000 }] } });
    const run = p.run(checkRecaptcha(CAPTCHA_NODE, { response: 'a' }, CLIENT_IP));
    expect(run.value).toEqual({ ok: true, result: true });
    expect([run.sleptMs, run.cpuMs]).toEqual([7000, 0]);
  });

  it('uia §2.4 step 6, §2.13: through check_ui_auth a captcha failure is merged into the 401 with completed []', () => {
    const p = stageProcess('head', { captcha: { windows: [{ fromMs: 0, untilMs: 1e9, mode: 'failing' }] } });
    const body = { auth: { type: 'm.login.recaptcha', response: 'a' } };
    const outcome = p.run(checkUiAuth(p.ctx, CAPTCHA_FLOW, register(body), body, 'register a new account')).value;
    expect(outcome.kind).toBe('respond');
    if (outcome.kind !== 'respond') return;
    expect(outcome.response.status).toBe(401);
    expect(bodyOf(outcome.response)).toMatchObject({ errcode: 'M_UNAUTHORIZED', error: CAPTCHA_FAILED, completed: [] });
    expect(p.facts.filter((f) => f.name === 'stage-passed')).toEqual([]);
  });

  it('uia §1.5: recaptcha is a checker only when the private key is set; otherwise the login path refuses it (plain 400)', () => {
    const off = withConfig({ captcha: { privateKeySet: false } });
    const p = stageProcess('head', { config: off });
    expect(enabledCheckers(p.ctx).has('m.login.recaptcha')).toBe(false);
    expect(() => p.run(checkAuthDict(p.ctx, CAPTCHA_NODE, { type: 'm.login.recaptcha', response: 'a', user: 'x' }, CLIENT_IP))).toThrow('HTTP 400');
    expect(opsOf(p.run(checkAuthDict(stageProcess('head').ctx, CAPTCHA_NODE, { type: 'm.login.dummy' }, CLIENT_IP)).commands)).toEqual([]);
  });
});
