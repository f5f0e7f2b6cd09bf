import type { HttpRequest } from '../../src/http.js';
import {
  ACCOUNT_3PID_EMAIL_REQUEST_TOKEN_PATH,
  ACCOUNT_PASSWORD_PATH,
  DEACTIVATE_PATH,
  DELETE_DEVICES_PATH,
  devicePath,
  DEVICE_SIGNING_UPLOAD_PATH,
  EMAIL_VALIDATE_PATH,
  LOGIN_GET_TOKEN_PATH,
  REGISTER_EMAIL_REQUEST_TOKEN_PATH,
  REGISTER_PATH,
  THREEPID_ADD_UNSTABLE_PATH,
} from '../matrix/protocol.js';
import type { Operation } from './workload.js';

/** Who a client is: the issue 3 contract's seeded account for `user<a>` (the registration
 * workload registers that name instead). */
export interface ClientIdentity {
  readonly username: string;
  readonly userId: string;
  readonly password: string;
  readonly accessToken: string;
  readonly devices: readonly string[];
  /** The device the deletion operations remove (never the one the token belongs to). */
  readonly doomedDevice: string;
  readonly externalId: string;
  readonly email: string;
  readonly clientSecret: string;
  readonly ip: string;
}

export const CLIENT_PASSWORD = 'correct horse';
/** The password the password-change operation sets. */
export const NEW_PASSWORD = 'new horse';
export const APP_AGENT = 'nheko/0.7';
export const BROWSER_AGENT = 'Mozilla/5.0';

export function identityOf(username: string, ip: string): ClientIdentity {
  const label = username.startsWith('user') ? username.slice(4) : username;
  const upper = label.toUpperCase();
  return {
    username,
    userId: `@${username}:test`,
    password: CLIENT_PASSWORD,
    accessToken: `syt_${username}_token`,
    devices: [`DEV${upper}1`, `DEV${upper}2`],
    doomedDevice: `DEV${upper}2`,
    externalId: `oidc-${username}`,
    email: `${username}@example.org`,
    clientSecret: `secret-${username}`,
    ip,
  };
}

/** The email validation a client holds (uia §1.5 `threepid_creds`). */
export interface ThreepidCreds {
  readonly sid: string;
  readonly client_secret: string;
}

/** The operation's request line, as the `sent` observation's detail (the prefix dropped). */
export function operationLine(operation: Operation, id: ClientIdentity): string {
  const { method, path } = target(operation, id);
  return `${method} ${path.replace(/^\/_matrix\/client\/[^/]+/, '')}`;
}

function target(operation: Operation, id: ClientIdentity): { readonly method: 'POST' | 'DELETE'; readonly path: string } {
  switch (operation) {
    case 'register':
      return { method: 'POST', path: REGISTER_PATH };
    case 'password':
      return { method: 'POST', path: ACCOUNT_PASSWORD_PATH };
    case 'deactivate':
      return { method: 'POST', path: DEACTIVATE_PATH };
    case '3pid-add':
      // uia §3.1: unstable-only in v1.8; the unstable prefix answers in every version.
      return { method: 'POST', path: THREEPID_ADD_UNSTABLE_PATH };
    case 'delete-devices':
      return { method: 'POST', path: DELETE_DEVICES_PATH };
    case 'delete-device':
      return { method: 'DELETE', path: devicePath(id.doomedDevice) };
    case 'cross-signing':
      return { method: 'POST', path: CROSS_SIGNING_UPLOAD_PATH };
    case 'login-token':
      return { method: 'POST', path: LOGIN_GET_TOKEN_PATH };
    default: {
      const unreachable: never = operation;
      throw new Error(`client: unknown operation ${String(unreachable)}`);
    }
  }
}

/** The operation's own parameters (the spec's request bodies). Registration sends them only
 * with its first request and resubmits auth alone (uia §1.3, §2.4 step 3: the stored clientdict
 * is used); the account endpoints validate their bodies before UIA, so those resend them. */
