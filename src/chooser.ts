import type { Rng } from './rng.js';

/**
 * Every control-flow choice of a run goes through `pick(n, owner)`: which of the events in the
 * reorder window runs next, a message's latency bucket, a `random` balancer's upstream.
 * `owner` is the client-side actor whose request caused the choice (docs/architecture.md "Scheduler and
 * choosers"), or SHARED_OWNER for choices nobody owns. `pick(1)` consumes nothing.
 */
export interface Chooser {
  pick(n: number, owner: number): number;
}

/** The owner of choices that no client-side actor caused (timers, sweeps, faults). */
export const SHARED_OWNER = -1;

/** Seeded choices; records every non-trivial pick per owner so a run can be turned into tapes. */
export class RandomChooser implements Chooser {
  readonly picks = new Map<number, number[]>();

  constructor(private readonly rng: Rng) {}

  pick(n: number, owner: number): number {
    if (n <= 1) return 0;
    const choice = this.rng.int(n);
    let list = this.picks.get(owner);
    if (list === undefined) {
      list = [];
      this.picks.set(owner, list);
    }
    list.push(choice);
    return choice;
  }
}

/**
 * One tape per client-side actor plus one shared tape. A choice reads the next entry of its
 * owner's tape (entry mod n); past the end it answers 0, the natural order. Because each actor
 * has its own tape, deleting a client or one entry does not shift the meaning of the choices of
 * the other actors, which is what lets fast-check shrink interleavings.
 */
export class TapeChooser implements Chooser {
  private readonly cursors: number[];
  /** The choices actually made per tape (entry mod n), the last slot for the shared tape:
   * the canonical form of the tapes, which replays to the same run. */
  readonly picks: number[][];

  constructor(
    private readonly actorTapes: readonly (readonly number[])[],
    private readonly sharedTape: readonly number[] = [],
  ) {
    this.cursors = new Array<number>(actorTapes.length + 1).fill(0);
    this.picks = this.cursors.map(() => []);
  }

  /** The canonical tapes: the choices made, trailing natural-order (0) choices dropped. */
  canonical(): { actors: number[][]; shared: number[] } {
    const trimmed = this.picks.map((list) => {
      let end = list.length;
      while (end > 0 && list[end - 1] === 0) end--;
      return list.slice(0, end);
    });
    return { actors: trimmed.slice(0, -1), shared: trimmed[trimmed.length - 1] ?? [] };
  }

  pick(n: number, owner: number): number {
    if (n <= 1) return 0;
    const slot = owner === SHARED_OWNER ? this.actorTapes.length : owner;
    const tape = owner === SHARED_OWNER ? this.sharedTape : this.actorTapes[owner];
    if (tape === undefined) return 0;
    const cursor = this.cursors[slot] ?? 0;
    this.cursors[slot] = cursor + 1;
    const entry = tape[cursor];
    const choice = entry === undefined ? 0 : entry % n;
    (this.picks[slot] as number[]).push(choice);
    return choice;
  }
}

/**
 * Depth-first enumeration of every sequence of picks, for bounded model checking: run a case
 * with `chooser`, then call `advance()`; it returns false when every branch has been run.
 */
export class ExhaustiveChooser implements Chooser {
  private readonly path: number[] = [];
  private readonly widths: number[] = [];
  private depth = 0;

  pick(n: number, _owner: number): number {
    if (n <= 1) return 0;
    const d = this.depth++;
    if (d < this.path.length) {
      if (this.widths[d] !== n) {
        throw new Error(`exhaustive chooser: choice ${d} had ${this.widths[d]} options, now ${n}; the case is not deterministic`);
      }
      return this.path[d] ?? 0;
    }
    this.path.push(0);
    this.widths.push(n);
    return 0;
  }

  /** Moves to the next unexplored branch; false when the tree is exhausted. */
  advance(): boolean {
    this.path.length = Math.min(this.path.length, this.depth);
    this.widths.length = this.path.length;
    this.depth = 0;
    while (this.path.length > 0) {
      const last = this.path.length - 1;
      const next = (this.path[last] ?? 0) + 1;
      if (next < (this.widths[last] ?? 0)) {
        this.path[last] = next;
        return true;
      }
      this.path.pop();
      this.widths.pop();
    }
    return false;
  }
}
