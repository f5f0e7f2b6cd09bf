import { isHttpError, type Task } from '../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../src/http.js';
import { matrixError, type AuthDict, type Flow, type UiaChallenge } from '../matrix/protocol.js';
import type { SynapseContext } from './context.js';
import { FACTS, resultTag } from './facts.js';
import { checkAuthDict, paramsFor, type StageVerdict } from './stages/index.js';

export type UiAuthOutcome =
  | { readonly kind: 'complete'; readonly sessionId: string; readonly clientdict: Readonly<Record<string, unknown>>; readonly creds: ReadonlyMap<string, unknown> }
  | {
      readonly kind: 'respond';
      readonly response: HttpResponse;
      readonly sessionId: string | undefined;
      /** A LoginError escaped instead of a 401 with flows (1.8-1.26's email re-raise, uia §2.2
       * step 4, #9263): callers that count failed attempts or store a password hash on a 401
       * see no "incomplete" here. */
      readonly loginErrorEscaped?: boolean;
    };

/** Stages whose LoginError `check_auth` re-raised instead of merging it into the 401 before
 * v1.27 (#9265, uia §2.2 step 4, §2.3): an old Riot workaround for email. */
const RERAISED_STAGE = 'm.login.email.identity';

/**
 * `AuthHandler.check_ui_auth` (uia §2.4; 1.8's `check_auth`, uia §2.2), profile by profile.
 * Every store call is its own round trip under the database store; under the 1.8 memory store
 * none yields, so the whole check is atomic within its process.
 */
export function* checkUiAuth(
  ctx: SynapseContext,
  flows: readonly Flow[],
  request: HttpRequest,
  body: Readonly<Record<string, unknown>>,
  description: string,
): Task<UiAuthOutcome> {
  const { profile, store } = ctx;
  // Step 1: pop `auth`; the rest of the body is the clientdict.
  const rawAuth = body['auth'];
  const clientdict: Record<string, unknown> = {};
  let hasClientdict = false;
  for (const key of Object.keys(body)) {
    if (key === 'auth') continue;
    clientdict[key] = body[key];
    hasClientdict = true;
  }
  const auth: AuthDict = typeof rawAuth === 'object' && rawAuth !== null ? (rawAuth as AuthDict) : {};
  const uri = requestUri(request);
  // uia §2.4 step 2: Synapse tests `if not sid`, so an empty session ID starts a new session too.
  const givenId = typeof auth.session === 'string' && auth.session !== '' ? auth.session : undefined;

  let sessionId: string;
  // The clientdict the operation proceeds with: the body's, or the stored one for an empty body.
  let effectiveClientdict: Readonly<Record<string, unknown>> = clientdict;
  if (givenId === undefined) {
    // Step 2: no session -> a new one.
    sessionId = yield* store.createSession(clientdict, uri, request.method, description, ctx.nowMs());
    ctx.fact(FACTS.sessionCreated, sessionId, `${request.method} ${uri}`);
  } else {
    const session = yield* store.getSession(givenId);
    if (session === undefined) {
      if (profile.unknownSession === 'reject-400') {
        // uia §2.4 step 3, #7268.
        return { kind: 'respond', response: httpResponse(400, matrixError('M_UNKNOWN', `Unknown session ID: ${givenId}`)), sessionId: givenId };
      }
      // uia §2.2: 1.8's _get_session_info silently starts a fresh session under a new ID.
      sessionId = yield* store.createSession(clientdict, uri, request.method, description, ctx.nowMs());
      ctx.fact(FACTS.sessionCreated, sessionId, `${request.method} ${uri}`);
    } else {
      sessionId = givenId;
      if (!hasClientdict) effectiveClientdict = session.clientdict;
      if (profile.bindsOperation && (session.uri !== uri || (profile.bindingComparesMethod && session.method !== request.method))) {
        // uia §2.9: (uri, method) bound at creation; uia §2.3 #7689: v1.13.0-v1.15 stored the
        // URI in `method`, so a change of method alone went through.
        return {
          kind: 'respond',
          response: httpResponse(403, matrixError('M_UNKNOWN', 'Requested operation has changed during the UI authentication session.')),
          sessionId,
        };
      }
      // 1.13+ writes the clientdict unconditionally (last writer wins, uia §2.4 step 3); 1.8
      // replaced it only with a non-empty body (uia §2.2 step 2).
      if (hasClientdict || profile.bindsOperation) {
        yield* store.setClientdict(sessionId, hasClientdict ? clientdict : { ...session.clientdict });
      }
    }
  }

  // Step 4 (v1.20+): remember who used the session.
  if (profile.recordsUserAgentIps) yield* store.addUserAgentIp(sessionId, request.userAgent, request.ip);

  // Step 5: no auth at all -> 401 without `completed`.
  if (rawAuth === undefined || isEmpty(auth)) {
    return { kind: 'respond', response: challenge(ctx, sessionId, flows, undefined, undefined), sessionId };
  }

  // Step 6: run the checker for auth.type (or the login path; a type nobody recognises is a
  // plain 400 thrown from there) and record a truthy result (an upsert). A LoginError is merged
  // into the 401.
  let failure: { errcode: string; error: string } | undefined;
  if (auth.type !== undefined) {
    const stage = String(auth.type);
    let verdict: StageVerdict;
    try {
      verdict = yield* checkAuthDict(ctx, ctx.captchaNode ?? -1, auth, request.ip);
    } catch (error) {
      // A plain SynapseError from the checker or the login path: a bare error, no UIA fields.
      if (isHttpError(error)) return { kind: 'respond', response: httpResponse(error.status, error.body), sessionId };
      throw error;
    }
    if (verdict.ok) {
      if (isTruthy(verdict.result)) {
        ctx.fact(FACTS.stagePassed, sessionId, stage, [resultTag(verdict.result)]);
        yield* store.markStageComplete(sessionId, stage, verdict.result);
      }
    } else if (stage === RERAISED_STAGE && ctx.profile.emailLoginErrorReraised) {
      const { status, errcode, error } = verdict.loginError;
      return { kind: 'respond', response: httpResponse(status, matrixError(errcode, error)), sessionId, loginErrorEscaped: true };
    } else {
      failure = { errcode: verdict.loginError.errcode, error: verdict.loginError.error };
    }
  }

  // Step 7: read the completed stages back; a flow that is a subset completes the operation.
  const creds = yield* store.getCompletedStages(sessionId);
  for (const flow of flows) {
    if (flow.stages.every((stage) => creds.has(stage))) {
      return { kind: 'complete', sessionId, clientdict: effectiveClientdict, creds };
    }
  }
  return { kind: 'respond', response: challenge(ctx, sessionId, flows, [...creds.keys()], failure), sessionId };
}

