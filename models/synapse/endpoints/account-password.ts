import type { Task } from '../../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import { matrixError, type Flow } from '../../matrix/protocol.js';
import { accountsCall, hashPassword } from '../accounts.js';
import { checkUiAuth } from '../auth.js';
import type { SynapseContext } from '../context.js';
import { validateUserViaUiAuth, authenticate, isRequester, type Requester } from '../validate-user.js';
import { jsonObject, methodNotAllowed, missingParams, notJson, operationFact } from './common.js';

/** uia §3.1. */
export const PASSWORD_DESCRIPTION = 'modify your account password';

/** uia §3.1: without an access token, a password reset proves the email address. */
export const PASSWORD_RESET_FLOWS: readonly Flow[] = [{ stages: ['m.login.email.identity'] }];

/** uia §2.10: the serverdict key of the hashed password between requests. */
const PASSWORD_HASH = 'password_hash';

/** Synapse rejects longer passwords before hashing them. */
const MAX_PASSWORD_LENGTH = 512;

interface Authorised {
  readonly userId: string;
  readonly requester: Requester | undefined;
  readonly sessionId: string | undefined;
  readonly params: Readonly<Record<string, unknown>>;
  /** Who the completed stages proved (the operation fact's second tag, user-binding). */
  readonly authenticated: string;
}

/**
 * `POST /account/password` (`PasswordRestServlet`, uia §3.1), on main only. With an access token,
 * `validate_user_via_ui_auth` (never skippable, uia §2.12); without, `check_ui_auth` over
 * `[[m.login.email.identity]]` and the user owning that address. Where the new password waits
 * between requests depends on the profile (`passwordChange`, uia §2.3, §2.10): plaintext in the
 * UIA params (to 1.13), or popped from the body and hashed into the serverdict on a 401 (head),
 * where a final request without `new_password` hits the unbound local of uia §2.12 (500).
 */
export function* handleAccountPassword(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  if (request.method !== 'POST') return methodNotAllowed();
  const raw = jsonObject(request);
  if (raw === undefined) return notJson();
  const hashing = ctx.profile.passwordChange === 'serverdict-hash';
  // 1.93+ pops new_password so the session never stores it (#16272).
  const newPassword = hashing ? raw['new_password'] : undefined;
  const body = hashing ? withoutKey(raw, 'new_password') : raw;
  if (newPassword !== undefined && (typeof newPassword !== 'string' || newPassword.length > MAX_PASSWORD_LENGTH)) {
    return httpResponse(400, matrixError('M_UNKNOWN', 'Invalid password'));
  }
  const offered = typeof newPassword === 'string' && newPassword !== '' ? newPassword : undefined;

  const authorised = yield* authorise(ctx, request, body, offered);
  if (!('userId' in authorised)) return authorised;
  const { userId, requester, sessionId, params, authenticated } = authorised;

  let passwordHash: string | undefined;
  if (!hashing) {
    // To 1.13: `assert_params_in_dict(params, ["new_password"])`, from the stored clientdict
    // when the final body was empty (uia §2.2 step 2, §2.4 step 3).
    const fromParams = params['new_password'];
    if (typeof fromParams !== 'string') return missingParams(['new_password']);
    passwordHash = yield* hashPassword(fromParams);
  } else if (offered !== undefined) {
    // "If we have a password in this request, prefer it."
    passwordHash = yield* hashPassword(offered);
  } else if (sessionId !== undefined) {
    // uia §2.12 [code-reading]: `existing_session_password_hash` is assigned only in the 401
    // branch, so this read raises UnboundLocalError -> 500 (switch passwordChangeUnboundHash).
    if (ctx.profile.passwordChangeUnboundHash) return httpResponse(500, matrixError('M_UNKNOWN', 'Internal server error'));
    const stored = yield* ctx.store.getSessionData(sessionId, PASSWORD_HASH);
    passwordHash = typeof stored === 'string' ? stored : undefined;
  }
  if (passwordHash === undefined) return missingParams(['password']);

  yield* accountsCall<boolean>(ctx, { op: 'accounts.setPasswordHash', userId, passwordHash });
  // `set_password`: logout_devices (default true) deletes every other device and token.
  if (params['logout_devices'] !== false) {
    const devices = yield* accountsCall<readonly string[]>(ctx, { op: 'accounts.listDevices', userId });
    const others = devices.filter((d) => d !== requester?.deviceId);
    yield* accountsCall<readonly string[]>(ctx, { op: 'accounts.deleteDevices', userId, deviceIds: others });
    yield* accountsCall<boolean>(ctx, { op: 'accounts.deleteOtherTokens', userId, keepToken: requester?.accessToken });
  }
  operationFact(ctx, sessionId, request, requester?.userId ?? '', authenticated);
  return httpResponse(200, {});
}

/** UIA for either kind of request; an HttpResponse when the request stops here. */
function* authorise(ctx: SynapseContext, request: HttpRequest, body: Readonly<Record<string, unknown>>, offered: string | undefined): Task<Authorised | HttpResponse> {
  if (request.accessToken !== undefined) {
    const requester = yield* authenticate(ctx, request);
    if (!isRequester(requester)) return requester;
    const validated = yield* validateUserViaUiAuth(ctx, requester, request, body, PASSWORD_DESCRIPTION, false);
    if (validated.kind === 'respond') {
      if (validated.incomplete) yield* rememberHash(ctx, validated.sessionId, offered);
      return validated.response;
    }
    return { userId: requester.userId, requester, sessionId: validated.sessionId, params: validated.params, authenticated: validated.authenticatedUser };
  }
  const outcome = yield* checkUiAuth(ctx, PASSWORD_RESET_FLOWS, request, body, PASSWORD_DESCRIPTION);
  if (outcome.kind === 'respond') {
    if (outcome.response.status === 401) yield* rememberHash(ctx, outcome.sessionId, offered);
    return outcome.response;
  }
  const threepid = outcome.creds.get('m.login.email.identity') as { medium?: unknown; address?: unknown } | undefined;
  if (typeof threepid?.medium !== 'string' || typeof threepid.address !== 'string') {
    return httpResponse(500, matrixError('M_UNKNOWN', 'Malformed threepid'));
  }
  const address = threepid.medium === 'email' ? threepid.address.toLowerCase() : threepid.address;
  const owner = yield* accountsCall<string | undefined>(ctx, { op: 'accounts.userByThreepid', medium: threepid.medium, address });
  if (owner === undefined) return httpResponse(404, matrixError('M_NOT_FOUND', 'Email address not found'));
  return { userId: owner, requester: undefined, sessionId: outcome.sessionId, params: outcome.clientdict, authenticated: owner };
}

/** 1.93+ (uia §2.10): on a 401, hash a password sent now unless the session already has one. */
function* rememberHash(ctx: SynapseContext, sessionId: string | undefined, offered: string | undefined): Task<void> {
  if (ctx.profile.passwordChange !== 'serverdict-hash' || offered === undefined || sessionId === undefined) return;
  const existing = yield* ctx.store.getSessionData(sessionId, PASSWORD_HASH);
  if (typeof existing === 'string' && existing !== '') return;
  yield* ctx.store.setSessionData(sessionId, PASSWORD_HASH, yield* hashPassword(offered));
}

function withoutKey(body: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(body)) if (k !== key) out[k] = body[k];
  return out;
}
