/** A process's SAML state, on its own so the process context (context.ts) can hold it without
 * importing the SAML handlers, which import the context. */

/** `Saml2SessionData`: one outstanding AuthnRequest. */
export interface SamlOutstandingRequest {
  readonly creationTimeMs: number;
  readonly idpId: string;
  readonly uiAuthSessionId: string;
}
