import { httpResponse, type HttpRequest, type HttpResponse } from '../../src/http.js';
import type { Message } from '../../src/message.js';
import type { Sim, SimNode } from '../../src/sim.js';
import { fallbackPath, REGISTER_PATH, type FallbackPage, type UiaChallenge } from '../matrix/protocol.js';
import { actorName, appActor, browserActor, clientIp, clientLabel, type ClientSpec } from './workload.js';

type Via = 'app' | 'browser';
export type ClientStep =
  | { readonly kind: 'http'; readonly via: Via; readonly request: HttpRequest; readonly session: string; readonly what: string; readonly tags: readonly string[] }
  | { readonly kind: 'pause'; readonly ms: number };

/** What the script gets back for a request that timed out. */
export const TIMED_OUT = httpResponse(0, null);
const RETRY_BACKOFF_MS = 1_000;

/** One of a client's two network endpoints; both forward to the same client. */
class Endpoint implements SimNode {
  readonly up = true;
  readonly incarnation = 1;
  /** This endpoint's cookie jar (one cookie is all the router sets); the app and the browser
   * share none. */
  cookie: string | undefined = undefined;
  constructor(
    readonly id: number,
    readonly name: string,
    readonly actor: number,
    private readonly client: RegistrationClient,
  ) {}
  receive(message: Message): void {
    this.client.receive(this, message);
  }
}

/**
 * A client registering an account: its script runs as a generator that yields HTTP requests and
 * pauses; the client records what it sends and receives as `observe` trace events, which the
 * properties check.
 */
export class RegistrationClient {
  readonly app: Endpoint;
  readonly browser: Endpoint;
  private readonly script: Generator<ClientStep, void, HttpResponse>;
  private waiting: { readonly requestId: number; readonly timer: Message | null; readonly step: ClientStep & { kind: 'http' } } | null = null;
  finished = false;

  constructor(
    private readonly sim: Sim,
    readonly index: number,
    readonly spec: ClientSpec,
    private readonly router: number,
    private readonly onFinished: () => void,
  ) {
    const username = `user${clientLabel(index).toLowerCase()}`;
    const ip = clientIp(index);
    this.app = sim.addNode((id) => new Endpoint(id, actorName(appActor(index)), appActor(index), this));
    this.browser = sim.addNode((id) => new Endpoint(id, actorName(browserActor(index)), browserActor(index), this));
    this.script = clientScript(spec, username, ip);
  }

  start(): void {
    this.advance(httpResponse(0, null));
  }

  receive(endpoint: Endpoint, message: Message): void {
    const waiting = this.waiting;
    if (message.kind === 'timer') {
      if (message.payload === 'pause') this.advance(TIMED_OUT);
      else if (waiting !== null && message.payload === waiting.requestId) this.answer(endpoint, waiting.requestId, TIMED_OUT);
      return;
    }
    if (message.kind === 'reset') {
      // Connection refused or cut (a partition between the client and the router): to the
      // client it is a failed attempt, like a timeout.
      if (waiting === null || message.replyTo !== waiting.requestId) return;
      if (waiting.timer !== null) this.sim.cancel(waiting.timer);
      this.answer(endpoint, waiting.requestId, TIMED_OUT);
      return;
    }
    if (message.kind !== 'response') throw new Error(`client ${endpoint.name} got a ${message.kind}; clients only get responses, resets and timers`);
    // A late response to a request the client already gave up on is never seen by it.
    if (waiting === null || message.replyTo !== waiting.requestId) return;
    if (waiting.timer !== null) this.sim.cancel(waiting.timer);
    const setCookie = message.payload.setCookie;
    if (setCookie !== undefined) endpoint.cookie = setCookie.split(';')[0];
    this.answer(endpoint, waiting.requestId, message.payload);
  }

  private answer(endpoint: Endpoint, requestId: number, response: HttpResponse): void {
    this.waiting = null;
    if (response !== TIMED_OUT) observeResponse(this.sim, endpoint.actor, requestId, response);
    this.advance(response);
  }

  private advance(input: HttpResponse): void {
    const next = this.script.next(input);
    if (next.done === true) {
      this.finished = true;
      this.onFinished();
      return;
    }
    const step = next.value;
    if (step.kind === 'pause') {
      this.sim.setTimer(this.app, step.ms, this.app.actor, 'pause');
      return;
    }
    const endpoint = step.via === 'app' ? this.app : this.browser;
    const payload = endpoint.cookie === undefined ? step.request : { ...step.request, cookie: endpoint.cookie };
    const request = this.sim.send('request', endpoint.id, this.router, endpoint.actor, -1, -1, payload);
    this.sim.trace.observe(this.sim.nowMs, endpoint.actor, request.id, 'sent', 0, -1, step.session, step.what, step.tags);
    const timer = this.sim.setTimer(endpoint, this.spec.requestTimeoutMs, endpoint.actor, request.id);
    this.waiting = { requestId: request.id, timer, step };
  }
}

/** Records a response as the generic observation the properties read: `key` is the session the
 * response names, `detail` its errcode or page, `tags` the stages it shows. */
