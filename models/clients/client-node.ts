import type { HttpResponse } from '../../src/http.js';
import type { FallbackPage, UiaChallenge } from '../matrix/protocol.js';
import type { Message } from '../../src/message.js';
import type { Sim, SimNode } from '../../src/sim.js';
import { IdTable } from '../../src/id-table.js';
import { clientBehaviour } from './client-script.js';
import { Budget, RETRY_BACKOFF_MS, RoundStarts, TIMED_OUT, type ClientStep, type HttpStep } from './operations.js';
import { actorName, appActor, browserActor, clientIp, clientLabel, type ClientSpec } from './workload.js';

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
    private readonly client: Client,
  ) {}
  receive(message: Message): void {
    this.client.receive(this, message);
  }
}

/**
 * A client running one UIA operation: its script runs as a generator that yields HTTP requests
 * and pauses; the client makes each request's attempts (operations.ts Budget: retries after a
 * timeout or a 5xx, within the client's requests) and records what it sends and receives as
 * `observe` trace events, which the properties check.
 */
export class Client {
  readonly app: Endpoint;
  readonly browser: Endpoint;
  private readonly budget: Budget;
  private readonly main: Lane;
  /** Scripts running alongside the main one: a fallback the app left to the browser while it
   * goes on, a second app tab. */
  private readonly sideLanes = new Set<Lane>();
  /** Request id -> the attempt waiting for it and its timeout timer. */
  private readonly inFlight = new IdTable<Attempt & { readonly timer: Message }>();
  finished = false;
  /** When each of its persistent rounds began (RunResult.roundStartsMs). */
  readonly rounds = new RoundStarts();

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
    this.budget = new Budget(spec.retries);
    this.main = { script: clientBehaviour(spec, username, ip, this.budget), done: false };
  }

  start(): void {
    this.advance(this.main, TIMED_OUT);
  }

  receive(endpoint: Endpoint, message: Message): void {
    if (message.kind === 'timer') {
      const payload = message.payload as TimerPayload;
      switch (payload.kind) {
        case 'pause':
          this.advance(payload.lane, TIMED_OUT);
          return;
        case 'retry':
          // The backoff is over: the retry spends its request now (the budget was checked before the pause).
          this.budget.spend();
          this.send(payload);
          return;
        case 'timeout': {
          const waiting = this.inFlight.take(payload.requestId);
          if (waiting !== undefined) this.answered(waiting, TIMED_OUT);
          return;
        }
        default: {
          const unreachable: never = payload;
          throw new Error(`client: unknown timer ${JSON.stringify(unreachable)}`);
        }
      }
    }
    if (message.kind !== 'response' && message.kind !== 'reset') {
      throw new Error(`client ${endpoint.name} got a ${message.kind}; clients only get responses, resets and timers`);
    }
    // A late response to a request the client already gave up on is never seen by it.
    const waiting = this.inFlight.take(message.replyTo);
    if (waiting === undefined) return;
    this.sim.cancel(waiting.timer);
    if (message.kind === 'reset') {
      // Connection refused or cut (a partition between the client and the router): to the
      // client it is a failed attempt, like a timeout.
      this.answered(waiting, TIMED_OUT);
      return;
    }
    const setCookie = message.payload.setCookie;
    if (setCookie !== undefined) endpoint.cookie = setCookie.split(';')[0];
    observeResponse(this.sim, endpoint.actor, message.replyTo, message.payload);
    this.answered(waiting, message.payload);
  }

  /** Runs the lane's script until it waits: for an answer, a pause, or its end. */
  private advance(lane: Lane, input: HttpResponse): void {
    // After a spawn, or a request the client has no budget for, the script goes on with TIMED_OUT.
    for (let next = lane.script.next(input); next.done !== true; next = lane.script.next(TIMED_OUT)) {
      const step = next.value;
      switch (step.kind) {
        case 'pause':
          this.rounds.paused(step);
          this.sim.setTimer(this.app, step.ms, this.app.actor, { kind: 'pause', lane } satisfies TimerPayload);
          return;
        case 'spawn':
          this.startSideLane(step.script);
          break;
        case 'http':
          if (!this.budget.admits()) break;
          this.budget.spend();
          this.rounds.sent(this.sim.nowMs);
          this.send({ lane, step, attempt: 0 });
          return;
        default: {
          const unreachable: never = step;
          throw new Error(`client: unknown step ${JSON.stringify(unreachable)}`);
        }
      }
    }
    lane.done = true;
    this.sideLanes.delete(lane);
    if (this.main.done && this.sideLanes.size === 0 && !this.finished) {
      this.finished = true;
      this.onFinished();
    }
  }

  /** Sends one attempt of a request, with its timeout. */
  private send(attempt: Attempt): void {
    const step = attempt.step;
    const endpoint = step.via === 'app' ? this.app : this.browser;
    const payload = endpoint.cookie === undefined ? step.request : { ...step.request, cookie: endpoint.cookie };
    const request = this.sim.send('request', endpoint.id, this.router, endpoint.actor, -1, -1, payload);
    this.sim.trace.observe(this.sim.nowMs, endpoint.actor, request.id, 'sent', 0, -1, step.session, step.what, step.tags);
    const timer = this.sim.setTimer(endpoint, this.spec.requestTimeoutMs, endpoint.actor, { kind: 'timeout', requestId: request.id } satisfies TimerPayload);
    this.inFlight.set(request.id, { lane: attempt.lane, step, attempt: attempt.attempt, timer });
  }

  /** An attempt is over (its answer, a timeout, a reset): the script gets the answer, or the
   * request is tried again after the backoff, or the script gets TIMED_OUT when the client is out
   * of requests (operations.ts Budget, in that order). */
  private answered(done: Attempt, response: HttpResponse): void {
    if (!this.budget.shouldRetry(response, done.attempt)) {
      this.advance(done.lane, response);
      return;
    }
    if (!this.budget.admits()) {
      this.advance(done.lane, TIMED_OUT);
      return;
    }
    this.sim.setTimer(this.app, RETRY_BACKOFF_MS, this.app.actor, { kind: 'retry', lane: done.lane, step: done.step, attempt: done.attempt + 1 } satisfies TimerPayload);
  }

  /** Starts a script alongside the others (its own tab). */
  private startSideLane(script: LaneScript): void {
    const lane: Lane = { script, done: false };
    this.sideLanes.add(lane);
    this.advance(lane, TIMED_OUT);
  }
}

