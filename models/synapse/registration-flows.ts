import type { Flow, StageType } from '../matrix/protocol.js';
import type { SynapseContext } from './context.js';
import { enabledCheckers } from './stages/index.js';

/** Flows per config object, and per whether the version knows registration tokens. */
const cache = new WeakMap<object, { tokens?: readonly Flow[]; noTokens?: readonly Flow[] }>();

/**
 * `_calculate_registration_flows` (uia §2.11): `[dummy]` unless a 3PID is required, `[email]`
 * when email can be verified (msisdn is not modelled: no delegate), `[registration_token]` with
 * the 3PID bypass; then every flow is prefixed, each at position 0, with terms (consent at
 * registration), recaptcha (captcha) and the token (required, unless the flow has it): the
 * result reads token, recaptcha, terms, base stages. Memoised per config (flows are compared by
 * identity when their `params` are cached).
 */
export function registrationFlows(ctx: Pick<SynapseContext, 'config' | 'profile'>): readonly Flow[] {
  const key = ctx.profile.registrationTokens ? 'tokens' : 'noTokens';
  let entry = cache.get(ctx.config);
  if (entry === undefined) cache.set(ctx.config, (entry = {}));
  const known = entry[key];
  if (known !== undefined) return known;
  const flows = calculate(ctx);
  entry[key] = flows;
  return flows;
}

function calculate(ctx: Pick<SynapseContext, 'config' | 'profile'>): readonly Flow[] {
  const { registration, captcha, consent } = ctx.config;
  const enabled = enabledCheckers(ctx);
  const requireEmail = registration.registrationsRequire3pid.includes('email');
  const requireMsisdn = registration.registrationsRequire3pid.includes('msisdn');
  const showEmail = enabled.has('m.login.email.identity');
  if (requireEmail && !showEmail) throw new Error('config: registrations_require_3pid names email, but email validation is not configured (ConfigError)');
  if (requireMsisdn) throw new Error('config: registrations_require_3pid names msisdn, which the model does not verify (ConfigError)');
  const tokens = ctx.profile.registrationTokens;

  const flows: StageType[][] = [];
  if (!requireEmail) flows.push(['m.login.dummy']);
  if (showEmail) flows.push(['m.login.email.identity']);
  if (tokens && registration.enableRegistrationToken3pidBypass) flows.push(['m.login.registration_token']);
  if (consent.requireAtRegistration) for (const flow of flows) flow.unshift('m.login.terms');
  if (captcha.enableRegistrationCaptcha) for (const flow of flows) flow.unshift('m.login.recaptcha');
  if (tokens && registration.registrationRequiresToken) {
    for (const flow of flows) if (!flow.includes('m.login.registration_token')) flow.unshift('m.login.registration_token');
  }
  return flows.map((stages) => ({ stages }));
}
