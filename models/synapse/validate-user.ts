import type { Task } from '../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../src/http.js';
import { matrixError, MISSING_TOKEN, UNKNOWN_TOKEN, type Flow, type StageType } from '../matrix/protocol.js';
import { accountsCall, externalIdsOf, getUser, tokenInfo } from './accounts.js';
import { checkUiAuth } from './auth.js';
import type { SynapseContext } from './context.js';
import { hasDefect } from './defects.js';

/** The user an access token belongs to (`get_user_by_req`). */
export interface Requester {
  readonly userId: string;
  readonly deviceId: string;
  readonly accessToken: string;
  readonly lastValidatedMs: number;
}

/** `get_user_by_req`: 401 M_MISSING_TOKEN without a token, M_UNKNOWN_TOKEN for one nobody
 * issued (or whose device was deleted, or whose user was deactivated). */
export function* authenticate(ctx: SynapseContext, request: HttpRequest): Task<Requester | HttpResponse> {
  if (request.accessToken === undefined) return httpResponse(MISSING_TOKEN.status, matrixError(MISSING_TOKEN.errcode, MISSING_TOKEN.error));
  const info = yield* tokenInfo(ctx, request.accessToken);
  if (info === undefined) return httpResponse(UNKNOWN_TOKEN.status, matrixError(UNKNOWN_TOKEN.errcode, UNKNOWN_TOKEN.error));
  return { userId: info.userId, deviceId: info.deviceId, accessToken: request.accessToken, lastValidatedMs: info.lastValidatedMs };
}

export function isRequester(value: Requester | HttpResponse): value is Requester {
  return 'userId' in value;
}

export type ValidateOutcome =
  /** UIA passed (or was skipped): the params (the body, or the stored clientdict) and the
   * session (undefined on the skip path), and who authenticated. */
  | {
      readonly kind: 'validated';
      readonly params: Readonly<Record<string, unknown>>;
      readonly sessionId: string | undefined;
      readonly authenticatedUser: string;
    }
  /** An answer for the client: a 401 challenge (`incomplete`), or an error. */
  | { readonly kind: 'respond'; readonly response: HttpResponse; readonly sessionId: string | undefined; readonly incomplete: boolean };

const REQUEST_USER_ID = 'request_user_id';

/** uia §2.5, §2.13: 403 "Invalid auth" with M_UNKNOWN (see the note where it is raised). */
export const INVALID_AUTH_ERRCODE = 'M_UNKNOWN';

/**
 * `AuthHandler.validate_user_via_ui_auth(requester, request, body, description, can_skip_ui_auth)`
 * (uia §2.5), for every endpoint that has an access token.
 */
export function* validateUserViaUiAuth(
  ctx: SynapseContext,
  requester: Requester,
  request: HttpRequest,
  body: Readonly<Record<string, unknown>>,
  description: string,
  canSkipUiAuth: boolean,
): Task<ValidateOutcome> {
  const nowMs = ctx.nowMs();
  // Skip path (uia §2.5, §2.12): only where can_skip, from v1.25 (only device deletion since v1.37);
  // no session is created or touched.
  const timeoutMs = ctx.config.uiAuth.sessionTimeoutMs;
  if (canSkipUiAuth && ctx.profile.sessionTimeout === 'can-skip-endpoints-only' && timeoutMs > 0 && nowMs - requester.lastValidatedMs < timeoutMs) {
    return { kind: 'validated', params: withoutAuth(body), sessionId: undefined, authenticatedUser: requester.userId };
  }

  // uia §2.5, §2.13: the failed-attempt ratelimiter, checked without counting.
  const limit = ctx.failedUiaAttempts.canDoAction(requester.userId, nowMs, false);
  if (!limit.allowed) return { kind: 'respond', response: tooManyRequests(limit.retryAfterMs), sessionId: undefined, incomplete: false };

  const flows = yield* availableFlows(ctx, requester.userId);
  const givenSession = sessionOfBody(body);
  const outcome = yield* checkUiAuth(ctx, flows, request, body, description);

  // get_new_session_data (v1.26+, uia §2.10): request_user_id on a session this request created.
  // Synapse writes it right after the insert; here after the check, before the client can
  // learn the session (it is named only by this response).
  if (ctx.profile.requestUserId && givenSession === undefined && outcome.sessionId !== undefined) {
    yield* ctx.store.setSessionData(outcome.sessionId, REQUEST_USER_ID, requester.userId);
  }

  if (outcome.kind === 'respond') {
    // Only a LoginError that escapes check_ui_auth counts as a failed attempt (`except
    // LoginError: can_do_action(...)`, uia §2.5). A checker's LoginError is merged into the 401
    // inside check_ui_auth (uia §2.4 step 6), so a wrong password never counts [code-reading];
    // what escapes is 1.8-1.26's email re-raise (uia §2.2 step 4, #9263).
    if (outcome.loginErrorEscaped === true) ctx.failedUiaAttempts.canDoAction(requester.userId, nowMs, true);
    const challenge = outcome.response.status === 401 && hasKey(outcome.response.body, 'flows');
    return { kind: 'respond', response: outcome.response, sessionId: outcome.sessionId, incomplete: challenge };
  }

  // The first completed supported type names who authenticated (uia §2.5); a mismatch with the
  // access token's user (SSO as another user stores "") -> 403 Invalid auth (uia §2.13). The
  // errcode is the ref's (M_UNKNOWN); Synapse raises AuthError, whose default errcode is
  // M_FORBIDDEN [code-reading]: INVALID_AUTH_ERRCODE is the one place to change it.
  let authenticatedUser: unknown = undefined;
  for (const flow of flows) {
    const stage = flow.stages[0] as StageType;
    if (outcome.creds.has(stage)) {
      authenticatedUser = outcome.creds.get(stage);
      break;
    }
  }
  // A mutant may skip this comparison (models/synapse/defects.ts); no Synapse version does.
  if (authenticatedUser !== requester.userId && !hasDefect(ctx, 'validate-ignores-user')) {
    return { kind: 'respond', response: httpResponse(403, matrixError(INVALID_AUTH_ERRCODE, 'Invalid auth')), sessionId: outcome.sessionId, incomplete: false };
  }
  // uia §2.5: last_validated = now after every successful UIA (the column exists from v1.25).
  if (ctx.profile.sessionTimeout !== 'unsupported') {
    yield* accountsCall<boolean>(ctx, { op: 'accounts.setLastValidated', accessToken: requester.accessToken, nowMs: ctx.nowMs() });
  }
  // Who the stages proved, not the requester: the operation fact reports it (user-binding).
  return { kind: 'validated', params: outcome.clientdict, sessionId: outcome.sessionId, authenticatedUser: typeof authenticatedUser === 'string' ? authenticatedUser : '' };
}

