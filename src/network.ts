import type { Chooser } from './chooser.js';
import type { Message } from './message.js';
import type { DropFault, FaultPlan } from './faults.js';
import type { EventQueue } from './scheduler.js';
import type { Trace } from './trace.js';

/** What the network needs of the simulator that holds it (sim.ts's Sim): declared here, so the
 * two modules do not import each other. */
export interface NetworkHost {
  readonly nowMs: number;
  readonly trace: Trace;
  readonly chooser: Chooser;
  readonly scheduler: EventQueue;
  findNode(name: string): { readonly id: number } | undefined;
  /** Answers a request or command with a reset after `delayMs` (a connection refused). */
  refuse(message: Message, delayMs?: number): void;
}

export interface NetworkOptions {
  /** One-way latencies; the chooser picks a bucket per message (owner's tape). */
  readonly latencyBucketsMs: readonly number[];
  /** How long a sender waits before a request or command into a partition is reset. */
  readonly connectTimeoutMs: number;
}

interface ResolvedPartition {
  readonly a: number;
  readonly b: number;
  readonly fromMs: number;
  readonly untilMs: number;
}

interface ResolvedDrop {
  readonly actor: number;
  readonly direction: DropFault['direction'];
  readonly nth: number;
}

/**
 * Carries messages between nodes: picks a latency bucket, applies partitions and the drop rules
 * of the fault plan. A request or command lost in a partition is answered by a reset after the
 * connect timeout; a dropped response is simply never delivered (the client's own timeout
 * handles it). Messages a node sends to itself (timers) never pass through here.
 */
export class Network {
  private readonly partitions: ResolvedPartition[] = [];
  private readonly drops: ResolvedDrop[] = [];
  /** Per node: requests sent by it and responses sent to it (only counted when drops exist). */
  private readonly sentRequests: number[] = [];
  private readonly sentResponses: number[] = [];
  /** Per node: the source address its requests carry after an ip-change fault. */
  private readonly addresses = new Map<number, string>();

  constructor(
    private readonly sim: NetworkHost,
    private readonly options: NetworkOptions,
  ) {
    if (options.latencyBucketsMs.length === 0) throw new Error('network: at least one latency bucket is needed');
  }

  /** Resolves node names now that the topology is built. A fault naming a node this case does
   * not have (a client it lacks) never happens. */
  applyFaultPlan(plan: FaultPlan): void {
    for (const fault of plan.faults) {
      if (fault.kind === 'partition') {
        const a = this.sim.findNode(fault.a);
        const b = this.sim.findNode(fault.b);
        if (a !== undefined && b !== undefined) this.partitions.push({ a: a.id, b: b.id, fromMs: fault.fromMs, untilMs: fault.untilMs });
      } else if (fault.kind === 'drop') {
        const actor = this.sim.findNode(fault.actor);
        if (actor !== undefined) this.drops.push({ actor: actor.id, direction: fault.direction, nth: fault.nth });
      }
    }
  }

  /** From now on, requests from `node` carry `ip` (an ip-change fault). */
  changeAddress(node: number, ip: string): void {
    this.addresses.set(node, ip);
  }

  transmit(message: Message, extraDelayMs = 0): void {
    const sim = this.sim;
    const now = sim.nowMs;
    // Count first: "the 2nd request from app A" must not depend on whether a partition exists.
    const dropped = this.drops.length > 0 && this.isDropped(message);
    if (this.partitions.length > 0 && this.isCut(message.from, message.to, now)) {
      sim.trace.drop(now, message.id, 'partition');
      if (message.kind === 'request' || message.kind === 'command') sim.refuse(message, this.options.connectTimeoutMs);
      return;
    }
    if (dropped) {
      sim.trace.drop(now, message.id, 'fault');
      return;
    }
    if (this.addresses.size > 0 && message.kind === 'request') {
      const ip = this.addresses.get(message.from);
      if (ip !== undefined) message = { ...message, payload: { ...message.payload, ip } };
    }
    const buckets = this.options.latencyBucketsMs;
    const latency = buckets[sim.chooser.pick(buckets.length, message.owner)] as number;
    sim.scheduler.schedule(message, now + latency + extraDelayMs);
  }

  private isCut(from: number, to: number, nowMs: number): boolean {
    for (const p of this.partitions) {
      if (nowMs >= p.fromMs && nowMs < p.untilMs && ((p.a === from && p.b === to) || (p.a === to && p.b === from))) return true;
    }
    return false;
  }

  private isDropped(message: Message): boolean {
    let counter: number[];
    let actor: number;
    let direction: DropFault['direction'];
    if (message.kind === 'request') {
      counter = this.sentRequests;
      actor = message.from;
      direction = 'request';
    } else if (message.kind === 'response') {
      counter = this.sentResponses;
      actor = message.to;
      direction = 'response';
    } else {
      return false;
    }
    const nth = (counter[actor] ?? 0) + 1;
    counter[actor] = nth;
    for (const d of this.drops) if (d.actor === actor && d.direction === direction && d.nth === nth) return true;
    return false;
  }
}
