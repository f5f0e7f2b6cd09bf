import type { Task } from '../../../src/effects.js';
import type { HttpRequest, HttpResponse } from '../../../src/http.js';
import type { SynapseContext } from '../context.js';
import { completeSsoUiAuth, ssoError } from './complete.js';
import { SAML_SSO_URL, type SamlResponseForm } from './idp.js';
import type { SamlOutstandingRequest } from './saml-state.js';

/** `saml2_config.saml_session_lifetime`: 15 minutes by default. */
export const SAML_SESSION_LIFETIME_MS = 15 * 60 * 1000;

/** A process without its own memory (unit tests): a fresh dict each call. */
function outstanding(ctx: SynapseContext): Map<string, SamlOutstandingRequest> {
  return ctx.samlOutstanding ?? new Map();
}

/**
 * SAML's redirect (#7530, uia §2.6): the AuthnRequest's ID goes into this process's
 * `_outstanding_requests_dict`, in memory. The callback must reach the same process, and the
 * same incarnation: anywhere else it is an unsolicited response.
 */
export function samlRedirect(ctx: SynapseContext, idpId: string, uiAuthSessionId: string): string {
  const requestId = `id-${ctx.rng.letters(20)}`;
  outstanding(ctx).set(requestId, { creationTimeMs: ctx.nowMs(), idpId, uiAuthSessionId });
  return `${SAML_SSO_URL}?request=${encodeURIComponent(requestId)}`;
}

/** `/_synapse/client/saml2/authn_response` (POST): pysaml2 accepts the response only if its
 * `InResponseTo` is outstanding here; then the request is popped and the UIA stage completed. */
export function* handleSamlCallback(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  if (request.method !== 'POST') return ssoError('Unrecognized request');
  const form = request.body as Partial<SamlResponseForm> | null;
  const response = form?.SAMLResponse;
  if (response === undefined || typeof response.inResponseTo !== 'string' || typeof response.subject !== 'string') {
    return ssoError('Missing SAMLResponse');
  }
  const dict = outstanding(ctx);
  const pending = dict.get(response.inResponseTo);
  // expire_sessions: requests older than the session lifetime are forgotten.
  if (pending === undefined || ctx.nowMs() > pending.creationTimeMs + SAML_SESSION_LIFETIME_MS) {
    dict.delete(response.inResponseTo);
    return ssoError('Unexpected SAML2 login.');
  }
  dict.delete(response.inResponseTo);
  return yield* completeSsoUiAuth(ctx, pending.idpId, response.subject, pending.uiAuthSessionId);
}
