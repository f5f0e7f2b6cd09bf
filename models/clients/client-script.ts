import type { HttpRequest, HttpResponse } from '../../src/http.js';
import { Budget, emailLink, emailTokenRequest, firstKeyUpload, identityOf, NEW_PASSWORD, operationLine, operationRequest, TIMED_OUT, withRetries, type ClientIdentity, type ClientStep, type HttpStep, type Script, type ThreepidCreds } from './operations.js';
import { authDict, fallbackForm, fallbackRequest, ssoCallback } from './stage-auth.js';
import { operationOf, otherUserOf, type ClientAction, type ClientSpec, type ClientStage, type FallbackClientStage, type Operation } from './workload.js';

const NO_TAGS: readonly string[] = [];
/** No stage completed (never mutated: `completed` is replaced, not changed). */
const NONE: ReadonlySet<string> = new Set();

/** uia §2.4 step 3: 400 "Unknown session ID: <sid>" (errcode M_UNKNOWN, shared with other 400s). */
export const UNKNOWN_SESSION_DETAIL = 'M_UNKNOWN: Unknown session ID';

function isUnknownSession(body: { errcode?: string; error?: string }): boolean {
  return body.errcode === 'M_UNKNOWN' && typeof body.error === 'string' && body.error.startsWith('Unknown session ID');
}

/** How a persistent client finishes: its rounds, and the pause before each (longer than any
 * generated downtime, so rounds begun after the last fault heals are a fair test of liveness; the
 * checker asks for two of them, properties/checkers/liveness.ts ROUNDS_AFTER_HEAL). */
export const PERSISTENT_ROUNDS = 3;
export const PERSISTENT_PAUSE_MS = 20_000;

/** Stages a persistent client completes on the fallback page, as nheko does; the others it
 * completes directly once every fallback stage of its flow is listed. */
const PERSISTENT_FALLBACK: readonly string[] = ['m.login.recaptcha', 'm.login.terms', 'm.login.sso'];

/** What a client knows, shared by its lanes. */
interface State {
  session: string | undefined;
  /** The stages the last 401 about the current session listed. */
  completed: ReadonlySet<string>;
  /** The flows the last 401 offered (uia §1.2). */
  flows: readonly (readonly string[])[];
  creds: ThreepidCreds | undefined;
  emailAttempts: number;
  keysUploaded: boolean;
  /** The password the user types: after a password change whose answer was lost, the old one
   * is refused and the user tries the new one (and back). */
  password: string;
}

/** The client's behaviour with every attempt a step of its own, for drivers that make none
 * (real/driver.ts, the tests): see clientBehaviour. */
export function clientScript(spec: ClientSpec, username: string, ip: string): Script<void> {
  const budget = new Budget(spec.retries);
  return withRetries(clientBehaviour(spec, username, ip, budget), budget);
}

/**
 * The client's behaviour (docs/architecture.md "Clients"): runs its actions against its current session.
 * Actions that need a session are skipped while it has none. It adopts the session a 401 names
 * when it has none (or always, when `adoptsNewSession`, as nheko does), forgets a session the
 * server calls unknown or refuses (403), retries timeouts and 5xx answers (Budget), and stops
 * once its operation succeeded, when it abandons, when its token is refused, or after a bounded
 * number of requests. It yields one http step per request and gets its last attempt's answer
 * (Budget); `perform` yields the operation's request itself, not through a nested generator,
 * since every level of `yield*` is paid again on every step.
 */
