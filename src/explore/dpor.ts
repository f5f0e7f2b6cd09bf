import type { Step } from './orders-scheduler.js';

/** Vector-clock components: steps on every node, the fault budget, then one per state. */
const EVERY_NODE = 0;
const FAULT_BUDGET = 1;
const FIRST_STATE = 2;

/**
 * The races of one run, for dynamic partial-order reduction (Flanagan and Godefroid, POPL 2005,
 * with sleep sets; docs/explore.md "DPOR").
 *
 * Two steps are dependent when they act on the same state (`Step.target`), when both are faults
 * (counted as dependent among themselves, to be safe: crashes and losses have budgets of their
 * own), or when either acts on every node (-1). A step happens before a later
 * one when they are dependent, or when the later one's message was sent by it, and transitively;
 * vector clocks keep that relation, with one component per state, one for the fault budget and
 * one for the steps on every node.
 *
 * An event that could happen next (taken or not) races with the latest earlier step dependent
 * with it that does not happen before the step that sent its message: the two could have come
 * the other way round. The search must then also try, at the decision before that step, the
 * option that is this event (or every option, when it was not an option there). The
 * steps of one component are pairwise dependent, so only each component's latest step needs a
 * look; a step on every node is dependent with all, so for it the latest step not happening
 * before its cause is the race.
 */
export class RaceTracker {
  /** Per step: its vector clock. */
  private readonly clocks: number[][] = [];
  /** Per step: its first component and its 1-based position among that component's steps (a
   * fault's two components count it alike: it is last in both). */
  private readonly components: number[] = [];
  private readonly positions: number[] = [];
  /** Per step: the decision (depth) that chose it, -1 for a forced one. */
  private readonly decisions: number[] = [];
  /** Steps so far per component, and the latest step of each. */
  private readonly counts: number[] = [];
  private readonly latest: number[] = [];

  /** Takes the next step of the run (chosen at decision `depth`, -1 when forced), after
   * reporting its race, if any, to `onRace` (none given: its race was reported already, as an
   * option of its decision). */
  step(step: Step, depth: number, onRace?: (depth: number, key: string) => void): void {
    if (onRace !== undefined) this.pending(step, onRace);
    const j = this.components.length;
    const own = componentsOf(step);
    let clock: number[];
    if (own.length === 0) clock = [...this.counts];
    else {
      const everyNode = this.latest[EVERY_NODE];
      clock = everyNode === undefined ? [] : [...(this.clocks[everyNode] as number[])];
      for (const c of own) {
        const latest = this.latest[c];
        if (latest !== undefined) max(clock, this.clocks[latest] as number[]);
      }
    }
    if (step.sentBy >= 0) max(clock, this.clocks[step.sentBy] as number[]);
    const mine = own.length === 0 ? [EVERY_NODE] : own;
    for (const c of mine) {
      const count = (this.counts[c] ?? 0) + 1;
      this.counts[c] = count;
      clock[c] = count;
      this.latest[c] = j;
    }
    this.clocks.push(clock);
    this.components.push(mine[0] as number);
    this.positions.push(clock[mine[0] as number] as number);
    this.decisions.push(depth);
  }

  /**
   * Reports the race of an event that could happen next (an option of the current state, taken
   * or not) with the steps so far. Options never taken count too: a crash the run never placed,
   * a delivery the run ended before (Flanagan and Godefroid look at every process's next
   * transition at every state, not only at the executed ones).
   */
  pending(event: Step, onRace: (depth: number, key: string) => void): void {
    const partner = this.partnerOf(event);
    if (partner < 0) return;
    const at = this.decisions[partner] as number;
    if (at >= 0) onRace(at, event.key);
  }

  /** The latest step dependent with `event` that does not happen before its cause; -1: none. */
  private partnerOf(event: Step): number {
    const own = componentsOf(event);
    if (own.length === 0) {
      for (let i = this.components.length - 1; i >= 0; i--) if (!this.happensBefore(i, event.sentBy)) return i;
      return -1;
    }
    let partner = -1;
    for (const c of [EVERY_NODE, ...own]) {
      const i = this.latest[c];
      if (i !== undefined && i > partner && !this.happensBefore(i, event.sentBy)) partner = i;
    }
    return partner;
  }

  /**
   * The run ended with its last step (the last client finished, and the world stopped): that
   * step disabled whatever else could have happened, so it counts as acting on every node. Its
   * race is the latest step before it that does not happen before its cause.
   */
  endedBy(last: Step, onRace: (depth: number, key: string) => void): void {
    for (let i = this.components.length - 2; i >= 0; i--) {
      if (this.happensBefore(i, last.sentBy)) continue;
      const at = this.decisions[i] as number;
      if (at >= 0) onRace(at, last.key);
      return;
    }
  }

  /** Whether step i happens before step k, or is k (false when k is -1: no step). */
  private happensBefore(i: number, k: number): boolean {
    if (k < 0) return false;
    if (i === k) return true;
    return ((this.clocks[k] as number[])[this.components[i] as number] ?? 0) >= (this.positions[i] as number);
  }
}

/** The components a step is on; none: every node. */
function componentsOf(step: Step): number[] {
  if (step.target < 0) return [];
  return step.fault ? [FIRST_STATE + step.target, FAULT_BUDGET] : [FIRST_STATE + step.target];
}

function max(into: number[], other: readonly number[]): void {
  for (let c = 0; c < other.length; c++) {
    const v = other[c] ?? 0;
    if (v > (into[c] ?? 0)) into[c] = v;
  }
}
