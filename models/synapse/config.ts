/**
 * The homeserver configuration (`homeserver.yaml`) as data: the options that decide which UIA
 * flows exist and how they behave. Independent of the profile (the Synapse version); a profile
 * decides whether a version knows an option at all (e.g. registration tokens arrived in v1.42,
 * uia §2.3). Every process of a deployment gets the same config.
 */
export interface SynapseConfig {
  readonly registration: RegistrationConfig;
  /** `recaptcha_public_key` / `enable_registration_captcha` (uia §1.5, §2.11). The private key
   * being set is what enables the checker (uia §1.5). */
  readonly captcha: {
    readonly enableRegistrationCaptcha: boolean;
    readonly publicKey: string;
    readonly privateKeySet: boolean;
  };
  /** `user_consent.require_at_registration` (uia §2.11): prefix every registration flow with
   * `m.login.terms`; the policy shown in `params` (uia §1.5, test_terms_auth.py, uia §4.4). */
  readonly consent: {
    readonly requireAtRegistration: boolean;
    readonly policyName: string;
    readonly policyVersion: string;
    readonly policyUrl: string;
  };
  /** `email` configured so email can be verified: enables `m.login.email.identity` (uia §1.5). */
  readonly email: {
    readonly enabled: boolean;
    /** How long a `threepid_validation_session` token stays valid (Synapse: 1 h). */
    readonly validationTokenLifetimeMs: number;
  };
  /** `ui_auth.session_timeout` (uia §2.12): 0 = always prompt. */
  readonly uiAuth: { readonly sessionTimeoutMs: number };
  /** `password_config` (uia §2.5, §4.1 `test_ui_auth_with_passwords_for_reauth_only`):
   * `enabled: true | false | only_for_reauth`, `localdb_enabled`. */
  readonly passwordConfig: {
    readonly enabled: boolean | 'only_for_reauth';
    readonly localdbEnabled: boolean;
  };
  /** `login_via_existing_session` (uia §3.1, §4.4 test_login_token_request.py). */
  readonly loginViaExistingSession: {
    readonly enabled: boolean;
    readonly requireUiAuth: boolean;
    readonly tokenTimeoutMs: number;
  };
  /** `oidc_providers` / `saml2_config` (uia §1.5, §2.6): users with an external ID are offered
   * `m.login.sso` in `validate_user_via_ui_auth` (uia §2.5). */
  readonly sso: {
    readonly oidcProviders: readonly { readonly idpId: string; readonly idpName: string }[];
    readonly samlEnabled: boolean;
  };
  /** `rc_login.failed_attempts` (uia §2.5): a token bucket per user; too many failed UIA
   * attempts -> 429 M_LIMIT_EXCEEDED. Synapse's defaults: 0.17/s, burst 3. */
  readonly rcLoginFailedAttempts: { readonly perSecond: number; readonly burstCount: number };
}

export interface RegistrationConfig {
  readonly enableRegistration: boolean;
  /** `registrations_require_3pid` (uia §2.11): drops the 3PID-less `[dummy]` flow. */
  readonly registrationsRequire3pid: readonly ('email' | 'msisdn')[];
  /** `registration_requires_token` (uia §2.11): prefix every flow with the token stage. */
  readonly registrationRequiresToken: boolean;
  /** `enable_registration_token_3pid_bypass` (uia §2.11): adds a `[registration_token]` flow. */
  readonly enableRegistrationToken3pidBypass: boolean;
  /** Tokens an admin created through the admin API (`registration_tokens` rows, uia §2.10). */
  readonly registrationTokens: readonly RegistrationTokenSeed[];
}

export interface RegistrationTokenSeed {
  readonly token: string;
  /** null: unlimited. */
  readonly usesAllowed: number | null;
  /** Virtual ms; null: never expires. */
  readonly expiryTimeMs: number | null;
}

/** The OIDC provider every seeded external ID belongs to (auth_provider `oidc`). */
export const DEFAULT_IDP_ID = 'oidc';

/**
 * Enough enabled that every stage type is reachable (issue 3). Registration flows then are, per
 * `_calculate_registration_flows` (uia §2.11): `[recaptcha, terms, dummy]`,
 * `[recaptcha, terms, email.identity]`, `[recaptcha, terms, registration_token]` (the 3PID
 * bypass); password and SSO are offered on the account endpoints to users with a password hash
 * or an external ID (uia §2.5). `session_timeout` 0 = always prompt (Synapse's default).
 */
export const DEFAULT_CONFIG: SynapseConfig = {
  registration: {
    enableRegistration: true,
    registrationsRequire3pid: [],
    registrationRequiresToken: false,
    enableRegistrationToken3pidBypass: true,
    registrationTokens: [{ token: 'letmein', usesAllowed: null, expiryTimeMs: null }],
  },
  // The public key of test_auth.py's FallbackAuthTests (uia §4.1).
  captcha: { enableRegistrationCaptcha: true, publicKey: 'brokencake', privateKeySet: true },
  // test_terms_auth.py's policy (uia §4.4).
  consent: { requireAtRegistration: true, policyName: 'Privacy Policy', policyVersion: '1.0', policyUrl: 'https://example.org/_matrix/consent?v=1.0' },
  email: { enabled: true, validationTokenLifetimeMs: 60 * 60 * 1000 },
  uiAuth: { sessionTimeoutMs: 0 },
  passwordConfig: { enabled: true, localdbEnabled: true },
  // Synapse's default token_timeout is 5 minutes; require_ui_auth defaults to true (uia §3.1).
  loginViaExistingSession: { enabled: true, requireUiAuth: true, tokenTimeoutMs: 5 * 60 * 1000 },
  sso: { oidcProviders: [{ idpId: DEFAULT_IDP_ID, idpName: 'Fake IdP' }], samlEnabled: false },
  rcLoginFailedAttempts: { perSecond: 0.17, burstCount: 3 },
};

/** A copy of `base` with some top-level sections replaced (tests, reference scenarios). */
export function withConfig(patch: { readonly [K in keyof SynapseConfig]?: Partial<SynapseConfig[K]> }, base: SynapseConfig = DEFAULT_CONFIG): SynapseConfig {
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(patch) as (keyof SynapseConfig)[]) {
    out[key] = { ...base[key], ...patch[key] };
  }
  return out as unknown as SynapseConfig;
}
