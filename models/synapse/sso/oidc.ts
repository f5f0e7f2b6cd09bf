import type { Task } from '../../../src/effects.js';
import { queryParam } from '../query.js';
import type { HttpRequest, HttpResponse } from '../../../src/http.js';
import type { SynapseContext } from '../context.js';
import { completeSsoUiAuth, ssoError } from './complete.js';
import { OIDC_AUTHORIZE_URL } from './idp.js';

/** How long the `oidc_session` cookie (and its macaroon) is accepted: 1 hour in Synapse. */
export const OIDC_SESSION_LIFETIME_MS = 60 * 60 * 1000;
/** `macaroon_secret_key`: the same in every process's config, so any process can verify. */
const MACAROON_SECRET = 'uiasim-macaroon-secret';

interface OidcSessionData {
  readonly idpId: string;
  readonly uiAuthSessionId: string;
  readonly issuedAtMs: number;
  readonly nonce: string;
}

/**
 * OIDC's redirect (`handle_redirect_request` with a UIA session, uia §2.6): the UIA session ID
 * travels in a signed, stateless `oidc_session` macaroon, so the callback can land on any
 * process (the router may send it anywhere). The model folds the cookie and the `state` query
 * parameter into one signed state (the browser has no cookie jar for Synapse; the effect is the
 * same: nothing is kept in the process).
 */
export function oidcRedirect(ctx: SynapseContext, idpId: string, uiAuthSessionId: string): string {
  const data: OidcSessionData = { idpId, uiAuthSessionId, issuedAtMs: ctx.nowMs(), nonce: ctx.rng.letters(12) };
  return `${OIDC_AUTHORIZE_URL}?state=${encodeURIComponent(signState(data))}`;
}

/** `/_synapse/client/oidc/callback?state=..&code=..`: verify the state, take the subject the
 * code names, complete the UIA stage (`complete_sso_ui_auth_request`). */
export function* handleOidcCallback(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  const state = queryParam(request.query, 'state');
  const code = queryParam(request.query, 'code');
  if (state === undefined || state === '') return ssoError('State parameter is missing');
  if (code === undefined || code === '') return ssoError('Code parameter is missing');
  const data = verifyState(state);
  if (data === undefined) return ssoError('Invalid session for OIDC callback');
  if (ctx.nowMs() > data.issuedAtMs + OIDC_SESSION_LIFETIME_MS) return ssoError('Invalid session for OIDC callback');
  return yield* completeSsoUiAuth(ctx, data.idpId, code, data.uiAuthSessionId);
}

export function signState(data: OidcSessionData): string {
  const payload = [data.idpId, data.uiAuthSessionId, String(data.issuedAtMs), data.nonce].map(encodeURIComponent).join('.');
  return `${payload}.${mac(payload)}`;
}

export function verifyState(state: string): OidcSessionData | undefined {
  const at = state.lastIndexOf('.');
  if (at < 0) return undefined;
  const payload = state.slice(0, at);
  if (mac(payload) !== state.slice(at + 1)) return undefined;
  const parts = payload.split('.').map(decodeURIComponent);
  if (parts.length !== 4) return undefined;
  const [idpId, uiAuthSessionId, issued, nonce] = parts as [string, string, string, string];
  return { idpId, uiAuthSessionId, issuedAtMs: Number(issued), nonce };
}

/** A keyed FNV-1a over the payload: stands for the macaroon's HMAC (deterministic, not secure). */
function mac(payload: string): string {
  let h = 0x811c9dc5;
  const text = `${MACAROON_SECRET}|${payload}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
