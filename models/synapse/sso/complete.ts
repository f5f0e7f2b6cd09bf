import type { Task } from '../../../src/effects.js';
import { httpResponse, type HttpResponse } from '../../../src/http.js';
import type { FallbackPage } from '../../matrix/protocol.js';
import { accountsCall } from '../accounts.js';
import type { SynapseContext } from '../context.js';
import { FACTS } from '../facts.js';

export const SSO_STAGE = 'm.login.sso';
/** uia §2.10: set by validate_user_via_ui_auth for new sessions (v1.26+, #9081). */
export const REQUEST_USER_ID = 'request_user_id';
/** The bad-user page's text (test_ui_auth_fails_for_incorrect_sso_user, uia §4.1). */
export const UNABLE_TO_VALIDATE = 'We were unable to validate your Matrix account via single sign-on (SSO), because the SSO Identity Provider returned different details than when you logged in.';

/**
 * `SsoHandler.complete_sso_ui_auth_request` (uia §2.6): maps the IdP's subject to a user; marks
 * `m.login.sso` with that user ID when it is the session's `request_user_id`, else with `""`
 * (a mismatch or an unknown remote user; validate_user then answers 403 "Invalid auth", ref
 * 2.5). Before v1.26 (no request_user_id) the mapped user is stored as it is and only
 * validate_user compares it.
 */
export function* completeSsoUiAuth(ctx: SynapseContext, idpId: string, subject: string, sessionId: string): Task<HttpResponse> {
  const userId = yield* accountsCall<string | undefined>(ctx, { op: 'accounts.userByExternalId', externalId: { authProvider: idpId, externalId: subject } });
  const expected = ctx.profile.requestUserId ? yield* ctx.store.getSessionData(sessionId, REQUEST_USER_ID) : userId;
  if (userId !== undefined && userId === expected) {
    ctx.fact(FACTS.stagePassed, sessionId, SSO_STAGE, [userId]);
    if (!(yield* ctx.store.markStageComplete(sessionId, SSO_STAGE, userId))) return unknownSession(sessionId);
    return page({ page: 'success', stage: SSO_STAGE, session: sessionId });
  }
  if (!(yield* ctx.store.markStageComplete(sessionId, SSO_STAGE, ''))) return unknownSession(sessionId);
  return page({ page: 'sso-wrong-user', stage: SSO_STAGE, session: sessionId, error: UNABLE_TO_VALIDATE });
}

/** uia §2.6: the FK constraint fails for a session that is gone (expired meanwhile). */
function unknownSession(sessionId: string): HttpResponse {
  return httpResponse(400, { errcode: 'M_UNKNOWN', error: `Unknown session ID: ${sessionId}` });
}

export function page(body: FallbackPage, status = 200): HttpResponse {
  return httpResponse(status, body);
}

/** `render_error` of the SSO handler: an error page (400), no stage. */
export function ssoError(error: string): HttpResponse {
  return page({ page: 'sso-error', stage: SSO_STAGE, session: '', error }, 400);
}
