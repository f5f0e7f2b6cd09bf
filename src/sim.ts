import type { Chooser } from './chooser.js';
import { Clock } from './clock.js';
import { makeMessage, type Message, type MessageKind, type PayloadOf, type TimerMessage } from './message.js';
import type { Network } from './network.js';
import { Rng } from './rng.js';
import { Scheduler, type EventQueue } from './scheduler.js';
import { Trace } from './trace.js';

/** Anything that receives messages: client-side actors, the router, processes, service nodes. */
export interface SimNode {
  readonly id: number;
  readonly name: string;
  /** Whether the node accepts messages (a crashed process does not). */
  readonly up: boolean;
  readonly incarnation: number;
  receive(message: Message): void;
  /** Drops what the node refers to once its run is over (Sim.release). */
  release?(): void;
}

export interface SimOptions {
  readonly seed: number;
  readonly chooser: Chooser;
  readonly reorderWindowMs: number;
  readonly captureTrace: boolean;
  /** Fold the events into the trace hash (default on); see Trace. */
  readonly hashTrace?: boolean;
  /** Upper bound on delivered events; a run that needs more is a finding (a livelock or a
   * plug-in that never returns), not a hang. */
  readonly stepBudget: number;
  /** Replaces the timing wheel (exhaustive exploration's queue, src/explore/). */
  readonly makeQueue?: (sim: Sim) => EventQueue;
}

/** Thrown when a run exceeds its step budget. */
export class StepBudgetExceededError extends Error {}

/**
 * One simulated world: the clock, the queue, the chooser, the trace and the nodes. `run` is a
 * synchronous loop: pick the next event, move the clock, deliver it.
 */
export class Sim {
  readonly clock = new Clock();
  readonly scheduler: EventQueue;
  readonly trace: Trace;
  readonly chooser: Chooser;
  readonly rng: Rng;
  readonly nodes: SimNode[] = [];
  /** Virtual CPU milliseconds each node spent on `cpu` effects (a cost, not part of the trace:
   * it follows from the trace's events and the handlers, so it is as deterministic). */
  readonly cpuMsByNode: number[] = [];
  network: Network | null = null;
  /** Called after a response is delivered (anchors causal faults); null when nothing listens. */
  onResponseDelivered: ((to: number) => void) | null = null;
  private nextMessageId = 1;
  private stopped = false;
  private steps = 0;

  constructor(readonly options: SimOptions) {
    this.trace = new Trace(options.captureTrace, options.hashTrace !== false);
    this.chooser = options.chooser;
    this.rng = new Rng(options.seed, '');
    this.scheduler = options.makeQueue === undefined ? new Scheduler(options.reorderWindowMs) : options.makeQueue(this);
  }

  get nowMs(): number {
    return this.clock.nowMs;
  }

  get stepCount(): number {
    return this.steps;
  }

  addNode<N extends SimNode>(build: (id: number) => N): N {
    const node = build(this.nodes.length);
    if (node.id !== this.nodes.length) throw new Error(`sim: node ${node.name} must take the id it was given`);
    this.nodes.push(node);
    this.cpuMsByNode.push(0);
    return node;
  }

  node(id: number): SimNode {
    const node = this.nodes[id];
    if (node === undefined) throw new Error(`sim: no node with id ${id}`);
    return node;
  }

  nodeByName(name: string): SimNode {
    const node = this.findNode(name);
    if (node === undefined) throw new Error(`sim: no node named ${name}`);
    return node;
  }

  findNode(name: string): SimNode | undefined {
    for (const node of this.nodes) if (node.name === name) return node;
    return undefined;
  }

  /** Sends a message over the network (latency, partitions and drop rules apply). */
  send<K extends Exclude<MessageKind, 'timer'>>(
    kind: K,
    from: number,
    to: number,
    owner: number,
    replyTo: number,
    toIncarnation: number,
    payload: PayloadOf<K>,
    extraDelayMs = 0,
  ): Message {
    const message = makeMessage(kind, this.nextMessageId++, from, to, owner, replyTo, toIncarnation, payload);
    const network = this.network;
    if (network === null) this.scheduler.schedule(message, this.clock.nowMs + extraDelayMs);
    else network.transmit(message, extraDelayMs);
    return message;
  }

  /** Delivers `message` to its target `delayMs` from now, bypassing the network. */
  deliverLater(message: Message, delayMs: number): void {
    this.scheduler.schedule(message, this.clock.nowMs + delayMs);
  }

  /** The id the next message gets: every message with a smaller one has been sent. */
  get nextMessageIdNow(): number {
    return this.nextMessageId;
  }

  newMessageId(): number {
    return this.nextMessageId++;
  }

  /** A timer for `node`'s current incarnation; a crash makes it stale. */
  setTimer(node: SimNode, delayMs: number, owner: number, payload: unknown): TimerMessage {
    const timer = makeMessage('timer', this.nextMessageId++, node.id, node.id, owner, -1, node.incarnation, payload);
    this.scheduler.schedule(timer, this.clock.nowMs + delayMs);
    return timer;
  }

  cancel(message: Message): void {
    this.scheduler.cancel(message);
  }

  stop(): void {
    this.stopped = true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Runs until `stop()` is called or nothing is left to do. */
  run(): void {
    const { scheduler, clock, trace, chooser, nodes } = this;
    const budget = this.options.stepBudget;
    while (!this.stopped) {
      const message = scheduler.next(chooser);
      if (message === undefined) return;
      if (++this.steps > budget) {
        throw new StepBudgetExceededError(`run exceeded its step budget of ${budget} events at ${clock.nowMs} ms`);
      }
      clock.advanceTo(message.dueMs);
      const target = nodes[message.to] as SimNode;
      if (!target.up) {
        trace.drop(clock.nowMs, message.id, 'down');
        // Connection refused: whoever waits on a request or a command learns it at once.
        if (message.kind === 'request' || message.kind === 'command') this.refuse(message);
        continue;
      }
      if (message.toIncarnation !== -1 && message.toIncarnation !== target.incarnation) {
        trace.drop(clock.nowMs, message.id, 'stale');
        // A connection to the previous incarnation was reset by the restart.
        if (message.kind === 'request' || message.kind === 'command') this.refuse(message);
        continue;
      }
      trace.deliver(clock.nowMs, message.id, message.kind, message.from, message.to);
      target.receive(message);
      if (message.kind === 'response' && this.onResponseDelivered !== null) this.onResponseDelivered(message.to);
    }
  }

  /**
   * Drops the world's references once the run is over and its results are taken. Objects that
   * live through a run (the Sim, its node list, nodes such as the fault injector) are promoted
   * to the old generation by a scavenge mid-run, or allocated there at once (V8's allocation-site
   * pretenuring); dead or not, an old object's references keep the young objects they point to
   * alive at the next scavenge, which then promotes them as well ("nepotism"). Over 5,940 runs:
   * 41 MB promoted instead of 140 MB, scavenge pauses about half as long (docs/performance.md).
   */
  release(): void {
    for (const node of this.nodes) node.release?.();
    this.nodes.length = 0;
    this.stop();
  }

  /** Answers a request or command with a reset, as a refused or cut connection does. */
  refuse(message: Message, delayMs = 0): void {
    const sender = this.nodes[message.from] as SimNode;
    const reset = makeMessage('reset', this.nextMessageId++, message.to, message.from, message.owner, message.id, sender.incarnation, null);
    this.scheduler.schedule(reset, this.clock.nowMs + delayMs);
  }
}
