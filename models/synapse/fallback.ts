import { isHttpError, type Task } from '../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../src/http.js';
import { matrixError, type AuthDict, type FallbackPage } from '../matrix/protocol.js';
import type { SynapseContext } from './context.js';
import { FACTS, resultTag } from './facts.js';
import { checkAuthDict, enabledCheckers, type CheckerStage, type StageVerdict } from './stages/index.js';
import { startSsoUiAuth } from './sso/start.js';
import { queryParam } from './query.js';

export { queryParam } from './query.js';

/** `session=...` from a query string. */
export function sessionFromQuery(query: string): string | undefined {
  return queryParam(query, 'session');
}

/** A form field from the POST body (the model posts forms as objects) or else the query. */
function formField(request: HttpRequest, name: string): unknown {
  const form = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
  return form[name] ?? queryParam(request.query, name);
}

/**
 * `AuthRestServlet` (uia §2.6). Both methods check the session parameter first (400 "No session
 * supplied"), then the stage type (404). GET renders the recaptcha, terms and registration-token
 * forms without looking at the session, and starts SSO (`start_sso_ui_auth`). POST runs the
 * checker through `add_oob_auth` and marks the stage: a LoginError re-renders the form with it
 * (#10561), an unknown session fails at the FK constraint (400), SSO takes no POST (404).
 */
export function* handleFallback(ctx: SynapseContext, request: HttpRequest, stage: string): Task<HttpResponse> {
  const session = sessionFromQuery(request.query);
  // SynapseError(400, "No session supplied"): errcode M_UNKNOWN (uia §2.6).
  if (session === undefined || session === '') return httpResponse(400, matrixError('M_UNKNOWN', 'No session supplied'));
  if (request.method !== 'GET' && request.method !== 'POST') return httpResponse(405, matrixError('M_UNRECOGNIZED', 'Unrecognized request'));
  const get = request.method === 'GET';
  switch (stage) {
    case 'm.login.recaptcha':
    case 'm.login.terms':
      return get ? page('form', stage, session) : yield* postForm(ctx, request, stage, session);
    case 'm.login.registration_token':
      // The token form arrived with the token stage (v1.42, #10142).
      if (!ctx.profile.registrationTokens) break;
      return get ? page('form', stage, session) : yield* postForm(ctx, request, stage, session);
    case 'm.login.sso':
      // SSO in UIA arrived with v1.13 (#7102, uia §5 #5667); before, no such fallback page.
      if (!ctx.profile.ssoUiAuth) break;
      if (get) return yield* startSsoUiAuth(ctx, session);
      return httpResponse(404, matrixError('M_UNKNOWN', 'Fallback SSO auth does not support POST requests.'));
    default:
      break;
  }
  return httpResponse(404, matrixError('M_UNKNOWN', 'Unknown auth stage type'));
}

/** The form POST of recaptcha (`g-recaptcha-response`), terms (nothing) or the registration
 * token (`token`): build the auth dict, then `add_oob_auth`. */
function* postForm(ctx: SynapseContext, request: HttpRequest, stage: CheckerStage, session: string): Task<HttpResponse> {
  let auth: AuthDict = { session };
  if (stage === 'm.login.recaptcha') {
    const response = formField(request, 'g-recaptcha-response');
    // Checked before add_oob_auth runs: 400 "No captcha response supplied".
    if (typeof response !== 'string' || response === '') return httpResponse(400, matrixError('M_UNKNOWN', 'No captcha response supplied'));
    auth = { session, response };
  } else if (stage === 'm.login.registration_token') {
    const token = formField(request, 'token');
    // parse_string(..., required=True).
    if (typeof token !== 'string') return httpResponse(400, matrixError('M_MISSING_PARAM', "Missing string query parameter 'token'"));
    auth = { session, token };
  }
  return yield* addOobAuth(ctx, request, stage, auth, session);
}

/**
 * `add_oob_auth` (uia §2.6): a stage without an enabled checker is LoginError 400 M_INVALID_PARAM
 * (re-rendered on the form, like the checker's own LoginError); otherwise run the checker and
 * mark the stage. From 1.13 an unknown session fails at the FK constraint: 400 (test
 * `test_complete_operation_unknown_session`). In 1.8, `_get_session_info` gives an unknown ID a
 * throwaway session and the page still says it succeeded (uia §2.2, #6705).
 */
function* addOobAuth(ctx: SynapseContext, request: HttpRequest, stage: CheckerStage, auth: AuthDict, session: string): Task<HttpResponse> {
  if (!enabledCheckers(ctx).has(stage)) return page('form', stage, session, `Unknown UIA stage type: ${stage}`);
  let verdict: StageVerdict;
  try {
    verdict = yield* checkAuthDict(ctx, ctx.captchaNode ?? -1, { ...auth, type: stage }, request.ip);
  } catch (error) {
    // A plain SynapseError (the token checker's unknown session): the page is that error.
    if (isHttpError(error)) return httpResponse(error.status, error.body);
    throw error;
  }
  if (!verdict.ok) return page('form', stage, session, verdict.loginError.error);

  if (ctx.profile.unknownSession === 'reject-400') {
    ctx.fact(FACTS.stagePassed, session, stage, [resultTag(verdict.result)]);
    if (!(yield* ctx.store.markStageComplete(session, stage, verdict.result))) {
      return httpResponse(400, matrixError('M_UNKNOWN', `Unknown session ID: ${session}`));
    }
  } else {
    const known = (yield* ctx.store.getSession(session)) !== undefined;
    const target = known ? session : yield* ctx.store.createSession({}, request.path, request.method, '', ctx.nowMs());
    if (!known) ctx.fact(FACTS.sessionCreated, target, `${request.method} ${request.path}`);
    ctx.fact(FACTS.stagePassed, target, stage, [resultTag(verdict.result)]);
    yield* ctx.store.markStageComplete(target, stage, verdict.result);
  }
  return page('success', stage, session);
}

function page(kind: FallbackPage['page'], stage: string, session: string, error?: string): HttpResponse {
  const body: FallbackPage = { page: kind, stage, session, ...(error === undefined ? {} : { error }) };
  return httpResponse(200, body);
}
