// Every test uia §4 names (test/reference/synapse-uia-section-4.md), keyed `source::name` as
// section-4.ts extracts them, mapped to the scenario that replays it here, to a scenario still
// pending (an `it.todo` in its file, naming what the model lacks), or to a reasoned exclusion.
// test/reference/meta.test.ts checks that the mapping is complete and that every scenario exists.
import type { ProfileName } from '../../models/synapse/profile.js';

export type MappingEntry =
  /** `test` is an `it(...)` in test/reference/`file`, run on `profile`. With `deviation`, the
   * model does not (yet) do what the source asserts: the scenario is an `it.fails(...)` (it turns
   * red the day the model is fixed, to be flipped back to `it`), and `deviation` says what
   * differs (the finding, also in /work/brief/notes-for-<owner>.md). */
  | {
      readonly kind: 'scenario';
      readonly file: string;
      readonly test: string;
      readonly profile: ProfileName;
      readonly deviation?: string;
      /** What the scenario replays differently from its source, and why (e.g. no /login). */
      readonly note?: string;
    }
  /** `test` is an `it.todo(...)` in `file` until the model has `missing`. */
  | { readonly kind: 'pending'; readonly file: string; readonly test: string; readonly profile: ProfileName; readonly missing: string }
  | { readonly kind: 'exclusion'; readonly reason: string };

const AUTH = 'tests/rest/client/test_auth.py';
const AUTH_V2 = 'tests/rest/client/v2_alpha/test_auth.py';
const SHARD = 'tests/replication/test_client_reader_shard.py';
const REPLICATION = 'tests/replication/test_auth.py';
const REGISTER = 'tests/rest/client/test_register.py';
const PROVIDERS = 'tests/handlers/test_password_providers.py';
const ACCOUNT = 'tests/rest/client/test_account.py';
const LOGIN_TOKEN = 'tests/rest/client/test_login_token_request.py';
const SYTEST_UIA = 'tests/10apidoc/13ui-auth.pl';
const SYTEST_REGISTER = 'tests/11register.pl';

const scenario = (file: string, test: string, profile: ProfileName = 'head'): MappingEntry => ({ kind: 'scenario', file, test, profile });
const adapted = (file: string, test: string, note: string): MappingEntry => ({ kind: 'scenario', file, test, profile: 'head', note });
const pending = (file: string, test: string, missing: string, profile: ProfileName = 'head'): MappingEntry => ({ kind: 'pending', file, test, profile, missing });
const exclusion = (reason: string): MappingEntry => ({ kind: 'exclusion', reason });

// What some scenarios replay differently from their source (see adapted()).
const NO_REPLICATION_SECRET = 'the replication secret the test varies is not simulated; the two-step registration on a worker is replayed';
const NO_LOGIN = 'POST /login is not simulated: logging in afterwards is checked on the account row (password hash, deactivated)';
const OVER_OIDC = 'replayed over OIDC: CAS is not simulated (the UIA steps are the same: fallback page, IdP, callback carrying the session)';

const CLASS = 'a test class: its UIA tests are mapped one by one';
const PROVIDER_MODULES =
  'password provider modules (custom login types, check_password callbacks) are not simulated: the model offers only the built-in stages of uia §1.5';