function parameters(operation: Operation, id: ClientIdentity, creds: ThreepidCreds | undefined): Record<string, unknown> {
  switch (operation) {
    case 'register':
      return { username: id.username, password: id.password };
    case 'password':
      // logout_devices false: the app's own token stays valid for its retries.
      return { new_password: NEW_PASSWORD, logout_devices: false };
    case 'deactivate':
      return { erase: false };
    case '3pid-add':
      return { client_secret: creds?.client_secret ?? id.clientSecret, sid: creds?.sid ?? '' };
    case 'delete-devices':
      return { devices: [id.doomedDevice] };
    case 'delete-device':
    case 'login-token':
      return {};
    case 'cross-signing':
      return crossSigningKeys(id, 'K1');
    default: {
      const unreachable: never = operation;
      throw new Error(`client: unknown operation ${String(unreachable)}`);
    }
  }
}

/** A set of cross-signing keys of one generation (`K0` the first upload, `K1` the reset). */
export function crossSigningKeys(id: ClientIdentity, generation: string): Record<string, unknown> {
  const key = (usage: string): unknown => ({ user_id: id.userId, usage: [usage], keys: { [`ed25519:${generation}${usage}`]: `${generation}${usage}` } });
  return { master_key: key('master'), self_signing_key: key('self_signing'), user_signing_key: key('user_signing') };
}

/** The operation's request: without `auth` it starts a session; with it, it carries a stage or
 * `{session}`. Every account endpoint gets the app's access token (uia §2.5). */
export function operationRequest(operation: Operation, id: ClientIdentity, auth: Record<string, unknown> | undefined, creds: ThreepidCreds | undefined): HttpRequest {
  const { method, path } = target(operation, id);
  const params = operation === 'register' && auth !== undefined ? {} : parameters(operation, id, creds);
  const body = auth === undefined ? params : { ...params, auth };
  const request: HttpRequest = { method, path, query: '', body, ip: id.ip, userAgent: APP_AGENT };
  return operation === 'register' ? request : { ...request, accessToken: id.accessToken };
}

/** uia §3.1: unstable-only in v1.8 (and, in the model, until after 1.13); the unstable prefix
 * answers in every version, as the clients of that time used it. */
const UNSTABLE_PREFIX = '/_matrix/client/unstable';
const CROSS_SIGNING_UPLOAD_PATH = DEVICE_SIGNING_UPLOAD_PATH.replace(/^\/_matrix\/client\/[^/]+/, UNSTABLE_PREFIX);

/** The first upload of cross-signing keys: exempt from UIA (uia §1.5, MSC3967), so the reset
 * that follows is the one that needs it. */
export function firstKeyUpload(id: ClientIdentity): HttpRequest {
  return { method: 'POST', path: CROSS_SIGNING_UPLOAD_PATH, query: '', body: crossSigningKeys(id, 'K0'), ip: id.ip, userAgent: APP_AGENT, accessToken: id.accessToken };
}

/** `requestToken` for the email of the client (uia §1.5): registration's, or the account's. */
export function emailTokenRequest(operation: Operation, id: ClientIdentity, sendAttempt: number): HttpRequest {
  const path = operation === 'register' ? REGISTER_EMAIL_REQUEST_TOKEN_PATH : ACCOUNT_3PID_EMAIL_REQUEST_TOKEN_PATH;
  return { method: 'POST', path, query: '', body: { client_secret: id.clientSecret, email: id.email, send_attempt: sendAttempt }, ip: id.ip, userAgent: APP_AGENT };
}

/** The link of the validation email, opened in the browser. */
export function emailLink(id: ClientIdentity, sid: string, token: string): HttpRequest {
  const query = `sid=${encodeURIComponent(sid)}&client_secret=${encodeURIComponent(id.clientSecret)}&token=${encodeURIComponent(token)}`;
  return { method: 'GET', path: EMAIL_VALIDATE_PATH, query, body: null, ip: id.ip, userAgent: BROWSER_AGENT };
}
