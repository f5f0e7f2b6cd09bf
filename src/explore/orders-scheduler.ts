import { SHARED_OWNER, type Chooser } from '../chooser.js';
import { crashTimerPayload } from '../fault-injector.js';
import { makeMessage, type Message } from '../message.js';
import { ProcessNode } from '../process.js';
import type { EventQueue } from '../scheduler.js';
import type { Sim } from '../sim.js';
import { History } from './history.js';

/** What the exploration driver answers at each decision (src/explore/driver.ts). */
export interface Decider {
  /**
   * `options` > 1 things can happen next; the answer is the one that does, or -1 to end the
   * run here (the driver has learnt what it needed: the width of a new decision, or that its
   * state was explored already). `state` gives the fingerprint of the state before the choice
   * and which options commute (for sleep sets).
   */
  decide(options: number, state: DecisionPoint): number;
  /** When given (DPOR, src/explore/dpor.ts), told of every step the run takes, forced or
   * chosen, just before it happens; needs tracking on. */
  stepped?(step: Step): void;
}

/** One step of a run, as DPOR sees it: what it is, what it acts on, and what caused it. */
export interface Step {
  /** The causal identity of the event (as `DecisionPoint.keyOf` names the same option). */
  readonly key: string;
  /** The state it acts on (a node, or a client's app for its browser; for a crash the crashed
   * process, for a loss the client that never gets the response), or -1: every node. */
  readonly target: number;
  /** A crash or a loss: DPOR counts the faults as dependent among themselves. */
  readonly fault: boolean;
  /** The index (from 0, in this run) of the step whose handler sent the message; -1: none (a
   * message of the world's start, a crash the explorer placed). */
  readonly sentBy: number;
}

export interface DecisionPoint {
  /** The canonical hash of the state (src/explore/history.ts). */
  fingerprint(): string;
  /** The state option `i` acts on (its target node, or for a browser its client's app: the two
   * share one client object), -1 for an option that acts on every node (a crash, a lost
   * response, a delivery to the fault injector, which crashes or restarts another process, and
   * an event that moves the clock, which every later delivery sees): two options on different
   * states commute. */
  targetOf(option: number): number;
  /** A stable name of option `i` across the runs of one path's prefix (the message's causal
   * identity), so a sleep set can be carried to the next state. */
  keyOf(option: number): string;
  /** Option `i` as a DPOR step (only when the decider wants steps). */
  stepOf(option: number): Step;
}

/** The faults the scope allows, placed by the explorer at any step (not by a plan's times). */
export interface ExploreFaults {
  /** How many crashes (each followed by a restart `downMs` later) may happen in one run. */
  readonly crashes: number;
  /** Processes that may crash (node ids). */
  readonly crashable: readonly number[];
  readonly downMs: number;
  /** How many responses may be lost in one run. */
  readonly lostResponses: number;
  /** Nodes whose incoming responses may be lost (the client-side actors). */
  readonly droppableTo: readonly number[];
  /** The fault injector node, which carries out a crash. */
  readonly faultsNode: number;
}

export interface OrdersOptions {
  /** A delivery takes at most this long (the nominal latency the network was given). */
  readonly flightMs: number;
  /** A timer due within this many ms of now may fire before the deliveries in flight (it races
   * them); one due later waits until nothing is in flight. */
  readonly raceWindowMs: number;
  /** Keep causal identities and node histories (fingerprints, sleep sets); off for replay. */
  readonly tracking: boolean;
}

const NO_FAULTS: ExploreFaults = { crashes: 0, crashable: [], downMs: 1, lostResponses: 0, droppableTo: [], faultsNode: -1 };
const OPTION_CRASH = 0x63726173;
const OPTION_DROP = 0x64726f70;

/**
 * The event queue of exhaustive mode (docs/architecture.md "Exhaustive exploration"): orders, not latencies.
 * Messages in flight (deliveries) may arrive in any order, each after the nominal latency;
 * timers keep their due times, fire in due order among themselves, and fire before a delivery
 * only when due within the race window (or when nothing is in flight, time jumps to them). At
 * each step the decider picks among: every delivery in flight, every timer that is due, the
 * earliest timer when it races, and while the scope's fault budget lasts, a crash of any process
 * that is up and the loss of any response in flight to a client-side actor.
 */