type LaneScript = Generator<ClientStep, void, HttpResponse>;

/** A sequence of requests the client runs one after the other. */
interface Lane {
  readonly script: LaneScript;
  done: boolean;
}

/** One attempt of a lane's request (0 the first). */
interface Attempt {
  readonly lane: Lane;
  readonly step: HttpStep;
  readonly attempt: number;
}

type TimerPayload = { readonly kind: 'pause'; readonly lane: Lane } | ({ readonly kind: 'retry' } & Attempt) | { readonly kind: 'timeout'; readonly requestId: number };

/** Records a response as the generic observation the properties read. */
function observeResponse(sim: Sim, actor: number, requestId: number, response: HttpResponse): void {
  const { key, detail, tags } = responseObservation(response);
  sim.trace.observe(sim.nowMs, actor, requestId, 'received', response.status, response.servedBy, key, detail, tags);
}

/** What an observation of a response records: `key` is the session the response names, `detail`
 * its errcode or page, `tags` the stages it shows. Shared with the real world (real/), which
 * observes real responses the same way. */
export function responseObservation(response: HttpResponse): { readonly key: string; readonly detail: string; readonly tags: readonly string[] } {
  const body = response.body as Partial<UiaChallenge & FallbackPage & { errcode: string; error: string; user_id: string }> | null;
  let key = '';
  let detail = '';
  let tags: readonly string[] = NO_TAGS;
  if (body !== null && typeof body === 'object') {
    if (typeof body.page === 'string') {
      // The email-validation page is about no UIA session and shows no stage (uia §5 #7512).
      key = (body.page as string) === 'email-validated' ? '' : (body.session ?? '');
      detail = `page:${body.page}`;
      tags = body.page === 'success' && typeof body.stage === 'string' ? [body.stage] : NO_TAGS;
    } else if (response.status === 401 && typeof body.session === 'string') {
      key = body.session;
      detail = body.errcode ?? '';
      tags = body.completed ?? NO_TAGS;
    } else if (typeof body.user_id === 'string') {
      detail = body.user_id;
    } else if (typeof body.errcode === 'string') {
      // Errors keep their message: M_UNKNOWN alone does not say "unknown session".
      detail = `${body.errcode}: ${body.error ?? ''}`;
    }
  }
  return { key, detail, tags };
}

const NO_TAGS: readonly string[] = [];
