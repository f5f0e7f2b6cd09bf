import type { Task } from '../../../src/effects.js';
import type { SynapseConfig } from '../config.js';
import { passed, type StageVerdict } from './types.js';

/** `TermsAuthChecker` (uia §1.5): always passes (the user ticked the box); result `true`. */
export function* checkTerms(): Task<StageVerdict> {
  return passed(true);
}

/** `_get_params_terms` (uia §1.5, §4.4 test_terms_auth.py): the policy is always keyed
 * `privacy_policy`; `user_consent.policy_name` is only its `en.name`. */
export function termsParams(config: SynapseConfig): Readonly<Record<string, unknown>> {
  const { policyName, policyVersion, policyUrl } = config.consent;
  return { policies: { privacy_policy: { version: policyVersion, en: { name: policyName, url: policyUrl } } } };
}