export class OrdersScheduler implements EventQueue {
  /** Deliveries in flight, by sequence (the natural order is the first). */
  private readonly flights: Message[] = [];
  /** Timers and delayed messages, sorted by (due, seq). */
  private readonly timed: Message[] = [];
  private nextSeq = 0;
  private faults: ExploreFaults = NO_FAULTS;
  private crashesUsed = 0;
  private dropsUsed = 0;
  readonly history: History | null;
  /** The options of the current decision: events first, then crashes, then losses. Each list
   * holds its first `...Count` entries; the rest are stale. The lists are overwritten in place,
   * never emptied: `length = 0` gives an array a new backing store at the next push, and that
   * was the largest allocation of an exploration (measured: 9% of its bytes). */
  private readonly optionEvents: Message[] = [];
  private readonly optionCrashes: number[] = [];
  private readonly optionDrops: Message[] = [];
  private eventCount = 0;
  private crashCount = 0;
  private dropCount = 0;
  private readonly point: DecisionPoint;
  /** Decisions made so far in this run (non-trivial ones). */
  decisions = 0;
  /** Steps taken so far in this run (every event, forced or chosen, and every loss). */
  private steps = 0;
  /** Message id -> the step whose handler sent it (kept only when the decider wants steps). */
  private readonly sentBy: Map<number, number> | null;
  /** Set when the decider ended the run early. */
  cut = false;

  constructor(
    private readonly sim: Sim,
    private readonly decider: Decider,
    private readonly options: OrdersOptions,
  ) {
    this.history = options.tracking ? new History(sim) : null;
    this.sentBy = decider.stepped !== undefined ? new Map() : null;
    this.point = {
      fingerprint: () => this.fingerprint(),
      targetOf: (i) => this.targetOf(i),
      keyOf: (i) => this.keyOf(i),
      stepOf: (i) => this.stepOf(i),
    };
  }

  /** The scope's faults, once the nodes exist. */
  setFaults(faults: ExploreFaults): void {
    this.faults = faults;
  }

  get size(): number {
    return this.flights.length + this.timed.length;
  }

  schedule(message: Message, dueMs: number): void {
    const now = this.sim.nowMs;
    const due = dueMs < now ? now : dueMs;
    message.dueMs = due;
    message.seq = this.nextSeq++;
    this.history?.sent(message);
    this.sentBy?.set(message.id, this.steps - 1);
    if (message.kind !== 'timer' && due <= now + this.options.flightMs) {
      this.flights.push(message);
      return;
    }
    // Insert in place (splice would allocate the array of what it removed, at every step).
    const timed = this.timed;
    let at = timed.length;
    timed.push(message);
    while (at > 0 && (timed[at - 1] as Message).dueMs > due) {
      timed[at] = timed[at - 1] as Message;
      at--;
    }
    timed[at] = message;
  }

  cancel(message: Message): void {
    if (message.cancelled) return;
    const list = message.kind !== 'timer' && this.flights.includes(message) ? this.flights : this.timed;
    const at = list.indexOf(message);
    if (at < 0) return;
    removeAt(list, at);
    message.cancelled = true;
  }

  next(_chooser: Chooser): Message | undefined {
    for (;;) {
      if (this.cut) return undefined;
      const n = this.collectOptions();
      if (n === 0) return undefined;
      let choice = 0;
      if (n > 1) {
        choice = this.decider.decide(n, this.point);
        if (choice < 0) {
          this.cut = true;
          return undefined;
        }
        this.decisions++;
      }
      if (this.sentBy !== null) this.decider.stepped?.(this.stepOf(choice));
      this.steps++;
      const events = this.eventCount;
      if (choice < events) return this.take(this.optionEvents[choice] as Message);
      const crashAt = choice - events;
      if (crashAt < this.crashCount) return this.crash(this.optionCrashes[crashAt] as number);
      this.lose(this.optionDrops[crashAt - this.crashCount] as Message);
    }
  }