export const MAPPING: Readonly<Record<string, MappingEntry>> = {
  // ---- uia §4.1, tests/rest/client/test_auth.py (head) ----
  [`${AUTH}::FallbackAuthTests`]: exclusion(CLASS),
  [`${AUTH}::test_fallback_captcha`]: scenario('test_auth.test.ts', 'test_fallback_captcha'),
  [`${AUTH}::test_complete_operation_unknown_session`]: scenario('test_auth.test.ts', 'test_complete_operation_unknown_session'),
  [`${AUTH}::UIAuthTests`]: exclusion(CLASS),
  [`${AUTH}::test_ui_auth`]: scenario('test_auth.test.ts', 'test_ui_auth'),
  [`${AUTH}::test_ui_auth_with_passwords_for_reauth_only`]: scenario('test_auth.test.ts', 'test_ui_auth_with_passwords_for_reauth_only'),
  [`${AUTH}::test_grandfathered_identifier`]: scenario('test_auth.test.ts', 'test_grandfathered_identifier'),
  [`${AUTH}::test_can_change_body`]: scenario('test_auth.test.ts', 'test_can_change_body'),
  [`${AUTH}::test_cannot_change_uri`]: scenario('test_auth.test.ts', 'test_cannot_change_uri'),
  [`${AUTH}::test_can_reuse_session`]: scenario('test_auth.test.ts', 'test_can_reuse_session'),
  [`${AUTH}::test_ui_auth_via_sso`]: scenario('test_auth.test.ts', 'test_ui_auth_via_sso'),
  [`${AUTH}::test_msc4450_select_idp_id`]: pending('test_auth.test.ts', 'test_msc4450_select_idp_id', 'MSC4450 io.element.idp_id on the SSO fallback with several IdPs'),
  [`${AUTH}::test_does_not_offer_password_for_sso_user`]: scenario('test_auth.test.ts', 'test_does_not_offer_password_for_sso_user'),
  [`${AUTH}::test_does_not_offer_sso_for_password_user`]: scenario('test_auth.test.ts', 'test_does_not_offer_sso_for_password_user'),
  [`${AUTH}::test_offers_both_flows_for_upgraded_user`]: scenario('test_auth.test.ts', 'test_offers_both_flows_for_upgraded_user'),
  [`${AUTH}::test_ui_auth_fails_for_incorrect_sso_user`]: scenario('test_auth.test.ts', 'test_ui_auth_fails_for_incorrect_sso_user'),
  [`${AUTH}::test_sso_not_approved`]: exclusion('MSC3866 account approval on SSO *login* (403 USER_AWAITING_APPROVAL, no device): not a UIA session (uia §4.1)'),
  [`${AUTH}::RefreshAuthTests`]: exclusion('refresh tokens: not about UIA (uia §4.1)'),
  [`${AUTH}::OidcBackchannelLogoutTests`]: exclusion('OIDC back-channel logout: not about UIA (uia §4.1)'),

  // ---- uia §4.1 historical, tests/rest/client/v2_alpha/test_auth.py (1.13) ----
  [`${AUTH_V2}::test_cannot_change_operation`]: exclusion(
    'asserts the 1.13.0rc1 comparator of #7068, which rejected a changed clientdict (re-register with another password -> 403); #7483 (1.13.0rc2) removed that before the release, and the model has no rc1 profile: its 1.13 is the release, where the same request succeeds (test_legacy_registration here). The surviving half of the binding, (uri, method) -> 403, is test_cannot_change_uri',
  ),
  [`${AUTH_V2}::test_legacy_registration`]: scenario('v2_alpha_test_auth.test.ts', 'test_legacy_registration', '1.13'),
  [`${AUTH_V2}::test_cannot_change_body`]: exclusion(
    'asserts the 1.13.0rc1 behaviour (#7455: a changed /delete_devices body -> 403) that #7483 turned into test_can_change_body (-> 200) before 1.13.0 shipped; the model has no rc1 profile (see test_cannot_change_operation)',
  ),
  [`${AUTH_V2}::test_can_change_body`]: scenario('v2_alpha_test_auth.test.ts', 'test_can_change_body', '1.13'),

  // ---- uia §4.2, multi-worker ----
  [`${SHARD}::test_register_single_worker`]: scenario('test_client_reader_shard.test.ts', 'test_register_single_worker'),
  [`${SHARD}::test_register_multi_worker`]: scenario('test_client_reader_shard.test.ts', 'test_register_multi_worker'),
  [`${REPLICATION}::WorkerAuthenticationTestCase`]: exclusion(CLASS),
  [`${REPLICATION}::test_no_auth`]: adapted('replication_test_auth.test.ts', 'test_no_auth', NO_REPLICATION_SECRET),
  [`${REPLICATION}::test_missing_auth`]: exclusion(
    "the replication HTTP secret between a worker and main (500 when the worker lacks it) is not simulated: the model's workers write the UI-auth tables and users directly (uia §2.7), with no replication HTTP call",
  ),
  [`${REPLICATION}::test_unauthorized`]: exclusion('the replication HTTP secret (500 on a wrong one) is not simulated (see test_missing_auth)'),
  [`${REPLICATION}::test_authorized`]: adapted('replication_test_auth.test.ts', 'test_authorized', NO_REPLICATION_SECRET),

  // ---- uia §4.3, tests/rest/client/test_register.py ----
  [`${REGISTER}::test_POST_user_valid`]: scenario('test_register.test.ts', 'test_POST_user_valid'),
  [`${REGISTER}::test_POST_disabled_registration`]: scenario('test_register.test.ts', 'test_POST_disabled_registration'),
  [`${REGISTER}::test_POST_ratelimiting`]: exclusion(
    'the registration ratelimiter (rc_registration, checked before UIA, uia §2.11 step 1) is not simulated; it limits requests, not UIA sessions',
  ),
  [`${REGISTER}::test_POST_registration_requires_token`]: scenario('test_register.test.ts', 'test_POST_registration_requires_token'),
  [`${REGISTER}::test_POST_registration_token_invalid`]: scenario('test_register.test.ts', 'test_POST_registration_token_invalid'),
  [`${REGISTER}::test_POST_registration_token_limit_uses`]: scenario('test_register.test.ts', 'test_POST_registration_token_limit_uses'),
  [`${REGISTER}::test_POST_registration_token_expiry`]: scenario('test_register.test.ts', 'test_POST_registration_token_expiry'),
  [`${REGISTER}::test_POST_registration_token_session_expiry`]: scenario('test_register.test.ts', 'test_POST_registration_token_session_expiry'),
  [`${REGISTER}::test_POST_registration_token_session_expiry_deleted_token`]: scenario('test_register.test.ts', 'test_POST_registration_token_session_expiry_deleted_token'),
  [`${REGISTER}::test_advertised_flows*`]: adapted('test_register.test.ts', 'test_advertised_flows*', 'the msisdn flows of test_advertised_flows_captcha_and_terms_and_3pids are left out: msisdn is not simulated'),

  // ---- uia §4.4 ----
  ['tests/test_terms_auth.py::test_ui_auth']: scenario('test_terms_auth.test.ts', 'test_ui_auth'),
  [`${PROVIDERS}::test_password_only_auth_provider_ui_auth`]: exclusion(PROVIDER_MODULES),
  [`${PROVIDERS}::test_password_only_auth_provider_ui_auth_legacy`]: exclusion(PROVIDER_MODULES),
  [`${PROVIDERS}::test_local_user_fallback_ui_auth`]: exclusion(PROVIDER_MODULES),
  [`${PROVIDERS}::test_no_local_user_fallback_ui_auth`]: exclusion(PROVIDER_MODULES),
  [`${PROVIDERS}::test_custom_auth_provider_ui_auth`]: exclusion(PROVIDER_MODULES),
  [`${PROVIDERS}::test_password_custom_auth_password_disabled_ui_auth`]: exclusion(PROVIDER_MODULES),
  [`${PROVIDERS}::test_username_uia`]: exclusion(
    'asserts that a module callback (get_username_for_registration) runs only once UIA completes; module callbacks are not simulated. Its UIA steps (401, then dummy + session -> 200) are test_register_single_worker',
  ),
  [`${PROVIDERS}::test_displayname_uia`]: exclusion('a module callback (get_displayname_for_registration), not simulated; see test_username_uia'),
  [`${ACCOUNT}::test_basic_password_reset`]: adapted('test_account.test.ts', 'test_basic_password_reset', 'POST /login is not simulated: logging in with the new password (and not the old) is checked on the password hash'),
  [`${ACCOUNT}::test_cant_add_email_without_clicking_link`]: scenario('test_account.test.ts', 'test_cant_add_email_without_clicking_link'),
  ['tests/rest/client/test_keys.py::test_device_signing_with_uia']: scenario('test_keys.test.ts', 'test_device_signing_with_uia'),
  [`${LOGIN_TOKEN}::test_require_auth`]: scenario('test_login_token_request.test.ts', 'test_require_auth'),
  [`${LOGIN_TOKEN}::test_uia_on`]: adapted('test_login_token_request.test.ts', 'test_uia_on', 'stops at the issued login token: POST /login m.login.token is not simulated'),
  [`${LOGIN_TOKEN}::test_uia_off`]: adapted('test_login_token_request.test.ts', 'test_uia_off', 'stops at the issued login token: POST /login m.login.token is not simulated'),

  // ---- uia §4.5, Complement ----
  ['tests/csapi/apidoc_device_management_test.go::DELETE /device/{deviceId}']: adapted('complement_apidoc_device_management.test.ts', 'DELETE /device/{deviceId}', 'the deleted token is tried on GET /devices/{id} instead of /sync (not simulated); both authenticate the same way'),
  ['tests/csapi/apidoc_device_management_test.go::…requires UI auth user to match device owner']: scenario('complement_apidoc_device_management.test.ts', '…requires UI auth user to match device owner'),
  ['tests/csapi/account_deactivate_test.go::*']: adapted('complement_account_deactivate.test.ts', 'account_deactivate_test.go', NO_LOGIN),
  ['tests/csapi/account_change_password_test.go::*']: adapted('complement_account_change_password.test.ts', 'account_change_password_test.go', NO_LOGIN),
  ['tests/csapi/apidoc_register_test.go::*']: scenario('complement_apidoc_register.test.ts', 'POST {} returns 401 with flows; one-shot dummy registrations'),
  ['tests/csapi/apidoc_register_test.go::Registration accepts non-ascii passwords']: scenario('complement_apidoc_register.test.ts', 'Registration accepts non-ascii passwords'),
  ['tests/msc3967/msc3967_test.go::*']: scenario('complement_msc3967.test.ts', 'msc3967_test.go'),
  ['tests/csapi/device_lists_test.go::*']: exclusion(
    'tests device-list updates over /sync and federation, not modelled; its only UIA use, a one-shot password UIA to delete a device, is Complement "DELETE /device/{deviceId}"',
  ),
  ['tests/csapi/keychanges_test.go::*']: exclusion(
    'tests /keys/changes, not modelled; its only UIA use, a one-shot password UIA to delete a device, is Complement "DELETE /device/{deviceId}"',
  ),

  // ---- uia §4.6, SyTest ----
  [`${SYTEST_UIA}::Interactive authentication types include SSO`]: adapted('sytest_13ui-auth.test.ts', 'Interactive authentication types include SSO', OVER_OIDC),
  [`${SYTEST_UIA}::Can perform interactive authentication with SSO`]: adapted('sytest_13ui-auth.test.ts', 'Can perform interactive authentication with SSO', OVER_OIDC),
  [`${SYTEST_UIA}::The user must be consistent through an interactive authentication session with SSO`]: adapted('sytest_13ui-auth.test.ts', 'The user must be consistent through an interactive authentication session with SSO', OVER_OIDC),
  [`${SYTEST_UIA}::The operation must be consistent through an interactive authentication session`]: scenario('sytest_13ui-auth.test.ts', 'The operation must be consistent through an interactive authentication session'),
  [`${SYTEST_REGISTER}::registration is idempotent, without/with username specified`]: scenario('sytest_11register.test.ts', 'registration is idempotent, without/with username specified'),
  [`${SYTEST_REGISTER}::registration remembers parameters`]: scenario('sytest_11register.test.ts', 'registration remembers parameters'),
  [`${SYTEST_REGISTER}::Register with a recaptcha`]: scenario('sytest_11register.test.ts', 'Register with a recaptcha'),
  [`${SYTEST_REGISTER}::Can register using an email address`]: scenario('sytest_11register.test.ts', 'Can register using an email address'),
};
