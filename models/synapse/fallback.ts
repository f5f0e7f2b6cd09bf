import type { Task } from '../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../src/http.js';
import { FALLBACK_STAGES, matrixError, type FallbackPage, type FallbackStage } from '../matrix/protocol.js';
import { checkStage } from './checkers.js';
import type { SynapseContext } from './context.js';
import { FACTS, resultTag } from './facts.js';

function isFallbackStage(stage: string): stage is FallbackStage {
  return (FALLBACK_STAGES as readonly string[]).includes(stage);
}

/** `session=...` from a query string. */
export function sessionFromQuery(query: string): string | undefined {
  const at = query.startsWith('session=') ? 0 : query.indexOf('&session=') + 1;
  if (at === 0 && !query.startsWith('session=')) return undefined;
  const start = at + 'session='.length;
  const end = query.indexOf('&', start);
  const raw = end < 0 ? query.slice(start) : query.slice(start, end);
  return raw.includes('%') ? decodeURIComponent(raw) : raw;
}

/**
 * `AuthRestServlet` (ref 2.6): GET renders the stage's page without checking the session;
 * POST runs the checker through `add_oob_auth` and marks the stage complete.
 */
export function* handleFallback(ctx: SynapseContext, request: HttpRequest, stage: string): Task<HttpResponse> {
  const session = sessionFromQuery(request.query);
  // SynapseError(400, "No session supplied"): errcode M_UNKNOWN (ref 2.6).
  if (session === undefined || session === '') return httpResponse(400, matrixError('M_UNKNOWN', 'No session supplied'));
  if (!isFallbackStage(stage)) return httpResponse(404, matrixError('M_NOT_FOUND', 'Unknown auth stage type'));

  if (request.method === 'GET') return page('form', stage, session);
  if (request.method !== 'POST') return httpResponse(405, matrixError('M_UNRECOGNIZED', 'Unrecognized request'));

  const form = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
  const response = form['g-recaptcha-response'];
  // 1.8 to HEAD check the form field before add_oob_auth runs: 400 "No captcha response supplied".
  if (stage === 'm.login.recaptcha' && (typeof response !== 'string' || response === '')) {
    return httpResponse(400, matrixError('M_UNKNOWN', 'No captcha response supplied'));
  }
  const verdict = checkStage(stage, typeof response === 'string' ? { response } : {});
  // A LoginError re-renders the form with the error (ref 2.6, #10561).
  if (!verdict.ok) return page('form', stage, session, verdict.error);

  if (ctx.profile.unknownSession === 'reject-400') {
    ctx.fact(FACTS.stagePassed, session, stage, [resultTag(verdict.result)]);
    // ref 2.6: add_oob_auth goes straight to mark_ui_auth_stage_complete; for an unknown session
    // the FK constraint fails -> 400 Unknown session ID (test_complete_operation_unknown_session).
    if (!(yield* ctx.store.markStageComplete(session, stage, verdict.result))) {
      return httpResponse(400, matrixError('M_UNKNOWN', `Unknown session ID: ${session}`));
    }
  } else {
    // ref 2.2: 1.8's add_oob_auth goes through _get_session_info, so for an unknown ID the stage
    // lands in a throwaway session, and the page still says it succeeded (#6705).
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
