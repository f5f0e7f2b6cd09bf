/** The Matrix client-server shapes the simulator exchanges (uia §1.2-1.5). */

/** The stage types the model knows (uia §1.5; issue 3 contract). */
export const STAGES = [
  'm.login.dummy',
  'm.login.recaptcha',
  'm.login.terms',
  'm.login.password',
  'm.login.email.identity',
  'm.login.registration_token',
  'm.login.sso',
] as const;
export type StageType = (typeof STAGES)[number];

export function isStageType(value: unknown): value is StageType {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** Stages that a fallback web page can complete (uia §2.6; sso and the token form come later). */
export const FALLBACK_STAGES = ['m.login.recaptcha', 'm.login.terms'] as const satisfies readonly StageType[];
export type FallbackStage = (typeof FALLBACK_STAGES)[number];

/** Every stage the fallback servlet renders a page for (uia §2.6 GET): the forms it also takes
 * a POST for (recaptcha, terms, registration token), and sso (GET only: start_sso_ui_auth). */
export const FALLBACK_FORM_STAGES = ['m.login.recaptcha', 'm.login.terms', 'm.login.registration_token'] as const satisfies readonly StageType[];
export type FallbackFormStage = (typeof FALLBACK_FORM_STAGES)[number];
export const FALLBACK_PAGE_STAGES = [...FALLBACK_FORM_STAGES, 'm.login.sso'] as const satisfies readonly StageType[];
export type FallbackPageStage = (typeof FALLBACK_PAGE_STAGES)[number];

export interface Flow {
  readonly stages: readonly StageType[];
}

/** The `auth` object of a request body (uia §1.3). */
export interface AuthDict {
  readonly type?: string;
  readonly session?: string;
  /** m.login.recaptcha (uia §1.5). */
  readonly response?: string;
  /** m.login.password (uia §1.5): `identifier` + `password`, or the legacy top-level `user`
   * (test_grandfathered_identifier, uia §4.1). Client-supplied, so typed loosely. */
  readonly identifier?: UserIdentifier;
  readonly password?: unknown;
  readonly user?: unknown;
  /** m.login.registration_token (uia §1.5, §2.10): any JSON (a non-string is M_INVALID_PARAM). */
  readonly token?: unknown;
  /** m.login.email.identity (uia §1.5). */
  readonly threepid_creds?: ThreepidCreds;
}

/** uia §1.5: `m.id.user` {user}, `m.id.thirdparty` {medium, address}, `m.id.phone`
 * {country, phone}. */
export interface UserIdentifier {
  readonly type?: unknown;
  readonly user?: unknown;
  readonly medium?: unknown;
  readonly address?: unknown;
  readonly country?: unknown;
  readonly phone?: unknown;
}

/** uia §1.5: what `/requestToken` returned plus the client's own secret. */
export interface ThreepidCreds {
  readonly sid?: unknown;
  readonly client_secret?: unknown;
  readonly id_server?: unknown;
  readonly id_access_token?: unknown;
}

/** The 401 body (uia §1.2, §2.4 step 5 and 7). `completed` appears once an auth dict was sent. */
export interface UiaChallenge {
  readonly session: string;
  readonly flows: readonly Flow[];
  readonly params: Readonly<Record<string, unknown>>;
  readonly completed?: readonly string[];
  readonly errcode?: string;
  readonly error?: string;
}

export interface MatrixErrorBody {
  readonly errcode: string;
  readonly error: string;
}

export interface RegisterSuccess {
  readonly user_id: string;
  /** The server name (deprecated in the spec, still sent by Synapse; SyTest asserts it). */
  readonly home_server: string;
  readonly access_token: string;
  readonly device_id: string;
}

/** A fallback page (uia §1.4, §2.6): the stage's form, or the success page whose script calls
 * `window.onAuthDone()`. */
export interface FallbackPage {
  /** `form`: the stage's form (with `error` after a LoginError, #10561); `success`: the stage is
   * complete (also the SSO callback's page); `sso-confirm`: start_sso_ui_auth's page with the
   * IdP `redirect` and the session's `description`; `sso-wrong-user`: "We were unable to
   * validate..." (the stage is stored as ""); `email-validated` / `email-failed`: the page the
   * emailed link opens (no UIA session, no stage: uia §5 #7512); `sso-error`: a callback that
   * could not be matched to a request (bad state, #7530's other process). */
  readonly page: 'form' | 'success' | 'sso-confirm' | 'sso-wrong-user' | 'sso-error' | 'email-validated' | 'email-failed';
  readonly stage: string;
  readonly session: string;
  readonly error?: string;
  /** sso-confirm: where the browser goes next (the IdP's authorization URL). */
  readonly redirect?: string;
  /** sso-confirm: the operation the session was created for (uia §2.7 `description`). */
  readonly description?: string;
}

export const CLIENT_PREFIX = '/_matrix/client/r0';
export const REGISTER_PATH = `${CLIENT_PREFIX}/register`;

export function fallbackPath(stage: string): string {
  return `${CLIENT_PREFIX}/auth/${stage}/fallback/web`;
}

/** Path patterns as Synapse registers them (uia §2.1), any client-API version prefix. */
export const REGISTER_PATTERN = '^/_matrix/client/(r0|v3|unstable)/register$';
export const FALLBACK_PATTERN = '^/_matrix/client/(r0|v3|unstable)/auth/([\\w.]*)/fallback/web$';

export function matrixError(errcode: string, error: string): MatrixErrorBody {
  return { errcode, error };
}

// ---- Endpoint paths (issue 3 contract; uia §3.1). Clients send these; the patterns below are
// what processes mount and routers match (any version prefix Synapse registers).

export const CLIENT_V1_PREFIX = '/_matrix/client/v1';
export const ACCOUNT_PASSWORD_PATH = `${CLIENT_PREFIX}/account/password`;
export const DEACTIVATE_PATH = `${CLIENT_PREFIX}/account/deactivate`;
export const THREEPID_ADD_PATH = `${CLIENT_PREFIX}/account/3pid/add`;
/** uia §3.1: in v1.8 `/account/3pid/add` was served under the unstable prefix only. */
export const THREEPID_ADD_UNSTABLE_PATH = '/_matrix/client/unstable/account/3pid/add';
export const DELETE_DEVICES_PATH = `${CLIENT_PREFIX}/delete_devices`;
export const DEVICE_SIGNING_UPLOAD_PATH = `${CLIENT_PREFIX}/keys/device_signing/upload`;
/** uia §3.1: MSC3882, stable `/v1/login/get_token` since v1.86. */
export const LOGIN_GET_TOKEN_PATH = `${CLIENT_V1_PREFIX}/login/get_token`;
export const REGISTER_EMAIL_REQUEST_TOKEN_PATH = `${CLIENT_PREFIX}/register/email/requestToken`;
export const ACCOUNT_3PID_EMAIL_REQUEST_TOKEN_PATH = `${CLIENT_PREFIX}/account/3pid/email/requestToken`;
/** The out-of-band link of the validation email (`?sid=..&client_secret=..&token=..`). */
export const EMAIL_VALIDATE_PATH = '/_synapse/client/email/validate';
/** SSO callbacks (uia §2.6): any process may get them. */
export const OIDC_CALLBACK_PATH = '/_synapse/client/oidc/callback';
export const SAML_CALLBACK_PATH = '/_synapse/client/saml2/authn_response';

/** `DELETE /devices/{deviceId}`: the device ID is part of the URI, so of the binding (uia §2.9). */
export function devicePath(deviceId: string): string {
  return `${CLIENT_PREFIX}/devices/${encodeURIComponent(deviceId)}`;
}

export const ACCOUNT_PASSWORD_PATTERN = '^/_matrix/client/(r0|v3|unstable)/account/password$';
export const DEACTIVATE_PATTERN = '^/_matrix/client/(r0|v3|unstable)/account/deactivate$';
export const THREEPID_ADD_PATTERN = '^/_matrix/client/(r0|v3|unstable)/account/3pid/add$';
export const DELETE_DEVICES_PATTERN = '^/_matrix/client/(r0|v3|unstable)/delete_devices$';
/** Group 2 is the device ID (URL-encoded). */
export const DEVICE_PATTERN = '^/_matrix/client/(api/v1|r0|v3|unstable)/devices/([^/]+)$';
export const DEVICE_SIGNING_UPLOAD_PATTERN = '^/_matrix/client/(r0|v3|unstable)/keys/device_signing/upload$';
export const LOGIN_GET_TOKEN_PATTERN = '^/_matrix/client/(v1|unstable/org\\.matrix\\.msc3882)/login/get_token$';
export const REGISTER_EMAIL_REQUEST_TOKEN_PATTERN = '^/_matrix/client/(r0|v3|unstable)/register/email/requestToken$';
export const ACCOUNT_3PID_EMAIL_REQUEST_TOKEN_PATTERN = '^/_matrix/client/(r0|v3|unstable)/account/3pid/email/requestToken$';
export const EMAIL_VALIDATE_PATTERN = '^/_synapse/client/email/validate$';
export const OIDC_CALLBACK_PATTERN = '^/_synapse/client/oidc/callback$';
export const SAML_CALLBACK_PATTERN = '^/_synapse/client/saml2/authn_response$';

/** uia §2.13 / Synapse's auth: a request without a token, or with one nobody issued. */
export const MISSING_TOKEN = { status: 401, errcode: 'M_MISSING_TOKEN', error: 'Missing access token.' } as const;
export const UNKNOWN_TOKEN = { status: 401, errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token passed.' } as const;

/** Bodies of the account endpoints (the spec's x-yaml files; `auth` added per uia §1.3). */
export interface AccountPasswordBody {
  readonly new_password?: string;
  readonly logout_devices?: boolean;
  readonly auth?: AuthDict;
}
export interface DeactivateBody {
  readonly erase?: boolean;
  readonly auth?: AuthDict;
}
export interface ThreepidAddBody {
  readonly client_secret?: string;
  readonly sid?: string;
  readonly auth?: AuthDict;
}
export interface DeleteDevicesBody {
  readonly devices?: readonly string[];
  readonly auth?: AuthDict;
}
export interface DeviceSigningUploadBody {
  readonly master_key?: unknown;
  readonly self_signing_key?: unknown;
  readonly user_signing_key?: unknown;
  readonly auth?: AuthDict;
}
/** `POST /login/get_token` success (MSC3882). */
export interface LoginTokenSuccess {
  readonly login_token: string;
  readonly expires_in_ms: number;
}

/** `PasswordResetRequestTokenRestServlet`: the email of a password reset without an access token
 * (the address must be bound to a user, unlike the register and 3PID variants). */
export const ACCOUNT_PASSWORD_EMAIL_REQUEST_TOKEN_PATH = `${CLIENT_PREFIX}/account/password/email/requestToken`;
export const ACCOUNT_PASSWORD_EMAIL_REQUEST_TOKEN_PATTERN = '^/_matrix/client/(r0|v3|unstable)/account/password/email/requestToken$';