function observeResponse(sim: Sim, actor: number, requestId: number, response: HttpResponse): void {
  const body = response.body as Partial<UiaChallenge & FallbackPage & { errcode: string; error: string; user_id: string }> | null;
  let key = '';
  let detail = '';
  let tags: readonly string[] = NO_TAGS;
  if (body !== null && typeof body === 'object') {
    if (typeof body.page === 'string') {
      key = body.session ?? '';
      detail = `page:${body.page}`;
      tags = body.page === 'success' && typeof body.stage === 'string' ? [body.stage] : NO_TAGS;
    } else if (response.status === 401) {
      key = body.session ?? '';
      detail = body.errcode ?? '';
      tags = body.completed ?? NO_TAGS;
    } else if (typeof body.user_id === 'string') {
      detail = body.user_id;
    } else if (typeof body.errcode === 'string') {
      // Errors keep their message: M_UNKNOWN alone does not say "unknown session".
      detail = `${body.errcode}: ${body.error ?? ''}`;
    }
  }
  sim.trace.observe(sim.nowMs, actor, requestId, 'received', response.status, response.servedBy, key, detail, tags);
}

const NO_TAGS: readonly string[] = [];

/** ref 2.4 step 3: 400 "Unknown session ID: <sid>" (errcode M_UNKNOWN, shared with other 400s). */
export const UNKNOWN_SESSION_DETAIL = 'M_UNKNOWN: Unknown session ID';

function isUnknownSession(body: { errcode?: string; error?: string }): boolean {
  return body.errcode === 'M_UNKNOWN' && typeof body.error === 'string' && body.error.startsWith('Unknown session ID');
}

const APP_AGENT = 'nheko/0.7';
const BROWSER_AGENT = 'Mozilla/5.0';
const CAPTCHA_FORM = { 'g-recaptcha-response': 'a' };
const EMPTY_FORM = {};

/**
 * The client's behaviour: runs its actions against its current session. Actions that need a
 * session are skipped while it has none. It adopts the session a 401 names when it has none
 * (or always, when `adoptsNewSession`), forgets a session the server calls unknown, retries
 * timeouts and 5xx answers, and stops once registered.
 */
export function* clientScript(spec: ClientSpec, username: string, ip: string): Generator<ClientStep, void, HttpResponse> {
  let session: string | undefined;
  let first = true;
  for (const action of spec.actions) {
    if (action.kind !== 'start' && action.kind !== 'pause' && session === undefined) continue;
    if (!first && spec.thinkMs > 0) yield { kind: 'pause', ms: spec.thinkMs };
    first = false;

    let via: Via = 'app';
    let request: HttpRequest;
    let what = 'POST /register';
    let tags = NO_TAGS;
    switch (action.kind) {
      case 'pause':
        yield action;
        continue;
      case 'start':
        session = undefined;
        request = { method: 'POST', path: REGISTER_PATH, query: '', body: { username, password: 'correct horse' }, ip, userAgent: APP_AGENT };
        break;
      case 'direct': {
        const auth = action.stage === 'm.login.recaptcha' ? { type: action.stage, session, response: 'a' } : { type: action.stage, session };
        request = { method: 'POST', path: REGISTER_PATH, query: '', body: { auth }, ip, userAgent: APP_AGENT };
        tags = [action.stage];
        break;
      }
      case 'resubmit':
        request = { method: 'POST', path: REGISTER_PATH, query: '', body: { auth: { session } }, ip, userAgent: APP_AGENT };
        break;
      case 'fallback': {
        via = 'browser';
        const path = fallbackPath(action.stage);
        const query = `session=${encodeURIComponent(session ?? '')}`;
        if (action.loadsPage) {
          const page: HttpRequest = { method: 'GET', path, query, body: null, ip, userAgent: BROWSER_AGENT };
          yield* send(spec, via, page, session, `GET fallback ${action.stage}`, NO_TAGS);
        }
        const form = action.stage === 'm.login.recaptcha' ? CAPTCHA_FORM : EMPTY_FORM;
        request = { method: 'POST', path, query, body: form, ip, userAgent: BROWSER_AGENT };
        what = `POST fallback ${action.stage}`;
        tags = [action.stage];
        break;
      }
      default: {
        const unreachable: never = action;
        throw new Error(`client: unknown action ${JSON.stringify(unreachable)}`);
      }
    }
    const response = yield* send(spec, via, request, session, what, tags);
    if (via === 'browser') continue;
    // The app's reaction to a /register answer.
    if (response.status === 200) return;
    const body = response.body as Partial<UiaChallenge> & { errcode?: string };
    if (response.status === 401 && typeof body.session === 'string') {
      if (session === undefined || spec.adoptsNewSession) session = body.session;
    } else if (response.status === 400 && isUnknownSession(body)) {
      session = undefined;
    }
  }
}

/** Sends one request, retrying timeouts and 5xx answers (the router never retries a POST). */
function* send(
  spec: ClientSpec,
  via: Via,
  request: HttpRequest,
  session: string | undefined,
  what: string,
  tags: readonly string[],
): Generator<ClientStep, HttpResponse, HttpResponse> {
  let response = TIMED_OUT;
  for (let attempt = 0; attempt <= spec.retries; attempt++) {
    if (attempt > 0) yield { kind: 'pause', ms: RETRY_BACKOFF_MS };
    response = yield { kind: 'http', via, request, session: session ?? '', what, tags };
    if (response !== TIMED_OUT && response.status < 500) return response;
  }
  return response;
}