export function* clientBehaviour(spec: ClientSpec, username: string, ip: string, budget: Budget): Script<void> {
  const id = identityOf(username, ip);
  const operation = operationOf(spec);
  const line = operationLine(operation, id);
  const state: State = { session: undefined, completed: NONE, flows: [], creds: undefined, emailAttempts: 0, keysUploaded: false, password: id.password };
  // No thinking before the first action, nor right after handing work to another tab.
  let thinks = false;

  /** Asks for a validation email and clicks its link in the browser (uia §1.5); neither is
   * about a UIA session, and the page shows no stage (uia §5 #7512). */
  function* validateEmail(): Script<void> {
    state.emailAttempts++;
    const answer = yield http('app', emailTokenRequest(operation, id, state.emailAttempts), undefined, 'POST email requestToken', NO_TAGS);
    const body = answer.body as { sid?: unknown; 'x-email-token'?: unknown } | null;
    if (answer.status !== 200 || body === null || typeof body.sid !== 'string' || typeof body['x-email-token'] !== 'string') return;
    const page = yield http('browser', emailLink(id, body.sid, body['x-email-token']), undefined, 'GET email validate', NO_TAGS);
    if (page.status === 200) state.creds = { sid: body.sid, client_secret: id.clientSecret };
  }

  /** Performs one action; true once the operation succeeded. */
  function* perform(action: ClientAction): Script<boolean> {
    if (budget.stopped) return false;
    if (action.kind !== 'start' && action.kind !== 'pause' && action.kind !== 'email' && action.kind !== 'abandon' && state.session === undefined) return false;
    // uia §2.9: another operation with this session is the very same operation only by mistake.
    if (action.kind === 'wrong-operation' && action.operation === operation) return false;
    if (thinks && spec.thinkMs > 0) yield { kind: 'pause', ms: spec.thinkMs };
    thinks = true;
    // start, direct and resubmit send the operation's request with this auth, after the switch.
    let auth: Record<string, unknown> | undefined;
    let tags = NO_TAGS;
    switch (action.kind) {
      case 'pause':
        yield action;
        return false;
      case 'abandon':
        if (spec.persistent !== true) budget.stopped = true;
        return false;
      case 'email':
        yield* validateEmail();
        return false;
      case 'start':
        state.session = undefined;
        state.completed = NONE;
        break;
      case 'direct':
        if (action.stage === 'm.login.email.identity' && state.creds === undefined) yield* validateEmail();
        auth = authDict(action.stage, state.session, id, state.password, action.legacyUser === true, state.creds);
        tags = [action.stage];
        break;
      case 'resubmit':
        if (action.concurrent === true) {
          // A second tab of the app resubmits while this one goes on: two requests of one
          // session in flight at once; the other tab's answer does not change this one.
          yield { kind: 'spawn', script: sendOnly(http('app', operationRequest(operation, id, { session: state.session }, state.creds), state.session, line, NO_TAGS)) };
          thinks = false;
          return false;
        }
        auth = { session: state.session };
        break;
      case 'fallback': {
        const script = fallbackScript(action.stage, action.loadsPage, state.session);
        if (action.concurrent === true) {
          // The app goes on while the browser works on the stage (a user who does not wait).
          yield { kind: 'spawn', script };
          thinks = false;
          return false;
        }
        yield* script;
        return false;
      }
      case 'wrong-operation': {
        // docs/synapse-uia.md#ref-2.9: open the other operation (its own session), then send it
        // with this one's. Answers are ignored: this client's session and stages stay as they were.
        const other = operationLine(action.operation, id);
        yield http('app', operationRequest(action.operation, id, undefined, state.creds), undefined, other, NO_TAGS);
        yield http('app', operationRequest(action.operation, id, { session: state.session }, state.creds), state.session, other, NO_TAGS);
        return false;
      }
      case 'other-user': {
        // docs/synapse-uia.md#ref-2.5: this operation, this session, the second account's token.
        const other = identityOf(otherUserOf(username), ip);
        yield http('app', operationRequest(operation, other, { session: state.session }, state.creds), state.session, operationLine(operation, other), NO_TAGS);
        return false;
      }
      default: {
        const unreachable: never = action;
        throw new Error(`client: unknown action ${JSON.stringify(unreachable)}`);
      }
    }
    // The operation's request, and the app's reaction to its answer.
    if (operation === 'cross-signing' && !state.keysUploaded) {
      const first = yield http('app', firstKeyUpload(id), undefined, 'POST /keys/device_signing/upload (first keys)', NO_TAGS);
      // 200: the first upload is exempt (MSC3967, head); 401: this version prompts for every
      // upload (1.8 to 1.13), so the keys are as good as new: go on with the reset.
      if (first.status === 200 || first.status === 401) state.keysUploaded = true;
    }
    if (operation === '3pid-add' && state.creds === undefined) yield* validateEmail();
    if (budget.stopped) return false;
    const response = yield http('app', operationRequest(operation, id, auth, state.creds), state.session, line, tags);
    const refused = response.status === 401 && (response.body as { errcode?: unknown } | null)?.errcode === 'M_FORBIDDEN';
    if (operation === 'password' && tags.includes('m.login.password') && refused) state.password = state.password === id.password ? NEW_PASSWORD : id.password;
    return react(state, budget, spec, response);
  }

  /** A stage on the fallback page in the browser (uia §1.4, §2.6): load the page, post the form;
   * for SSO, load the page and come back through the IdP's callback. */
  function* fallbackScript(stage: FallbackClientStage, loadsPage: boolean, session: string | undefined): Script<void> {
    const what = `fallback ${stage}`;
    if (stage === 'm.login.sso') {
      const page = yield http('browser', fallbackRequest('GET', stage, session, id, null), session, `GET ${what}`, NO_TAGS);
      const callback = page.status === 200 ? ssoCallback(page.body, id) : null;
      if (callback !== null) yield http('browser', callback, session, `${callback.method} sso callback`, [stage]);
      return;
    }
    if (loadsPage) yield http('browser', fallbackRequest('GET', stage, session, id, null), session, `GET ${what}`, NO_TAGS);
    yield http('browser', fallbackRequest('POST', stage, session, id, fallbackForm(stage)), session, `POST ${what}`, [stage]);
  }

  let succeeded = false;
  for (const action of spec.actions) {
    // uia §2.4: a finished session is not deleted, it stays until expiry; after its operation
    // succeeded a session-reuse client still replays it (its adversarial steps only).
    if (succeeded && action.kind !== 'wrong-operation' && action.kind !== 'other-user') continue;
    if (yield* perform(action)) succeeded = true;
  }
  if (succeeded || spec.persistent !== true) return;
  // A client that follows the protocol to the end: after its own steps it completes the first
  // flow the server offers (uia §1.1): captcha, terms and SSO on the fallback page, as nheko
  // does, each followed by a resubmit that shows what is completed, and the direct stages once
  // those are listed. It starts over when its session is gone, for a bounded number of rounds.
  for (let round = 0; round < PERSISTENT_ROUNDS && !budget.stopped; round++) {
    yield { kind: 'pause', ms: PERSISTENT_PAUSE_MS, round: true };
    if (state.session === undefined && (yield* perform({ kind: 'start' }))) return;
    const flow = state.flows[0] ?? [];
    for (const stage of flow) {
      if (state.completed.has(stage) || !PERSISTENT_FALLBACK.includes(stage)) continue;
      if (yield* perform({ kind: 'fallback', stage: stage as FallbackClientStage, loadsPage: true })) return;
      if (yield* perform({ kind: 'resubmit' })) return;
    }
    if (!flow.every((stage) => state.completed.has(stage) || !PERSISTENT_FALLBACK.includes(stage))) continue;
    for (const stage of flow) {
      if (state.completed.has(stage) || PERSISTENT_FALLBACK.includes(stage)) continue;
      // The password stage with the legacy `user`, which every version accepts (uia §1.5; 1.8
      // knows no identifier dicts), as the clients of that time sent it.
      if (yield* perform({ kind: 'direct', stage: stage as Exclude<ClientStage, 'm.login.sso'>, legacyUser: true })) return;
    }
  }
}

