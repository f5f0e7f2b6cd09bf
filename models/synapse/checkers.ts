import type { AuthDict, StageType } from '../matrix/protocol.js';
import { isStageType } from '../matrix/protocol.js';

/** A checker's verdict: a truthy result to store, or a LoginError to merge into the 401
 * (ref 1.2, 2.4 step 6). */
export type CheckResult =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly status: number; readonly errcode: string; readonly error: string };

/**
 * ref 1.5: dummy and terms always pass; recaptcha needs a `response` (the real checker calls
 * siteverify; here, like Synapse's own DummyRecaptchaChecker in tests/rest/client/test_auth.py,
 * any non-empty response passes). Unknown types are not UIA stages.
 */
export function checkStage(stage: StageType, auth: AuthDict): CheckResult {
  switch (stage) {
    case 'm.login.dummy':
    case 'm.login.terms':
      return { ok: true, result: true };
    case 'm.login.recaptcha':
      return typeof auth.response === 'string' && auth.response !== ''
        ? { ok: true, result: true }
        : // RecaptchaAuthChecker: LoginError(400, "Captcha response is required", M_CAPTCHA_NEEDED),
          // merged into the 401 (ref 1.2).
          { ok: false, status: 400, errcode: 'M_CAPTCHA_NEEDED', error: 'Captcha response is required' };
    default: {
      const unreachable: never = stage;
      throw new Error(`checker: unknown stage ${String(unreachable)}`);
    }
  }
}

export function stageOf(type: string | undefined): StageType | undefined {
  return isStageType(type) ? type : undefined;
}
