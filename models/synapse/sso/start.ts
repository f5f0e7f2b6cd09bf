import type { Task } from '../../../src/effects.js';
import { httpResponse, type HttpResponse } from '../../../src/http.js';
import { matrixError } from '../../matrix/protocol.js';
import { externalIdsOf } from '../accounts.js';
import type { SynapseContext } from '../context.js';
import { page, REQUEST_USER_ID, SSO_STAGE } from './complete.js';
import { oidcRedirect } from './oidc.js';
import { samlRedirect } from './saml.js';

/**
 * `start_sso_ui_auth` (uia §2.6, the fallback GET for m.login.sso): loads the session (unknown ->
 * 400), its `request_user_id`, picks the user's first IdP (none -> 400), starts the IdP's
 * redirect and renders `sso_auth_confirm.html` with the session's description and the redirect.
 * Before v1.26 there is no request_user_id: the first configured IdP is used.
 */
export function* startSsoUiAuth(ctx: SynapseContext, sessionId: string): Task<HttpResponse> {
  const session = yield* ctx.store.getSession(sessionId);
  if (session === undefined) return httpResponse(400, matrixError('M_UNKNOWN', `Unknown session ID: ${sessionId}`));
  let idpId: string | undefined;
  const configured = ctx.config.sso.oidcProviders.map((p) => p.idpId);
  if (ctx.profile.requestUserId) {
    const userId = yield* ctx.store.getSessionData(sessionId, REQUEST_USER_ID);
    if (typeof userId === 'string') {
      // get_identity_providers_for_user: the user's external IDs at configured providers.
      const ids = yield* externalIdsOf(ctx, userId);
      idpId = ids.find((e) => configured.includes(e.authProvider))?.authProvider;
    }
  } else {
    idpId = configured[0];
  }
  if (idpId === undefined) return httpResponse(400, matrixError('M_UNKNOWN', 'User has no SSO identities'));
  // config.sso.samlEnabled: the IdP is reached over SAML (per-process state, #7530), else OIDC.
  const redirect = ctx.config.sso.samlEnabled ? samlRedirect(ctx, idpId, sessionId) : oidcRedirect(ctx, idpId, sessionId);
  return page({ page: 'sso-confirm', stage: SSO_STAGE, session: sessionId, description: session.description, redirect });
}