/**
 * One single-stage flow per type the user may use (uia §2.5 `_get_available_ui_auth_types`):
 * from v1.25 password only if local password re-auth is on and the user has a hash, sso only if
 * it has an external ID; before, every supported type for everyone (password when enabled, sso
 * when an IdP is configured and the version has SSO UIA, v1.13+). Synapse builds a set (order not
 * guaranteed); here password first.
 */
export function* availableFlows(ctx: SynapseContext, userId: string): Task<readonly Flow[]> {
  const { passwordConfig, sso } = ctx.config;
  const passwordForReauth = passwordConfig.enabled !== false && passwordConfig.localdbEnabled;
  const ssoConfigured = ctx.profile.ssoUiAuth && (sso.oidcProviders.length > 0 || sso.samlEnabled);
  let password = passwordForReauth;
  let ssoOffered = ssoConfigured;
  if (ctx.profile.onlyUsableTypes) {
    if (password) password = ((yield* getUser(ctx, userId))?.passwordHash ?? null) !== null;
    if (ssoOffered) ssoOffered = (yield* externalIdsOf(ctx, userId)).length > 0;
  }
  return flowsFor(password, ssoOffered);
}

const FLOWS_CACHE = new Map<string, readonly Flow[]>();

/** Flow arrays are shared per combination (auth.ts caches `params` per flows array). */
function flowsFor(password: boolean, sso: boolean): readonly Flow[] {
  const key = `${password ? 'p' : ''}${sso ? 's' : ''}`;
  let flows = FLOWS_CACHE.get(key);
  if (flows === undefined) {
    const built: Flow[] = [];
    if (password) built.push({ stages: ['m.login.password'] });
    if (sso) built.push({ stages: ['m.login.sso'] });
    flows = built;
    FLOWS_CACHE.set(key, flows);
  }
  return flows;
}

/** uia §2.13: 429 M_LIMIT_EXCEEDED. */
export function tooManyRequests(retryAfterMs: number): HttpResponse {
  return httpResponse(429, { ...matrixError('M_LIMIT_EXCEEDED', 'Too Many Requests'), retry_after_ms: retryAfterMs });
}

export function withoutAuth(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (key !== 'auth') out[key] = body[key];
  return out;
}

function sessionOfBody(body: Readonly<Record<string, unknown>>): string | undefined {
  const auth = body['auth'];
  if (typeof auth !== 'object' || auth === null) return undefined;
  const session = (auth as { session?: unknown }).session;
  return typeof session === 'string' && session !== '' ? session : undefined;
}

function hasKey(body: unknown, key: string): boolean {
  return typeof body === 'object' && body !== null && key in body;
}
