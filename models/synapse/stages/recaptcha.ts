import { isBackendUnavailable, sleep, type Task, call } from '../../../src/effects.js';
import type { AuthDict } from '../../matrix/protocol.js';
import { HEALTHY_CAPTCHA, siteverify, type SiteverifyCommand, type SiteverifyReply } from '../captcha-service.js';
import type { SynapseConfig } from '../config.js';
import { loginError, passed, type StageVerdict } from './types.js';

/** `RecaptchaAuthChecker`'s LoginError when siteverify does not say `success` (uia §2.13). */
export const CAPTCHA_FAILED = 'Captcha authentication failed';

/**
 * `RecaptchaAuthChecker` (uia §1.5): enabled only when the private key is set. A missing
 * `response` is LoginError(400, M_CAPTCHA_NEEDED); otherwise it POSTs to siteverify (an outbound
 * call to the `captcha` node, `captchaNode`) and passes with `true` when the answer says so. A
 * slow siteverify holds the request for as long; a failed or unreachable one is the
 * LoginError(401, M_UNAUTHORIZED) of uia §2.13, merged into the 401. (Synapse lets a connection
 * error escape as a 500 [code-reading]; the model folds it into the same LoginError so that a
 * captcha outage reads as a failed stage the client may retry.)
 */
export function* checkRecaptcha(captchaNode: number, auth: AuthDict, clientIp: string): Task<StageVerdict> {
  if (auth.response === undefined) return loginError(400, 'M_CAPTCHA_NEEDED', 'Captcha response is required');
  const command: SiteverifyCommand = { op: 'captcha.siteverify', response: String(auth.response), remoteIp: clientIp };
  let reply: SiteverifyReply;
  try {
    // No captcha node (unit tests): verify as a healthy siteverify would, like test_auth.py's
    // DummyRecaptchaChecker.
    reply = captchaNode < 0 ? siteverify(HEALTHY_CAPTCHA, command, 0) : yield* call<SiteverifyReply>(captchaNode, command);
  } catch (error) {
    if (isBackendUnavailable(error)) return loginError(401, 'M_UNAUTHORIZED', CAPTCHA_FAILED);
    throw error;
  }
  if (reply.delayMs > 0) yield* sleep(reply.delayMs);
  return reply.success ? passed(true) : loginError(401, 'M_UNAUTHORIZED', CAPTCHA_FAILED);
}

/** `_get_params_recaptcha` (uia §1.2). */
export function recaptchaParams(config: SynapseConfig): Readonly<Record<string, unknown>> {
  return { public_key: config.captcha.publicKey };
}
