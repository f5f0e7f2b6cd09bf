import { httpResponse, type HttpMethod, type HttpRequest, type HttpResponse } from '../../src/http.js';
import type { Message } from '../../src/message.js';
import type { Sim, SimNode } from '../../src/sim.js';
import { fallbackPath, REGISTER_PATH, type FallbackPage, type UiaChallenge } from '../matrix/protocol.js';
import { appActor, browserActor, type ClientAction, type ClientSpec } from './workload.js';

type Via = 'app' | 'browser';
type ClientStep =
  | { readonly kind: 'http'; readonly via: Via; readonly request: HttpRequest; readonly session: string; readonly what: string; readonly tags: readonly string[] }
  | { readonly kind: 'pause'; readonly ms: number };

/** What the script gets back for a request that timed out. */
const TIMED_OUT = httpResponse(0, null);
const RETRY_BACKOFF_MS = 1_000;

/** One of a client's two network endpoints; both forward to the same client. */
class Endpoint implements SimNode {
  readonly up = true;
  readonly incarnation = 1;
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
    const username = `user${String.fromCharCode(97 + index)}`;
    const ip = `198.51.100.${10 + index}`;
    this.app = sim.addNode((id) => new Endpoint(id, `app ${String.fromCharCode(65 + index)}`, appActor(index), this));
    this.browser = sim.addNode((id) => new Endpoint(id, `browser ${String.fromCharCode(65 + index)}`, browserActor(index), this));
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
    if (message.kind !== 'response') throw new Error(`client ${endpoint.name} got a ${message.kind}; clients only get responses and timers`);
    // A late response to a request the client already gave up on is never seen by it.
    if (waiting === null || message.replyTo !== waiting.requestId) return;
    if (waiting.timer !== null) this.sim.cancel(waiting.timer);
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
    const request = this.sim.send('request', endpoint.id, this.router, endpoint.actor, -1, -1, step.request);
    this.sim.trace.observe(this.sim.nowMs, endpoint.actor, request.id, 'sent', 0, -1, step.session, step.what, step.tags);
    const timer = this.sim.setTimer(endpoint, this.spec.requestTimeoutMs, endpoint.actor, request.id);
    this.waiting = { requestId: request.id, timer, step };
  }
}

/** Records a response as the generic observation the properties read: `key` is the session the
 * response names, `detail` its errcode or page, `tags` the stages it shows. */
function observeResponse(sim: Sim, actor: number, requestId: number, response: HttpResponse): void {
  const body = response.body as Partial<UiaChallenge & FallbackPage & { errcode: string; user_id: string }> | null;
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
    } else {
      detail = body.errcode ?? '';
    }
  }
  sim.trace.observe(sim.nowMs, actor, requestId, 'received', response.status, response.servedBy, key, detail, tags);
}

const NO_TAGS: readonly string[] = [];

function* clientScript(spec: ClientSpec, username: string, ip: string): Generator<ClientStep, void, HttpResponse> {
  let session: string | undefined;
  const request = (via: Via, method: HttpMethod, path: string, query: string, body: unknown): HttpRequest => ({
    method,
    path,
    query,
    body,
    ip,
    userAgent: via === 'app' ? 'nheko/0.7' : 'Mozilla/5.0',
  });

  /** Sends one request, retrying timeouts and 5xx answers (a POST the router never retried). */
  function* send(via: Via, req: HttpRequest, what: string, tags: readonly string[]): Generator<ClientStep, HttpResponse, HttpResponse> {
    let response = TIMED_OUT;
    for (let attempt = 0; attempt <= spec.retries; attempt++) {
      if (attempt > 0) yield { kind: 'pause', ms: RETRY_BACKOFF_MS };
      response = yield { kind: 'http', via, request: req, session: session ?? '', what, tags };
      if (response !== TIMED_OUT && response.status < 500) return response;
    }
    return response;
  }

  /** The client's reaction to a /register answer; true once registered. */
  function react(response: HttpResponse): boolean {
    const body = response.body as Partial<UiaChallenge> & { errcode?: string };
    if (response.status === 200) return true;
    if (response.status === 401 && typeof body.session === 'string') {
      if (session === undefined || spec.adoptsNewSession) session = body.session;
    } else if (response.status === 400 && body.errcode === 'M_UNKNOWN') {
      session = undefined;
    }
    return false;
  }

  let first = true;
  for (const action of spec.actions) {
    const step = planStep(action, session);
    if (step === null) continue;
    if (!first && spec.thinkMs > 0) yield { kind: 'pause', ms: spec.thinkMs };
    first = false;
    if (step.kind === 'pause') {
      yield step;
      continue;
    }
    if (step.kind === 'register') {
      if (action.kind === 'start') session = undefined;
      const response = yield* send('app', request('app', 'POST', REGISTER_PATH, '', step.body(session, username)), 'POST /register', step.tags);
      if (react(response)) return;
      continue;
    }
    const query = `session=${encodeURIComponent(session ?? '')}`;
    const path = fallbackPath(step.stage);
    if (step.loadsPage) yield* send('browser', request('browser', 'GET', path, query, null), `GET fallback ${step.stage}`, NO_TAGS);
    const form = step.stage === 'm.login.recaptcha' ? { 'g-recaptcha-response': 'a' } : {};
    yield* send('browser', request('browser', 'POST', path, query, form), `POST fallback ${step.stage}`, [step.stage]);
  }
}

type PlannedStep =
  | { readonly kind: 'pause'; readonly ms: number }
  | { readonly kind: 'register'; readonly tags: readonly string[]; body(session: string | undefined, username: string): unknown }
  | { readonly kind: 'fallback'; readonly stage: string; readonly loadsPage: boolean };

/** What an action turns into given the current session; null when it needs a session and there
 * is none (the client has nothing to continue). */
function planStep(action: ClientAction, session: string | undefined): PlannedStep | null {
  switch (action.kind) {
    case 'start':
      return { kind: 'register', tags: NO_TAGS, body: (_s, username) => ({ username, password: 'correct horse' }) };
    case 'direct':
      if (session === undefined) return null;
      return {
        kind: 'register',
        tags: [action.stage],
        body: (s) => ({ auth: { type: action.stage, session: s, ...(action.stage === 'm.login.recaptcha' ? { response: 'a' } : {}) } }),
      };
    case 'resubmit':
      if (session === undefined) return null;
      return { kind: 'register', tags: NO_TAGS, body: (s) => ({ auth: { session: s } }) };
    case 'fallback':
      if (session === undefined) return null;
      return { kind: 'fallback', stage: action.stage, loadsPage: action.loadsPage };
    case 'pause':
      return { kind: 'pause', ms: action.ms };
    default: {
      const unreachable: never = action;
      throw new Error(`client: unknown action ${JSON.stringify(unreachable)}`);
    }
  }
}
