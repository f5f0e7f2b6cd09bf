import type { Task } from '../../../src/effects.js';
import { isStageType, type AuthDict, type Flow } from '../../matrix/protocol.js';
import type { SynapseConfig } from '../config.js';
import type { SynapseContext } from '../context.js';
import { checkDummy } from './dummy.js';
import { checkEmailIdentity } from './email-identity.js';
import { checkPassword, identifierOf } from './password.js';
import { checkRecaptcha, recaptchaParams } from './recaptcha.js';
import { checkRegistrationToken } from './registration-token.js';
import { checkTerms, termsParams } from './terms.js';
import { synapseError, type StageVerdict } from './types.js';

export type { LoginError, StageVerdict } from './types.js';

/** The stages that have a checker class (`INTERACTIVE_AUTH_CHECKERS`, uia §1.5). */
export type CheckerStage = 'm.login.dummy' | 'm.login.terms' | 'm.login.recaptcha' | 'm.login.email.identity' | 'm.login.registration_token';

/**
 * `AuthHandler.checkers`: the checker classes whose `is_enabled()` holds for this config and
 * version (uia §1.5). Dummy and terms always; recaptcha when the private key is set; email when
 * email can be verified; the registration token when required or the 3PID bypass is on (v1.42+,
 * `profile.registrationTokens`). Password and SSO are not checkers (uia §2.4 step 6, §2.6).
 */
export function enabledCheckers(ctx: Pick<SynapseContext, 'config' | 'profile'>): ReadonlySet<CheckerStage> {
  const { config, profile } = ctx;
  let known = enabledCache.get(config);
  if (known === undefined) enabledCache.set(config, (known = {}));
  const key = profile.registrationTokens ? 'tokens' : 'noTokens';
  const cached = known[key];
  if (cached !== undefined) return cached;
  const enabled = new Set<CheckerStage>(['m.login.dummy', 'm.login.terms']);
  if (config.captcha.privateKeySet) enabled.add('m.login.recaptcha');
  if (config.email.enabled) enabled.add('m.login.email.identity');
  const tokens = config.registration.registrationRequiresToken || config.registration.enableRegistrationToken3pidBypass;
  if (tokens && profile.registrationTokens) enabled.add('m.login.registration_token');
  known[key] = enabled;
  return enabled;
}

/** Per config object (the hot loop asks on every stage check). */
const enabledCache = new WeakMap<SynapseConfig, { tokens?: ReadonlySet<CheckerStage>; noTokens?: ReadonlySet<CheckerStage> }>();

/**
 * `_check_auth_dict` (uia §2.4 step 6): the enabled checker for `auth.type`, otherwise the login
 * path (`validate_login(..., is_reauth=True)`), which knows `m.login.password` only; any other
 * type there is a plain 400. `captchaNode` is the siteverify service's node.
 */
export function* checkAuthDict(ctx: SynapseContext, captchaNode: number, auth: AuthDict, clientIp: string): Task<StageVerdict> {
  const type = auth.type;
  const checker = isStageType(type) && (enabledCheckers(ctx) as ReadonlySet<string>).has(type) ? (type as CheckerStage) : undefined;
  switch (checker) {
    case 'm.login.dummy':
      return yield* checkDummy();
    case 'm.login.terms':
      return yield* checkTerms();
    case 'm.login.recaptcha':
      return yield* checkRecaptcha(captchaNode, auth, clientIp);
    case 'm.login.email.identity':
      return yield* checkEmailIdentity(ctx, ctx.config, auth);
    case 'm.login.registration_token':
      return yield* checkRegistrationToken(ctx, auth);
    case undefined:
      return yield* validateLogin(ctx, auth);
    default: {
      const unreachable: never = checker;
      throw new Error(`checkAuthDict: no checker for ${String(unreachable)}`);
    }
  }
}

/** `validate_login(authdict, is_reauth=True)` as UIA uses it. Before v1.24 (#8848, uia §2.3)
 * UIA built a v1 login dict from the legacy `user` only: none -> 400 M_MISSING_PARAM. */
function* validateLogin(ctx: SynapseContext, auth: AuthDict): Task<StageVerdict> {
  if (!ctx.profile.identifierDicts && auth.user === undefined) throw synapseError(400, 'M_MISSING_PARAM', '');
  if (auth.type === 'm.login.password') return yield* checkPassword(ctx, ctx.config, auth);
  if (typeof auth.type !== 'string') throw synapseError(400, 'M_INVALID_PARAM', 'Bad parameter: type');
  // The identifier is converted before the type is looked at (a bare m.login.sso auth dict has
  // none: 400 "Missing param 'identifier'").
  identifierOf(auth);
  throw synapseError(400, 'M_UNKNOWN', `Unknown login type ${auth.type}`);
}

/** `_auth_dict_for_flows`' params (uia §1.2): recaptcha's public key and terms' policies, for
 * the stages the flows name. */
export function paramsFor(config: SynapseConfig, flows: readonly Flow[]): Readonly<Record<string, unknown>> {
  const params: Record<string, unknown> = {};
  for (const flow of flows) {
    for (const stage of flow.stages) {
      if (stage === 'm.login.recaptcha' && params[stage] === undefined) params[stage] = recaptchaParams(config);
      if (stage === 'm.login.terms' && params[stage] === undefined) params[stage] = termsParams(config);
    }
  }
  return params;
}
