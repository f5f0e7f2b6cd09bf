import type { Task } from '../../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import type { LoginTokenSuccess } from '../../matrix/protocol.js';
import { accountsCall } from '../accounts.js';
import type { SynapseContext } from '../context.js';
import { authenticate, isRequester, validateUserViaUiAuth } from '../validate-user.js';
import { jsonObject, methodNotAllowed, notJson, operationFact, unrecognized } from './common.js';

/** uia §3.1. */
export const LOGIN_TOKEN_DESCRIPTION = 'issue a new access token for your account';

/**
 * `POST /v1/login/get_token` (`LoginTokenRequestServlet`, MSC3882, uia §3.1): registered only when
 * `login_via_existing_session.enabled` (else 404); UIA unless `require_ui_auth: false`, and never
 * skippable (uia §1.5: it must always prompt; uia §2.12).
 */
export function* handleLoginToken(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  const { enabled, requireUiAuth, tokenTimeoutMs } = ctx.config.loginViaExistingSession;
  if (!enabled) return unrecognized(ctx.profile.unrecognizedStatus);
  if (request.method !== 'POST') return methodNotAllowed();
  const requester = yield* authenticate(ctx, request);
  if (!isRequester(requester)) return requester;
  const body = jsonObject(request);
  if (body === undefined) return notJson();
  let sessionId: string | undefined;
  let authenticated = requester.userId;
  if (requireUiAuth) {
    const validated = yield* validateUserViaUiAuth(ctx, requester, request, body, LOGIN_TOKEN_DESCRIPTION, false);
    if (validated.kind === 'respond') return validated.response;
    sessionId = validated.sessionId;
    authenticated = validated.authenticatedUser;
  }
  const loginToken = `syl_${ctx.rng.letters(20)}`;
  yield* accountsCall<boolean>(ctx, { op: 'accounts.addLoginToken', userId: requester.userId, loginToken, expiresAtMs: ctx.nowMs() + tokenTimeoutMs });
  operationFact(ctx, sessionId, request, requester.userId, authenticated);
  const success: LoginTokenSuccess = { login_token: loginToken, expires_in_ms: tokenTimeoutMs };
  return httpResponse(200, success);
}