/** One request (its attempts are the driver's, Budget). */
function http(via: HttpStep['via'], request: HttpRequest, session: string | undefined, what: string, tags: readonly string[]): HttpStep {
  return { kind: 'http', via, request, session: session ?? '', what, tags };
}

/** A second app tab's single request. */
function* sendOnly(step: HttpStep): Script<void> {
  yield step;
}

/** A 401 about the access token, not the UIA session (uia §2.13): the client cannot go on. A
 * bare 401 of another kind (1.8-1.26 re-raised the email stage's LoginError, uia §2.2 step 4)
 * leaves the session as it was. */
export function isTokenRefused(body: { errcode?: string }): boolean {
  return body.errcode === 'M_UNKNOWN_TOKEN' || body.errcode === 'M_MISSING_TOKEN';
}

/** The app's reaction to its operation's answer; true once the operation succeeded. */
function react(state: State, budget: Budget, spec: ClientSpec, response: HttpResponse): boolean {
  if (response.status >= 200 && response.status < 300) return true;
  const body = (response.body ?? {}) as { session?: unknown; completed?: unknown; flows?: unknown; errcode?: string; error?: string };
  if (response.status === 401 && typeof body.session === 'string') {
    if (state.session === undefined || spec.adoptsNewSession) state.session = body.session;
    if (body.session === state.session) {
      state.completed = new Set(Array.isArray(body.completed) ? (body.completed as string[]) : []);
      if (Array.isArray(body.flows)) state.flows = (body.flows as { stages?: unknown }[]).map((f) => (Array.isArray(f.stages) ? (f.stages as string[]) : []));
    }
  } else if (response.status === 401 && isTokenRefused(body)) {
    // Not a UIA answer: the access token is gone (a deactivated account, a logout).
    budget.stopped = true;
  } else if ((response.status === 400 && isUnknownSession(body)) || response.status === 403) {
    // uia §2.4 step 3: unknown session; 403 operation changed (uia §2.9) or Invalid auth (2.5).
    state.session = undefined;
    state.completed = NONE;
  }
  return false;
}

export { TIMED_OUT, type ClientIdentity, type ClientStep };
