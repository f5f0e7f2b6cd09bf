// Stage checkers (models/synapse/checkers.ts; ref 1.5, 2.4 step 6).
import { describe, expect, it } from 'vitest';
import { checkStage, stageOf } from '../../../models/synapse/checkers.js';

describe('checkStage (ref 1.5)', () => {
  it('dummy and terms always pass with result true', () => {
    expect(checkStage('m.login.dummy', {})).toEqual({ ok: true, result: true });
    expect(checkStage('m.login.terms', { session: 's' })).toEqual({ ok: true, result: true });
  });

  it('recaptcha passes with any non-empty response (like test_auth.py\'s DummyRecaptchaChecker) and stores true', () => {
    expect(checkStage('m.login.recaptcha', { response: 'a' })).toEqual({ ok: true, result: true });
  });

  it('recaptcha without a response (or an empty one) is RecaptchaAuthChecker\'s LoginError(400, "Captcha response is required", M_CAPTCHA_NEEDED) (ref 1.2, 1.5)', () => {
    for (const auth of [{}, { response: '' }]) {
      const verdict = checkStage('m.login.recaptcha', auth);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect([verdict.status, verdict.errcode, verdict.error]).toEqual([400, 'M_CAPTCHA_NEEDED', 'Captcha response is required']);
    }
  });

  it('stageOf knows only the modelled stage types', () => {
    expect(stageOf('m.login.terms')).toBe('m.login.terms');
    expect(stageOf('m.login.password')).toBeUndefined();
    expect(stageOf(undefined)).toBeUndefined();
  });
});
