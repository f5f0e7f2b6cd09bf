import type { HttpRequest } from '../../src/http.js';
import { fallbackPath } from '../matrix/protocol.js';
import { idpCallback } from '../synapse/sso/idp.js';
import { DEFAULT_CONFIG } from '../synapse/config.js';
import { BROWSER_AGENT, type ClientIdentity, type ThreepidCreds } from './operations.js';
import type { DirectStage, FallbackClientStage } from './workload.js';

/** The registration token the admin gave the users (the first one DEFAULT_CONFIG seeds). */
export const CLIENT_REGISTRATION_TOKEN = DEFAULT_CONFIG.registration.registrationTokens[0]?.token ?? 'letmein';

/** The auth dict that completes a stage directly (uia §1.5): what each type carries. Each dict
 * is built whole, no spreads of a common base: one is built for every stage a client completes. */
export function authDict(stage: DirectStage, session: string | undefined, id: ClientIdentity, password: string, legacyUser: boolean, creds: ThreepidCreds | undefined): Record<string, unknown> {
  switch (stage) {
    case 'm.login.dummy':
    case 'm.login.terms':
      return { type: stage, session };
    case 'm.login.recaptcha':
      return { type: stage, session, response: 'a' };
    case 'm.login.password':
      // uia §1.5: an identifier, or Synapse's legacy top-level `user`.
      return legacyUser ? { type: stage, session, user: id.userId, password } : { type: stage, session, identifier: { type: 'm.id.user', user: id.username }, password };
    case 'm.login.email.identity':
      return { type: stage, session, threepid_creds: creds ?? { sid: '', client_secret: id.clientSecret } };
    case 'm.login.registration_token':
      return { type: stage, session, token: CLIENT_REGISTRATION_TOKEN };
    default: {
      const unreachable: never = stage;
      throw new Error(`client: unknown stage ${String(unreachable)}`);
    }
  }
}

/** What the browser posts on a fallback page's form (uia §2.6): the captcha answer, the terms
 * acceptance, the token. SSO has no form: the page sends the browser to the IdP. */
export function fallbackForm(stage: Exclude<FallbackClientStage, 'm.login.sso'>): Record<string, unknown> {
  switch (stage) {
    case 'm.login.recaptcha':
      return { 'g-recaptcha-response': 'a' };
    case 'm.login.terms':
      return {};
    case 'm.login.registration_token':
      return { token: CLIENT_REGISTRATION_TOKEN };
    default: {
      const unreachable: never = stage;
      throw new Error(`client: no fallback form for ${String(unreachable)}`);
    }
  }
}

export function fallbackRequest(method: 'GET' | 'POST', stage: FallbackClientStage, session: string | undefined, id: ClientIdentity, body: unknown): HttpRequest {
  return { method, path: fallbackPath(stage), query: `session=${encodeURIComponent(session ?? '')}`, body, ip: id.ip, userAgent: BROWSER_AGENT };
}

/** Where the IdP sends the browser back once the user logged in there as themselves (uia §1.4
 * SSO): the SSO fallback page (`sso_auth_confirm.html`) carries the IdP `redirect`; the simulated
 * IdP (models/synapse/sso/idp.ts) answers with the callback for the client's subject. */
export function ssoCallback(body: unknown, id: ClientIdentity): HttpRequest | null {
  if (body === null || typeof body !== 'object') return null;
  const redirect = (body as { redirect?: unknown }).redirect;
  if (typeof redirect !== 'string') return null;
  const callback = idpCallback(redirect, id.externalId);
  if (callback === undefined) return null;
  return { method: callback.method, path: callback.path, query: callback.query, body: callback.body, ip: id.ip, userAgent: BROWSER_AGENT };
}
