import type { Task } from '../../src/effects.js';
import type { HttpRequest, HttpResponse } from '../../src/http.js';
import {
  ACCOUNT_3PID_EMAIL_REQUEST_TOKEN_PATTERN,
  ACCOUNT_PASSWORD_EMAIL_REQUEST_TOKEN_PATTERN,
  EMAIL_VALIDATE_PATTERN,
  OIDC_CALLBACK_PATTERN,
  REGISTER_EMAIL_REQUEST_TOKEN_PATTERN,
  SAML_CALLBACK_PATTERN,
} from '../matrix/protocol.js';
import type { SynapseContext } from './context.js';
import { handleEmailRequestToken } from './email/request-token.js';
import { handleEmailValidate } from './email/validate.js';
import { handleOidcCallback } from './sso/oidc.js';
import { handleSamlCallback } from './sso/saml.js';

/** A servlet the stages need besides the UIA endpoints: who mounts it and what it runs. */
interface StageServlet {
  readonly pattern: RegExp;
  /** `any`: every process (the SSO callbacks: the router may send them anywhere, uia §2.6);
   * `main`: main only (requestToken and the emailed link are not in any worker list, uia §3.2). */
  readonly on: 'any' | 'main';
  handle(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse>;
}

const SERVLETS: readonly StageServlet[] = [
  { pattern: new RegExp(REGISTER_EMAIL_REQUEST_TOKEN_PATTERN), on: 'main', handle: (ctx, request) => handleEmailRequestToken(ctx, request) },
  { pattern: new RegExp(ACCOUNT_3PID_EMAIL_REQUEST_TOKEN_PATTERN), on: 'main', handle: (ctx, request) => handleEmailRequestToken(ctx, request) },
  { pattern: new RegExp(ACCOUNT_PASSWORD_EMAIL_REQUEST_TOKEN_PATTERN), on: 'main', handle: (ctx, request) => handleEmailRequestToken(ctx, request, 'password-reset') },
  { pattern: new RegExp(EMAIL_VALIDATE_PATTERN), on: 'main', handle: handleEmailValidate },
  { pattern: new RegExp(OIDC_CALLBACK_PATTERN), on: 'any', handle: handleOidcCallback },
  { pattern: new RegExp(SAML_CALLBACK_PATTERN), on: 'any', handle: handleSamlCallback },
];

/** The stage servlet this process mounts for `request`'s path, if any (app.ts routes to it
 * after the UIA servlets). `mountsEverything`: the sticky strategies put everything everywhere. */
export function stageServletFor(
  request: HttpRequest,
  role: 'main' | 'worker',
  mountsEverything: boolean,
): ((ctx: SynapseContext, request: HttpRequest) => Task<HttpResponse>) | undefined {
  for (const servlet of SERVLETS) {
    if (!servlet.pattern.test(request.path)) continue;
    return servlet.on === 'any' || role === 'main' || mountsEverything ? servlet.handle : undefined;
  }
  return undefined;
}
