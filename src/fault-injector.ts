import { SHARED_OWNER } from './chooser.js';
import type { FaultPlan } from './faults.js';
import type { Message } from './message.js';
import { ProcessNode } from './process.js';
import type { Sim, SimNode } from './sim.js';

type Action = { readonly kind: 'crash' | 'restart'; readonly node: ProcessNode };

/**
 * Turns the crash faults of a plan into timer events, so crashes and restarts are ordered with
 * every other event by the same scheduler (and a trace shows exactly where they fell).
 * Partitions and drops are applied by the Network.
 */
export class FaultInjector implements SimNode {
  readonly up = true;
  readonly incarnation = 1;

  constructor(
    private readonly sim: Sim,
    readonly id: number,
    readonly name: string,
  ) {}

  schedule(plan: FaultPlan): void {
    for (const fault of plan.faults) {
      if (fault.kind !== 'crash') continue;
      const node = this.sim.nodeByName(fault.node);
      if (!(node instanceof ProcessNode)) throw new Error(`fault plan: ${fault.node} is not a process and cannot crash`);
      const crash: Action = { kind: 'crash', node };
      const restart: Action = { kind: 'restart', node };
      this.sim.setTimer(this, fault.atMs, SHARED_OWNER, crash);
      this.sim.setTimer(this, fault.atMs + Math.max(1, fault.downMs), SHARED_OWNER, restart);
    }
  }

  receive(message: Message): void {
    if (message.kind !== 'timer') throw new Error(`fault injector got a ${message.kind}; it only takes its own timers`);
    const action = message.payload as Action;
    if (action.kind === 'crash') action.node.crash();
    else action.node.restart();
  }
}
