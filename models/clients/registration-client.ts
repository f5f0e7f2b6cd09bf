import { httpResponse, type HttpRequest, type HttpResponse } from '../../src/http.js';
import type { Message } from '../../src/message.js';
import type { Sim, SimNode } from '../../src/sim.js';
import { FALLBACK_STAGES, fallbackPath, REGISTER_PATH, type FallbackPage, type UiaChallenge } from '../matrix/protocol.js';
import { actorName, appActor, browserActor, clientIp, clientLabel, type ClientAction, type ClientSpec } from './workload.js';

type Via = 'app' | 'browser';
export type ClientStep =
  | { readonly kind: 'http'; readonly via: Via; readonly request: HttpRequest; readonly session: string; readonly what: string; readonly tags: readonly string[] }
  | { readonly kind: 'pause'; readonly ms: number }
  /** Starts a script in the browser that runs alongside the app's next requests. */
  | { readonly kind: 'spawn'; readonly script: Generator<ClientStep, void, HttpResponse> };

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
  private readonly main: Lane;
  /** Fallbacks the app left running in the browser while it goes on (a second tab). */
  private browserLane: Lane | null = null;
  private readonly browserQueue: LaneScript[] = [];
  /** Request id -> the lane waiting for it and its timeout timer. */
  private readonly inFlight = new Map<number, { readonly lane: Lane; readonly timer: Message }>();
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
    this.main = { script: clientScript(spec, username, ip), done: false };
  }

  start(): void {
    this.advance(this.main, TIMED_OUT);
  }

  receive(endpoint: Endpoint, message: Message): void {
    if (message.kind === 'timer') {
      const payload = message.payload as TimerPayload;
      if (payload.kind === 'pause') {
        this.advance(payload.lane, TIMED_OUT);
        return;
      }
      const waiting = this.inFlight.get(payload.requestId);
      if (waiting === undefined) return;
      this.inFlight.delete(payload.requestId);
      this.advance(waiting.lane, TIMED_OUT);
      return;
    }
    if (message.kind !== 'response' && message.kind !== 'reset') {
      throw new Error(`client ${endpoint.name} got a ${message.kind}; clients only get responses, resets and timers`);
    }
    // A late response to a request the client already gave up on is never seen by it.
    const waiting = this.inFlight.get(message.replyTo);
    if (waiting === undefined) return;
    this.inFlight.delete(message.replyTo);
    this.sim.cancel(waiting.timer);
    if (message.kind === 'reset') {
      // Connection refused or cut (a partition between the client and the router): to the
      // client it is a failed attempt, like a timeout.
      this.advance(waiting.lane, TIMED_OUT);
      return;
    }
    const setCookie = message.payload.setCookie;
    if (setCookie !== undefined) endpoint.cookie = setCookie.split(';')[0];
    observeResponse(this.sim, endpoint.actor, message.replyTo, message.payload);
    this.advance(waiting.lane, message.payload);
  }

  private advance(lane: Lane, input: HttpResponse): void {
    const next = lane.script.next(input);
    if (next.done === true) {
      lane.done = true;
      if (lane === this.browserLane) this.startBrowserWork();
      if (this.main.done && this.browserLane === null && !this.finished) {
        this.finished = true;
        this.onFinished();
      }
      return;
    }
    const step = next.value;
    switch (step.kind) {
      case 'pause':
        this.sim.setTimer(this.app, step.ms, this.app.actor, { kind: 'pause', lane } satisfies TimerPayload);
        return;
      case 'spawn':
        this.browserQueue.push(step.script);
        if (this.browserLane === null) this.startBrowserWork();
        this.advance(lane, TIMED_OUT);
        return;
      case 'http': {
        const endpoint = step.via === 'app' ? this.app : this.browser;
        const payload = endpoint.cookie === undefined ? step.request : { ...step.request, cookie: endpoint.cookie };
        const request = this.sim.send('request', endpoint.id, this.router, endpoint.actor, -1, -1, payload);
        this.sim.trace.observe(this.sim.nowMs, endpoint.actor, request.id, 'sent', 0, -1, step.session, step.what, step.tags);
        const timer = this.sim.setTimer(endpoint, this.spec.requestTimeoutMs, endpoint.actor, { kind: 'timeout', requestId: request.id } satisfies TimerPayload);
        this.inFlight.set(request.id, { lane, timer });
        return;
      }
      default: {
        const unreachable: never = step;
        throw new Error(`client: unknown step ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Runs the next fallback queued for the browser, or leaves it idle. */
  private startBrowserWork(): void {
    const script = this.browserQueue.shift();
    if (script === undefined) {
      this.browserLane = null;
      return;
    }
    const lane: Lane = { script, done: false };
    this.browserLane = lane;
    this.advance(lane, TIMED_OUT);
  }
}

type LaneScript = Generator<ClientStep, void, HttpResponse>;

/** A sequence of requests the client runs one after the other. */
interface Lane {
  readonly script: LaneScript;
  done: boolean;
}

type TimerPayload = { readonly kind: 'pause'; readonly lane: Lane } | { readonly kind: 'timeout'; readonly requestId: number };

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
  // No thinking before the first action, nor right after handing a stage to the browser: the
  // app goes on at once while the browser works.
  let thinks = false;
  /** The stages the last 401 about the current session listed. */
  let completed: ReadonlySet<string> = new Set();

  /** Performs one action against the current session; true once registered. */
  function* perform(action: ClientAction): Generator<ClientStep, boolean, HttpResponse> {
    if (action.kind !== 'start' && action.kind !== 'pause' && session === undefined) return false;
    if (thinks && spec.thinkMs > 0) yield { kind: 'pause', ms: spec.thinkMs };
    thinks = true;

    let via: Via = 'app';
    let request: HttpRequest;
    let what = 'POST /register';
    let tags = NO_TAGS;
    switch (action.kind) {
      case 'pause':
        yield action;
        return false;
      case 'start':
        session = undefined;
        completed = new Set();
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
        if (action.concurrent === true) {
          // The app goes on while the browser works on the stage (another tab, a user who does
          // not wait): two requests of one session in flight at once.
          yield { kind: 'spawn', script: fallbackScript(spec, action.stage, action.loadsPage, session, ip) };
          thinks = false;
          return false;
        }
        yield* fallbackScript(spec, action.stage, action.loadsPage, session, ip);
        return false;
      }
      default: {
        const unreachable: never = action;
        throw new Error(`client: unknown action ${JSON.stringify(unreachable)}`);
      }
    }
    const response = yield* send(spec, via, request, session, what, tags);
    // The app's reaction to a /register answer.
    if (response.status === 200) return true;
    const body = response.body as Partial<UiaChallenge> & { errcode?: string };
    if (response.status === 401 && typeof body.session === 'string') {
      if (session === undefined || spec.adoptsNewSession) session = body.session;
      if (body.session === session) completed = new Set(body.completed ?? []);
    } else if (response.status === 400 && isUnknownSession(body)) {
      session = undefined;
      completed = new Set();
    }
    return false;
  }

  for (const action of spec.actions) if (yield* perform(action)) return;
  if (spec.persistent !== true) return;
  // A client that follows the protocol to the end: after its own steps it completes the first
  // flow the server offers, in order (ref 1.1): the captcha and the terms on the fallback page,
  // as nheko does, each followed by a resubmit that shows what is completed, and the dummy
  // stage only once both are listed. It starts over when its session is gone, for a bounded
  // number of rounds.
  for (let round = 0; round < PERSISTENT_ROUNDS; round++) {
    yield { kind: 'pause', ms: PERSISTENT_PAUSE_MS };
    if (session === undefined && (yield* perform({ kind: 'start' }))) return;
    for (const stage of FALLBACK_STAGES) {
      if (completed.has(stage)) continue;
      if (yield* perform({ kind: 'fallback', stage, loadsPage: true })) return;
      if (yield* perform({ kind: 'resubmit' })) return;
    }
    if (FALLBACK_STAGES.every((stage) => completed.has(stage)) && (yield* perform({ kind: 'direct', stage: 'm.login.dummy' }))) return;
  }
}

/** How a persistent client finishes: its rounds, and the pause before each (longer than any
 * generated downtime, so a round after the last fault heals is a fair test of liveness). */
export const PERSISTENT_ROUNDS = 3;
export const PERSISTENT_PAUSE_MS = 20_000;

/** A stage on the fallback page in the browser: load the page (a real browser), post the form. */
function* fallbackScript(spec: ClientSpec, stage: string, loadsPage: boolean, session: string | undefined, ip: string): Generator<ClientStep, void, HttpResponse> {
  const path = fallbackPath(stage);
  const query = `session=${encodeURIComponent(session ?? '')}`;
  if (loadsPage) {
    const page: HttpRequest = { method: 'GET', path, query, body: null, ip, userAgent: BROWSER_AGENT };
    yield* send(spec, 'browser', page, session, `GET fallback ${stage}`, NO_TAGS);
  }
  const form = stage === 'm.login.recaptcha' ? CAPTCHA_FORM : EMPTY_FORM;
  const post: HttpRequest = { method: 'POST', path, query, body: form, ip, userAgent: BROWSER_AGENT };
  yield* send(spec, 'browser', post, session, `POST fallback ${stage}`, [stage]);
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
