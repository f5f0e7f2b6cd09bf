import type { Chooser } from './chooser.js';
import type { Message } from './message.js';

const WHEEL_BITS = 8;
/** Slots of 1 ms; events due further ahead wait in the overflow heap. 256 ms holds every
 * network hop and backend round trip; timeouts, pauses and sweeps are seconds away and go to
 * the heap at any size, and every run builds its own wheel, so a small one is cheaper. */
const WHEEL_SIZE = 1 << WHEEL_BITS;
const WHEEL_MASK = WHEEL_SIZE - 1;

/** What the simulation loop needs of its event queue: the timing wheel below in every normal
 * run; exhaustive exploration (src/explore/) brings its own, which offers orders, not latencies. */
export interface EventQueue {
  readonly size: number;
  schedule(message: Message, dueMs: number): void;
  cancel(message: Message): void;
  next(chooser: Chooser): Message | undefined;
}

/**
 * The event queue: a timing wheel of 1 ms slots with an occupancy bitmap, plus an overflow heap
 * for events due beyond the wheel (docs/architecture.md "Hot loop"). Events are ordered by (due time,
 * sequence). `next` offers every event due within `reorderWindowMs` of the earliest one to the
 * chooser; the natural order (pick 0) is FIFO by (due, seq). A slot is a list threaded through
 * the events themselves (`nextInSlot`), so queueing allocates nothing.
 */
export class Scheduler implements EventQueue {
  /** Per slot: its first and last event. No typed array here: one above 64 bytes lives outside
   * V8's heap, and allocating and freeing one per run costs more than the wheel saves. */
  private readonly heads = new Array<Message | null>(WHEEL_SIZE).fill(null);
  private readonly tails = new Array<Message | null>(WHEEL_SIZE).fill(null);
  private readonly occupied = new Uint32Array(WHEEL_SIZE >>> 5);
  /** Earliest time any queued event can be due; slot `baseMs & MASK` is the wheel's start. */
  private baseMs = 0;
  private wheelCount = 0;
  private readonly overflow: Message[] = [];
  private liveCount = 0;
  private nextSeq = 0;

  constructor(private readonly reorderWindowMs: number) {
    if (!(reorderWindowMs >= 0 && reorderWindowMs < WHEEL_SIZE)) {
      throw new Error(`scheduler: reorder window ${reorderWindowMs} ms must be in [0, ${WHEEL_SIZE})`);
    }
  }

  /** Live (not cancelled) events queued. */
  get size(): number {
    return this.liveCount;
  }

  schedule(message: Message, dueMs: number): void {
    // Nothing can be due before the wheel's start: the clock never goes back.
    const due = dueMs < this.baseMs ? this.baseMs : dueMs;
    message.dueMs = due;
    message.seq = this.nextSeq++;
    this.liveCount++;
    if (due - this.baseMs < WHEEL_SIZE) this.putInWheel(message);
    else heapPush(this.overflow, message);
  }

  /** Cancels a queued event; it will never be delivered nor offered to the chooser. Cancelling
   * an event that was already delivered does nothing. */
  cancel(message: Message): void {
    if (message.cancelled) return;
    if (message.dueMs - this.baseMs < WHEEL_SIZE) {
      const index = message.dueMs & WHEEL_MASK;
      let previous: Message | null = null;
      let at = this.heads[index] as Message | null;
      while (at !== null && at !== message) {
        previous = at;
        at = at.nextInSlot;
      }
      if (at === null) return;
      this.unlink(index, previous, message);
    }
    // In the overflow heap it stays, marked, until it surfaces.
    message.cancelled = true;
    this.liveCount--;
  }