  /** Fills the option lists; returns how many options there are. */
  private collectOptions(): number {
    const now = this.sim.nowMs;
    const events = this.optionEvents;
    const flights = this.flights;
    let e = 0;
    for (let f = 0; f < flights.length; f++) events[e++] = flights[f] as Message;
    const timed = this.timed;
    let t = 0;
    while (t < timed.length && (timed[t] as Message).dueMs <= now) events[e++] = timed[t++] as Message;
    if (t < timed.length) {
      const earliest = (timed[t] as Message).dueMs;
      if (e === 0 || earliest <= now + this.options.raceWindowMs) {
        while (t < timed.length && (timed[t] as Message).dueMs === earliest) events[e++] = timed[t++] as Message;
      }
    }
    this.eventCount = e;
    this.crashCount = 0;
    this.dropCount = 0;
    if (e === 0) return 0;
    const faults = this.faults;
    if (this.crashesUsed < faults.crashes) {
      for (const id of faults.crashable) if (this.sim.nodes[id]?.up === true) this.optionCrashes[this.crashCount++] = id;
    }
    if (this.dropsUsed < faults.lostResponses) {
      for (const m of flights) if (m.kind === 'response' && faults.droppableTo.includes(m.to)) this.optionDrops[this.dropCount++] = m;
    }
    return e + this.crashCount + this.dropCount;
  }

  private take(message: Message): Message {
    const list = message.kind !== 'timer' && this.flights.includes(message) ? this.flights : this.timed;
    removeAt(list, list.indexOf(message));
    const now = this.sim.nowMs;
    if (message.dueMs < now) message.dueMs = now;
    this.history?.delivering(message);
    return message;
  }

  /** A crash chosen now: a timer to the fault injector, due at once (a restart follows). */
  private crash(nodeId: number): Message {
    const node = this.sim.nodes[nodeId];
    if (!(node instanceof ProcessNode)) throw new Error(`explore: node ${nodeId} is not a process and cannot crash`);
    this.crashesUsed++;
    const faults = this.faults;
    const timer = makeMessage('timer', this.sim.newMessageId(), faults.faultsNode, faults.faultsNode, SHARED_OWNER, -1, 1, crashTimerPayload(node, faults.downMs));
    timer.dueMs = this.sim.nowMs;
    timer.seq = this.nextSeq++;
    this.history?.injected(timer, OPTION_CRASH, nodeId);
    return timer;
  }

  private lose(message: Message): void {
    this.dropsUsed++;
    removeAt(this.flights, this.flights.indexOf(message));
    this.sim.trace.drop(this.sim.nowMs, message.id, 'fault');
    this.history?.lost(message, OPTION_DROP);
  }

  /** DPOR's view of an option. Finer than `targetOf` (the sleep sets'): a crash acts on the
   * process it crashes, a loss on the client it hides the response from, and both spend the
   * fault budget (docs/explore.md "DPOR"). */
  private stepOf(option: number): Step {
    const events = this.eventCount;
    const key = this.keyOf(option);
    if (option < events) {
      const message = this.optionEvents[option] as Message;
      return { key, target: this.targetOf(option), fault: false, sentBy: this.sentBy?.get(message.id) ?? -1 };
    }
    const crashAt = option - events;
    if (crashAt < this.crashCount) return { key, target: this.optionCrashes[crashAt] as number, fault: true, sentBy: -1 };
    const lost = this.optionDrops[crashAt - this.crashCount] as Message;
    const client = this.history === null ? lost.to : this.history.owner(lost.to);
    return { key, target: client, fault: true, sentBy: this.sentBy?.get(lost.id) ?? -1 };
  }

  private targetOf(option: number): number {
    if (option >= this.eventCount) return -1;
    const message = this.optionEvents[option] as Message;
    if (message.dueMs > this.sim.nowMs || message.to === this.faults.faultsNode) return -1;
    return this.history === null ? message.to : this.history.owner(message.to);
  }

  private keyOf(option: number): string {
    const events = this.eventCount;
    const history = this.history;
    if (history === null) throw new Error('explore: option keys need tracking on');
    if (option < events) return history.identityKey(this.optionEvents[option] as Message);
    const crashAt = option - events;
    if (crashAt < this.crashCount) return `crash ${this.optionCrashes[crashAt]}`;
    return `lose ${history.identityKey(this.optionDrops[crashAt - this.crashCount] as Message)}`;
  }

  fingerprint(): string {
    const history = this.history;
    if (history === null) throw new Error('explore: fingerprints need tracking on');
    return history.fingerprint(this.flights, this.timed, this.crashesUsed, this.dropsUsed);
  }
}

/** Removes `list[at]`, keeping the order of the rest, without splice's allocation. */
function removeAt(list: Message[], at: number): void {
  if (at < 0) throw new Error('explore: removing a message that is not queued');
  for (let i = at + 1; i < list.length; i++) list[i - 1] = list[i] as Message;
  list.pop();
}
