import { SHARED_OWNER } from './chooser.js';
import { ConnectionPool } from './connection-pool.js';
import { describeYielded, isBackendUnavailable, isHttpError, NotAnEffectError, UNAVAILABLE, type Effect, type Task } from './effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from './http.js';
import { IdTable } from './id-table.js';
import type { Message, RequestMessage } from './message.js';
import type { Rng } from './rng.js';
import type { Sim, SimNode } from './sim.js';

/** What a process runs: built by the factory at every start, so its fields are volatile state.
 * Durable state (a database) lives in objects the factory closes over. */
export interface App {
  /** An HTTP request; the generator runs until it returns the response. */
  handleRequest?(request: HttpRequest, owner: number): Task<HttpResponse>;
  /** A backend command, executed atomically (service nodes: SQL, Redis). */
  handleCommand?(command: unknown): unknown;
  /** A timer the app set with `ProcessNode.setAppTimer` (looping calls such as expiry sweeps). */
  handleTimer?(payload: unknown): Task<void> | undefined;
  /** A one-way message from another node (a replication stream). */
  handleNotification?(payload: unknown): void;
}

export interface ProcessContext {
  readonly sim: Sim;
  readonly node: ProcessNode;
  /** This incarnation's stream: `reader1#2` never re-issues `reader1#1`'s session IDs. */
  readonly rng: Rng;
}

export type AppFactory = (context: ProcessContext) => App;

interface Running {
  readonly task: Task<unknown>;
  /** The HTTP request being answered, or null for background work. */
  readonly origin: RequestMessage | null;
  readonly owner: number;
  /** The pooled connection its backend call is on, or -1 (a task makes one call at a time). */
  connection: number;
}

export interface ProcessOptions {
  /** Backends this process reaches over pooled connections (Synapse's database): a backend
   * restart leaves them dead, and the first call on each fails (src/connection-pool.ts). Other
   * backends are reached as if over a fresh connection every call. */
  readonly pooledBackends?: readonly number[];
}

/** The pools of a process without pooled backends (every service node): shared, never written. */
const NO_POOLS: readonly (ConnectionPool | undefined)[] = [];

/** Marks the timer that resumes a task after a `cpu` or `sleep` effect. */
const RESUME = Symbol('resume');

/**
 * A Synapse process or a backend service. On restart the app is rebuilt from its factory;
 * a crash drops in-flight handlers and their unsent replies, and resets open connections so the
 * router can answer 502.
 */
export class ProcessNode implements SimNode {
  up = true;
  incarnation = 1;
  private app: App;
  private readonly running = new IdTable<Running>();
  private busyUntilMs = 0;
  /** Pools by backend node id (`pooledBackends`), new at every start; empty when none. */
  private pools: readonly (ConnectionPool | undefined)[];

  constructor(
    readonly sim: Sim,
    readonly id: number,
    readonly name: string,
    private readonly factory: AppFactory,
    private readonly options: ProcessOptions = {},
  ) {
    this.app = factory(this.context());
    // At the run's start a process has served before: one connection open to each pooled backend.
    this.pools = this.newPools(1);
  }

  /** Pools with `openAtStart` connections open to each pooled backend as it is now, more as calls
   * need them. */
  private newPools(openAtStart: number): readonly (ConnectionPool | undefined)[] {
    if (this.options.pooledBackends === undefined) return NO_POOLS;
    const pools: (ConnectionPool | undefined)[] = [];
    for (const backend of this.options.pooledBackends) {
      const node = this.sim.nodes[backend];
      if (node === undefined) throw new Error(`process ${this.name}: pooled backend ${backend} is not a node`);
      pools[backend] = new ConnectionPool(node, openAtStart);
    }
    return pools;
  }

  crash(): void {
    if (!this.up) return;
    this.up = false;
    this.sim.trace.lifecycle('crash', this.sim.nowMs, this.id, this.incarnation, this.sim.nextMessageIdNow);
    for (const run of this.running.drain()) {
      if (run.origin !== null) this.sim.refuse(run.origin);
    }
    this.busyUntilMs = 0;
  }

  restart(): void {
    if (this.up) return;
    this.incarnation++;
    this.up = true;
    this.sim.trace.lifecycle('restart', this.sim.nowMs, this.id, this.incarnation, this.sim.nextMessageIdNow);
    this.app = this.factory(this.context());
    // A process that has just started opens its connections as its calls need them (Synapse's
    // start-up queries use a connection of their own).
    this.pools = this.newPools(0);
  }

  /** A timer for the app's current incarnation (a crash makes it stale). */
  setAppTimer(delayMs: number, payload: unknown): void {
    this.sim.setTimer(this, delayMs, SHARED_OWNER, payload);
  }

