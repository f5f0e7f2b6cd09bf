import type { Decider } from './orders-scheduler.js';

/** Follows a recorded path of decisions (an explored counterexample's): entry mod the options
 * it has, past the end 0, the natural order, like a tape (src/chooser.ts). */
export class ReplayDecider implements Decider {
  private cursor = 0;

  constructor(private readonly decisions: readonly number[]) {}

  decide(options: number): number {
    const entry = this.decisions[this.cursor++];
    return entry === undefined ? 0 : entry % options;
  }
}
