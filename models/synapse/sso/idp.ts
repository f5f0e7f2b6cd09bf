import type { HttpMethod } from '../../../src/http.js';
import { OIDC_CALLBACK_PATH, SAML_CALLBACK_PATH } from '../../matrix/protocol.js';

/**
 * The identity provider, simulated: the browser follows the confirm page's redirect to it, the
 * user logs in there as `subject`, and the IdP sends the browser back to Synapse's callback. The
 * IdP is no node of its own (its token endpoint and userinfo are not modelled): the callback's
 * OIDC `code` names the subject directly, the SAML response carries it with `InResponseTo`.
 */
export const IDP_ORIGIN = 'https://idp.example';
export const OIDC_AUTHORIZE_URL = `${IDP_ORIGIN}/oauth2/authorize`;
export const SAML_SSO_URL = `${IDP_ORIGIN}/saml2/sso`;

/** The request the browser makes to Synapse once the IdP is done. */
export interface IdpCallback {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query: string;
  readonly body: unknown;
}

/** The SAML response as the model posts it (the signed XML, reduced to what Synapse reads). */
export interface SamlResponseForm {
  readonly SAMLResponse: { readonly inResponseTo: string; readonly subject: string };
}

/** Where the IdP sends the browser after `subject` logged in, given the confirm page's
 * `redirect`; undefined for a URL that is not this IdP's. */
export function idpCallback(redirect: string, subject: string): IdpCallback | undefined {
  const [base, query = ''] = redirect.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  if (base === OIDC_AUTHORIZE_URL) {
    const state = params.get('state') ?? '';
    return { method: 'GET', path: OIDC_CALLBACK_PATH, query: `state=${encodeURIComponent(state)}&code=${encodeURIComponent(subject)}`, body: null };
  }
  if (base === SAML_SSO_URL) {
    const form: SamlResponseForm = { SAMLResponse: { inResponseTo: params.get('request') ?? '', subject } };
    return { method: 'POST', path: SAML_CALLBACK_PATH, query: '', body: form };
  }
  return undefined;
}
