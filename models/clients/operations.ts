import { httpResponse, type HttpRequest, type HttpResponse } from '../../src/http.js';
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
import { MAX_REQUESTS_PER_CLIENT, type Operation } from './workload.js';

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
  if (operation === 'register') return { method, path, query: '', body: auth === undefined ? parameters(operation, id, creds) : { auth }, ip: id.ip, userAgent: APP_AGENT };
  // `parameters` builds a fresh object, so `auth` goes straight in, last as a spread would put
  // it: no copy of the body, nor of the request, on every request a client sends.
  const body = parameters(operation, id, creds);
  if (auth !== undefined) body.auth = auth;
  return { method, path, query: '', body, ip: id.ip, userAgent: APP_AGENT, accessToken: id.accessToken };
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

/** A step of a client script: what its driver does next (client-node.ts Client in the
 * simulation, real/driver.ts against the real deployment). */
export type ClientStep =
  /** One request: the script gets the answer of its last attempt (Budget). */
  | { readonly kind: 'http'; readonly via: 'app' | 'browser'; readonly request: HttpRequest; readonly session: string; readonly what: string; readonly tags: readonly string[] }
  /** `round`: the pause before a persistent client's round (client-script.ts); the driver notes
   * when the round's first request is sent (RunResult.roundStartsMs), which liveness counts. */
  | { readonly kind: 'pause'; readonly ms: number; readonly round?: true }
  /** Starts a script alongside the main one (a browser tab, a second app tab). */
  | { readonly kind: 'spawn'; readonly script: Generator<ClientStep, void, HttpResponse> };
export type HttpStep = Extract<ClientStep, { kind: 'http' }>;
export type Script<T> = Generator<ClientStep, T, HttpResponse>;

/** What a script gets back for a request that timed out (or was refused, or never sent). */
export const TIMED_OUT = httpResponse(0, null);
export const RETRY_BACKOFF_MS = 1_000;

/** When a persistent client's rounds began (RunResult.roundStartsMs), as a driver sees its steps:
 * a round begins when its first request is sent after the round's pause (a `round` pause). Both
 * drivers keep one per client: Client (client-node.ts) on the virtual clock, real/driver.ts on
 * the run's own. */
export class RoundStarts {
  readonly startsMs: number[] = [];
  private pending = false;

  /** A pause step: a round's pause makes the next request the round's first. */
  paused(step: Extract<ClientStep, { kind: 'pause' }>): void {
    if (step.round === true) this.pending = true;
  }

  /** A request sent at `nowMs`. */
  sent(nowMs: number): void {
    if (!this.pending) return;
    this.pending = false;
    this.startsMs.push(nowMs);
  }
}

/**
 * How often a client sends, shared by its lanes. Timeouts and 5xx answers are tried again (the
 * router never retries a POST), `spec.retries` times at most, RETRY_BACKOFF_MS apart. Each
 * attempt: the budget check, then (a retry) the backoff pause on the app, then one request spent
 * and sent; the script gets the last answer, or TIMED_OUT once the client is out of requests.
 * The driver makes the attempts, so a script yields one http step per request, not a nested
 * generator per attempt loop: every level of `yield*` is paid on every step.
 */
export class Budget {
  requestsLeft = MAX_REQUESTS_PER_CLIENT;
  /** Nothing more to do: gave up, out of requests, or its token is gone. */
  stopped = false;
  constructor(private readonly maxRetries: number) {}

  /** The check before each attempt: out of requests, the client stops. */
  admits(): boolean {
    if (this.requestsLeft > 0) return true;
    this.stopped = true;
    return false;
  }

  /** The attempt the check admitted is sent: one request fewer. */
  spend(): void {
    this.requestsLeft--;
  }

  /** Whether the answer to attempt `attempt` (0 the first) calls for another one. */
  shouldRetry(response: HttpResponse, attempt: number): boolean {
    return (response === TIMED_OUT || response.status >= 500) && attempt < this.maxRetries;
  }
}

/** `script` with each attempt an http step of its own and each backoff a pause, for drivers
 * that make no attempts (real/driver.ts, the tests); Client (client-node.ts) makes the same. */
export function* withRetries(script: Script<void>, budget: Budget): Script<void> {
  let input = TIMED_OUT;
  for (let next = script.next(input); next.done !== true; next = script.next(input)) {
    const step = next.value;
    switch (step.kind) {
      case 'pause':
        input = yield step;
        break;
      case 'spawn':
        input = yield { kind: 'spawn', script: withRetries(step.script, budget) };
        break;
      case 'http':
        input = TIMED_OUT;
        for (let attempt = 0; budget.admits(); attempt++) {
          if (attempt > 0) yield { kind: 'pause', ms: RETRY_BACKOFF_MS };
          budget.spend();
          input = yield step;
          if (!budget.shouldRetry(input, attempt)) break;
          input = TIMED_OUT;
        }
        break;
      default: {
        const unreachable: never = step;
        throw new Error(`client: unknown step ${JSON.stringify(unreachable)}`);
      }
    }
  }
}