/** uia §2.4 step 1: the raw request URI, query string included (what a session is bound to). */
export function requestUri(request: HttpRequest): string {
  return request.query === '' ? request.path : `${request.path}?${request.query}`;
}

function isEmpty(o: object): boolean {
  return Object.keys(o).length === 0;
}

/** Python truthiness of a stage result: `""` (an SSO mismatch) or `false` is not stored here. */
function isTruthy(result: unknown): boolean {
  return result !== '' && result !== false && result !== null && result !== undefined && result !== 0;
}

/** `_auth_dict_for_flows`' params, built once per (flows, config) pair (flows are memoised per
 * config by their callers). */
const paramsCache = new WeakMap<readonly Flow[], Readonly<Record<string, unknown>>>();

export function challengeParams(ctx: Pick<SynapseContext, 'config'>, flows: readonly Flow[]): Readonly<Record<string, unknown>> {
  let params = paramsCache.get(flows);
  if (params === undefined) {
    params = paramsFor(ctx.config, flows);
    paramsCache.set(flows, params);
  }
  return params;
}

function challenge(
  ctx: SynapseContext,
  session: string,
  flows: readonly Flow[],
  completed: readonly string[] | undefined,
  failure: { errcode: string; error: string } | undefined,
): HttpResponse {
  const body: UiaChallenge = {
    session,
    flows,
    params: challengeParams(ctx, flows),
    ...(completed === undefined ? {} : { completed }),
    ...(failure === undefined ? {} : failure),
  };
  return httpResponse(401, body);
}
