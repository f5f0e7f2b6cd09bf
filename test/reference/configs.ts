// The homeserver configs the reference tests run under, as SynapseConfig values
// (models/synapse/config.ts). Each names where its source sets it up.
import { DEFAULT_CONFIG, withConfig, type SynapseConfig } from '../../models/synapse/config.js';

/** Synapse's unit-test homeserver (tests/utils.py default_config) and Complement's image:
 * registration open, no captcha, no consent, no email, no tokens, no SSO; flows `[[dummy]]`
 * (uia §2.11). */
export const SYNAPSE_TEST_CONFIG: SynapseConfig = withConfig({
  registration: { enableRegistration: true, registrationsRequire3pid: [], registrationRequiresToken: false, enableRegistrationToken3pidBypass: false, registrationTokens: [] },
  captcha: { enableRegistrationCaptcha: false, privateKeySet: false },
  consent: { requireAtRegistration: false },
  email: { enabled: false },
  uiAuth: { sessionTimeoutMs: 0 },
  passwordConfig: { enabled: true, localdbEnabled: true },
  sso: { oidcProviders: [], samlEnabled: false },
});

/** tests/rest/client/test_auth.py FallbackAuthTests: `enable_registration_captcha: true`,
 * `recaptcha_public_key: brokencake` and a private key (uia §4.1); flows `[[recaptcha, dummy]]`. */
export const FALLBACK_AUTH_CONFIG: SynapseConfig = withConfig({ captcha: { enableRegistrationCaptcha: true, publicKey: 'brokencake', privateKeySet: true } }, SYNAPSE_TEST_CONFIG);

/** SyTest's homeserver (lib/SyTest/Homeserver/Synapse.pm): recaptcha keys set (so the checker
 * exists) but captcha not required at registration, and email verification configured. */
export const SYTEST_CONFIG: SynapseConfig = withConfig(
  { captcha: { enableRegistrationCaptcha: false, publicKey: 'sytest_recaptcha_public_key', privateKeySet: true }, email: { enabled: true } },
  SYNAPSE_TEST_CONFIG,
);

export { DEFAULT_CONFIG, withConfig };