  /** Removes and returns the next event, letting the chooser pick within the reorder window.
   * The candidates are counted in place (no array per step): usually there is just one. */
  next(chooser: Chooser): Message | undefined {
    if (this.liveCount === 0) return undefined;
    const first = this.earliestSlotTime();
    const heads = this.heads;
    const head = heads[first & WHEEL_MASK] as Message;
    // Usually the earliest event is alone in the window: no choice to make.
    let total = 0;
    const last = first + this.reorderWindowMs;
    for (let t = first; t <= last && total < 2; t++) for (let m = heads[t & WHEEL_MASK] as Message | null; m !== null && total < 2; m = m.nextInSlot) total++;
    if (total < 2) {
      this.unlink(first & WHEEL_MASK, null, head);
      this.liveCount--;
      return head;
    }
    total = 0;
    for (let t = first; t <= last; t++) for (let m = heads[t & WHEEL_MASK] as Message | null; m !== null; m = m.nextInSlot) total++;
    let index = chooser.pick(total, head.owner);
    let t = first;
    let previous: Message | null = null;
    let chosen = heads[t & WHEEL_MASK] as Message | null;
    for (;;) {
      if (chosen === null) {
        t++;
        previous = null;
        chosen = heads[t & WHEEL_MASK] as Message | null;
      } else if (index === 0) {
        break;
      } else {
        index--;
        previous = chosen;
        chosen = chosen.nextInSlot;
      }
    }
    this.unlink(t & WHEEL_MASK, previous, chosen);
    this.liveCount--;
    return chosen;
  }

  private putInWheel(message: Message): void {
    const index = message.dueMs & WHEEL_MASK;
    const tail = this.tails[index] as Message | null;
    if (tail === null) this.heads[index] = message;
    else tail.nextInSlot = message;
    this.tails[index] = message;
    this.occupied[index >>> 5]! |= 1 << (index & 31);
    this.wheelCount++;
  }

  /** Takes `message` out of slot `index`, where it follows `previous` (null: it is the head). */
  private unlink(index: number, previous: Message | null, message: Message): void {
    const after = message.nextInSlot;
    if (previous === null) this.heads[index] = after;
    else previous.nextInSlot = after;
    if (this.tails[index] === message) this.tails[index] = previous;
    message.nextInSlot = null;
    this.wheelCount--;
    if (after === null && previous === null) this.occupied[index >>> 5]! &= ~(1 << (index & 31));
  }

  /** The due time of the earliest live event; moves the wheel's start there. */
  private earliestSlotTime(): number {
    if (this.wheelCount === 0) {
      // Jump straight to the overflow's earliest live event.
      while (this.overflow.length > 0 && (this.overflow[0] as Message).cancelled) heapPop(this.overflow);
      const top = this.overflow[0];
      if (top === undefined) throw new Error('scheduler: live count says an event is queued but none is');
      this.advanceBase(top.dueMs);
      return top.dueMs;
    }
    const found = this.scanFrom(this.baseMs);
    this.advanceBase(found);
    return found;
  }

  /** First occupied slot time at or after `fromMs`, using the bitmap a 32-slot word at a time. */
  private scanFrom(fromMs: number): number {
    let t = fromMs;
    for (let steps = 0; steps <= WHEEL_SIZE; ) {
      const index = t & WHEEL_MASK;
      const word = (this.occupied[index >>> 5] as number) >>> (index & 31);
      if (word !== 0) return t + (31 - Math.clz32(word & -word));
      const skip = 32 - (index & 31);
      t += skip;
      steps += skip;
    }
    throw new Error('scheduler: wheel count is positive but no slot is occupied');
  }

  private advanceBase(toMs: number): void {
    if (toMs <= this.baseMs) return;
    this.baseMs = toMs;
    // Move everything now within the wheel's horizon out of the overflow, before anything new can
    // be scheduled into those slots, so (due, seq) order inside a slot is kept.
    const heap = this.overflow;
    while (heap.length > 0 && (heap[0] as Message).dueMs - toMs < WHEEL_SIZE) {
      const m = heapPop(heap) as Message;
      if (!m.cancelled) this.putInWheel(m);
    }
  }
}

function before(a: Message, b: Message): boolean {
  return a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq);
}

function heapPush(heap: Message[], m: Message): void {
  heap.push(m);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(m, heap[parent] as Message)) break;
    heap[i] = heap[parent] as Message;
    i = parent;
  }
  heap[i] = m;
}

function heapPop(heap: Message[]): Message | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || last === undefined) return top;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= heap.length) break;
    const r = l + 1;
    const child = r < heap.length && before(heap[r] as Message, heap[l] as Message) ? r : l;
    if (!before(heap[child] as Message, last)) break;
    heap[i] = heap[child] as Message;
    i = child;
  }
  heap[i] = last;
  return top;
}
