import type { Task } from '../../../src/effects.js';
import type { SynapseConfig } from '../config.js';
import { passed, type StageVerdict } from './types.js';

/** `TermsAuthChecker` (ref 1.5): always passes (the user ticked the box); result `true`. */
export function* checkTerms(): Task<StageVerdict> {
  return passed(true);
}

/** `_get_params_terms` (ref 1.5, 4.4 test_terms_auth.py): `policies.<name>` carries `version`
 * and per-language `{name, url}`. */
export function termsParams(config: SynapseConfig): Readonly<Record<string, unknown>> {
  const { policyName, policyVersion, policyUrl } = config.consent;
  return { policies: { [policyName]: { version: policyVersion, en: { name: policyDisplayName(policyName), url: policyUrl } } } };
}

/** `user_consent.policy_name` is the display name ("Privacy Policy"); the key is Synapse's
 * fixed `privacy_policy`. The config names the key, so derive the display name from it. */
function policyDisplayName(key: string): string {
  return key
    .split('_')
    .map((w) => (w === '' ? w : w[0]?.toUpperCase() + w.slice(1)))
    .join(' ');
}