  receive(message: Message): void {
    switch (message.kind) {
      case 'request': {
        const handle = this.app.handleRequest;
        if (handle === undefined) {
          this.reply(message, httpResponse(404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' }, this.id));
          return;
        }
        this.step({ task: handle.call(this.app, message.payload, message.owner), origin: message, owner: message.owner, connection: -1 }, undefined);
        return;
      }
      case 'command': {
        const execute = this.app.handleCommand;
        if (execute === undefined) throw new Error(`process ${this.name} got a backend command but is not a service`);
        this.sim.send('result', this.id, message.from, message.owner, message.id, -1, execute.call(this.app, message.payload));
        return;
      }
      case 'result':
      case 'reset':
      case 'timer': {
        // A timer is keyed by its own id, a result or reset by the command it answers.
        const key = message.kind === 'timer' ? message.id : message.replyTo;
        const run = this.running.take(key);
        if (run !== undefined) {
          if (run.connection !== -1) {
            (this.pools[message.from] as ConnectionPool).release(run.connection, message.kind === 'reset');
            run.connection = -1;
          }
          this.step(run, message.kind === 'result' ? message.payload : message.kind === 'reset' ? UNAVAILABLE : undefined);
          return;
        }
        if (message.kind === 'timer' && message.payload !== RESUME) {
          const task = this.app.handleTimer?.(message.payload);
          if (task !== undefined) this.step({ task, origin: null, owner: SHARED_OWNER, connection: -1 }, undefined);
          return;
        }
        // A result for a handler that no longer exists (its process restarted): nothing waits.
        this.sim.trace.drop(this.sim.nowMs, message.id, 'stale');
        return;
      }
      case 'notify':
        this.app.handleNotification?.(message.payload);
        return;
      case 'response':
        throw new Error(`process ${this.name} got an HTTP response; processes only answer requests`);
      default: {
        const unreachable: never = message;
        throw new Error(`process: unknown message ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Drives a task until it yields an effect that must wait, or finishes. */
  private step(run: Running, input: unknown): void {
    let result: IteratorResult<Effect, unknown>;
    try {
      result = run.task.next(input);
    } catch (error) {
      if (isBackendUnavailable(error) && run.origin !== null) {
        this.reply(run.origin, httpResponse(500, { errcode: 'M_UNKNOWN', error: 'Internal server error' }, this.id));
        return;
      }
      if (isHttpError(error) && run.origin !== null) {
        this.reply(run.origin, httpResponse(error.status, error.body, this.id));
        return;
      }
      if (isBackendUnavailable(error) || isHttpError(error)) return; // background work gives up until next time
      throw error;
    }
    if (result.done === true) {
      if (run.origin !== null) this.reply(run.origin, result.value as HttpResponse);
      return;
    }
    const effect = result.value;
    // `?.`: a bare `yield` (undefined) reaches the default case too, instead of a TypeError.
    switch (effect?.kind) {
      case 'call': {
        const pool = this.pools[effect.to];
        let toIncarnation = -1;
        if (pool !== undefined) {
          run.connection = pool.acquire();
          toIncarnation = pool.incarnationOf(run.connection);
        }
        const command = this.sim.send('command', this.id, effect.to, run.owner, -1, toIncarnation, effect.command);
        this.running.set(command.id, run);
        return;
      }
      case 'cpu': {
        this.sim.cpuMsByNode[this.id] = (this.sim.cpuMsByNode[this.id] ?? 0) + effect.ms;
        const start = Math.max(this.sim.nowMs, this.busyUntilMs);
        this.busyUntilMs = start + effect.ms;
        this.running.set(this.sim.setTimer(this, this.busyUntilMs - this.sim.nowMs, run.owner, RESUME).id, run);
        return;
      }
      case 'sleep':
        this.running.set(this.sim.setTimer(this, effect.ms, run.owner, RESUME).id, run);
        return;
      case 'notify':
        this.sim.send('notify', this.id, effect.to, run.owner, -1, -1, effect.payload, effect.delayMs);
        this.step(run, undefined);
        return;
      default: {
        const unreachable: never = effect;
        throw new NotAnEffectError(`process ${this.name}: a task yielded ${describeYielded(unreachable)}, not an effect (call, cpu, sleep or notify from uia-sim)`);
      }
    }
  }

  private reply(origin: RequestMessage, response: HttpResponse): void {
    this.sim.send('response', this.id, origin.from, origin.owner, origin.id, -1, response);
  }

  private context(): ProcessContext {
    return { sim: this.sim, node: this, rng: this.sim.rng.child(`${this.name}#${this.incarnation}`) };
  }
}
