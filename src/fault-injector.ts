import { SHARED_OWNER } from './chooser.js';
import type { FaultPlan } from './faults.js';
import type { Message, TimerMessage } from './message.js';
import { ProcessNode } from './process.js';
import type { Sim, SimNode } from './sim.js';

type Action =
  | { readonly kind: 'crash' | 'restart'; readonly node: ProcessNode; readonly downMs: number }
  | { readonly kind: 'ip-change'; readonly node: number; readonly ip: string };

/** The payload of a timer that makes the fault injector crash `node` for `downMs` (exhaustive
 * exploration places crashes itself, at any step, src/explore/). */
export function crashTimerPayload(node: ProcessNode, downMs: number): unknown {
  return { kind: 'crash', node, downMs: Math.max(1, downMs) } satisfies Action;
}

interface Anchored {
  readonly actor: number;
  readonly nthResponse: number;
  readonly delayMs: number;
  readonly action: Action;
}

/**
 * Turns the crash and address-change faults of a plan into timer events, so they are ordered
 * with every other event by the same scheduler (and a trace shows exactly where they fell).
 * Partitions and drops are applied by the Network.
 */
export class FaultInjector implements SimNode {
  readonly up = true;
  readonly incarnation = 1;
  private readonly anchored: Anchored[] = [];
  private readonly responsesSeen: number[] = [];
  /** Node id -> its queued restart, while it is down. */
  private readonly pendingRestarts = new Map<number, TimerMessage>();

  /** The world; null once the run is released. */
  private world: Sim | null;

  constructor(
    sim: Sim,
    readonly id: number,
    readonly name: string,
  ) {
    this.world = sim;
  }

  private get sim(): Sim {
    if (this.world === null) throw new Error('fault injector: used after its run was released (Sim.release)');
    return this.world;
  }

  /** Sim.release: V8 tends to allocate this long-lived object straight into the old generation,
   * and from there its references kept the whole (young) world alive at the next scavenge. */
  release(): void {
    this.anchored.length = 0;
    this.responsesSeen.length = 0;
    this.pendingRestarts.clear();
    this.world = null;
  }

  schedule(plan: FaultPlan): void {
    for (const fault of plan.faults) {
      let action: Action;
      if (fault.kind === 'crash') {
        action = { kind: 'crash', node: crashableProcess(this.sim, fault.node), downMs: Math.max(1, fault.downMs) };
      } else if (fault.kind === 'ip-change') {
        const moving = this.sim.findNode(fault.actor);
        if (moving === undefined) continue; // an actor this case does not have
        action = { kind: 'ip-change', node: moving.id, ip: fault.ip };
      } else {
        continue;
      }
      if (fault.after === undefined) {
        this.sim.setTimer(this, fault.atMs, SHARED_OWNER, action);
      } else {
        const actor = this.sim.nodes.find((n) => n.name === fault.after?.actor);
        // A fault anchored to an actor this case does not have never happens.
        if (actor !== undefined) this.anchored.push({ actor: actor.id, nthResponse: fault.after.nthResponse, delayMs: fault.atMs, action });
      }
    }
    if (this.anchored.length > 0) this.sim.onResponseDelivered = (to) => this.responseDelivered(to);
  }

  private responseDelivered(to: number): void {
    const seen = (this.responsesSeen[to] ?? 0) + 1;
    this.responsesSeen[to] = seen;
    for (const a of this.anchored) {
      if (a.actor === to && a.nthResponse === seen) this.sim.setTimer(this, a.delayMs, SHARED_OWNER, a.action);
    }
  }

  receive(message: Message): void {
    if (message.kind !== 'timer') throw new Error(`fault injector got a ${message.kind}; it only takes its own timers`);
    const action = message.payload as Action;
    if (action.kind === 'ip-change') {
      const network = this.sim.network;
      if (network === null) throw new Error('fault injector: an ip-change fault needs a network');
      network.changeAddress(action.node, action.ip);
      return;
    }
    if (action.kind === 'restart') {
      this.pendingRestarts.delete(action.node.id);
      action.node.restart();
      return;
    }
    // Overlapping crashes: the node stays down until the latest of their restarts.
    const restartAtMs = this.sim.nowMs + action.downMs;
    const pending = this.pendingRestarts.get(action.node.id);
    if (pending !== undefined) {
      if (pending.dueMs >= restartAtMs) return;
      this.sim.cancel(pending);
    }
    action.node.crash();
    const restart: Action = { kind: 'restart', node: action.node, downMs: 0 };
    this.pendingRestarts.set(action.node.id, this.sim.setTimer(this, action.downMs, SHARED_OWNER, restart));
  }
}

/** A case whose faults name a process the deployment does not have: a generated case never does
 * (its faults are drawn from the deployment), so it comes from a token edited by hand, or replayed
 * on another deployment (a routing file's token under a built-in strategy): bad input for replay. */
export class CaseDoesNotFitError extends Error {}

/** The process a crash (a fault plan's, or one `explore` may place) names. */
export function crashableProcess(sim: Sim, name: string): ProcessNode {
  const node = sim.findNode(name);
  if (node instanceof ProcessNode) return node;
  const processes = sim.nodes.filter((n) => n instanceof ProcessNode).map((n) => n.name);
  throw new CaseDoesNotFitError(`the case crashes ${name}, which is not a process of this deployment (its processes: ${processes.join(', ')})`);
}
