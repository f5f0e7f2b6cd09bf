import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeMessage, type Message } from '../../src/message.js';
import { Scheduler } from '../../src/scheduler.js';
import { ScriptedChooser } from './helpers.js';

const DAY = 86_400_000;

/** The wheel size (1 ms slots) is not exported; the constructor's error message names it, so
 * the boundary tests below follow it if it is tuned. */
const WHEEL_SIZE = ((): number => {
  try {
    new Scheduler(2 ** 30);
  } catch (error) {
    const match = /\[0, (\d+)\)/.exec(String(error));
    if (match !== null) return Number(match[1]);
  }
  throw new Error('could not learn the wheel size from the scheduler');
})();

let nextId = 1;
function timer(owner = 0): Message {
  return makeMessage('timer', nextId++, 0, 0, owner, -1, -1, null);
}

const first = new ScriptedChooser(() => 0);

/** Schedules one event per due time; returns them in scheduling order. */
function scheduleAll(scheduler: Scheduler, dues: readonly number[]): Message[] {
  return dues.map((due) => {
    const m = timer();
    scheduler.schedule(m, due);
    return m;
  });
}

function drain(scheduler: Scheduler, chooser = first): Message[] {
  const out: Message[] = [];
  for (let m = scheduler.next(chooser); m !== undefined; m = scheduler.next(chooser)) out.push(m);
  return out;
}

/** Sorts by (due, seq), the natural order. */
const naturalOrder = (messages: readonly Message[]): Message[] => [...messages].sort((a, b) => a.dueMs - b.dueMs || a.seq - b.seq);

describe('Scheduler', () => {
  it('rejects a reorder window outside [0, wheel size)', () => {
    expect(WHEEL_SIZE).toBeGreaterThanOrEqual(256);
    expect(() => new Scheduler(-1)).toThrow(/reorder window/);
    expect(() => new Scheduler(WHEEL_SIZE)).toThrow(/reorder window/);
    expect(() => new Scheduler(WHEEL_SIZE - 1)).not.toThrow();
  });

  it('returns undefined when empty', () => {
    const scheduler = new Scheduler(0);
    expect(scheduler.size).toBe(0);
    expect(scheduler.next(first)).toBeUndefined();
  });

  it('delivers FIFO by (due, seq) when the chooser always picks 0', () => {
    const scheduler = new Scheduler(5);
    const events = scheduleAll(scheduler, [30, 10, 20, 10, 0, 30, 10]);
    expect(scheduler.size).toBe(7);
    const out = drain(scheduler);
    expect(out).toEqual(naturalOrder(events));
    expect(out.map((m) => m.dueMs)).toEqual([0, 10, 10, 10, 20, 30, 30]);
    // Ties at 10 keep the scheduling order.
    expect(out.slice(1, 4)).toEqual([events[1], events[3], events[6]]);
    expect(scheduler.size).toBe(0);
  });

  it('assigns increasing sequence numbers in scheduling order', () => {
    const scheduler = new Scheduler(0);
    const events = scheduleAll(scheduler, [5, 1, 3]);
    expect(events.map((m) => m.seq)).toEqual([0, 1, 2]);
  });

  describe('reorder window', () => {
    it('offers every event due within W ms of the earliest, in (due, seq) order, and delivers the picked one', () => {
      for (let pick = 0; pick < 4; pick++) {
        const scheduler = new Scheduler(10);
        const [a, b, c, d, late] = scheduleAll(scheduler, [0, 10, 5, 5, 11]);
        const chooser = new ScriptedChooser(() => pick);
        const chosen = scheduler.next(chooser);
        expect(chooser.calls).toEqual([{ n: 4, owner: 0 }]);
        expect(chosen).toBe([a, c, d, b][pick]);
        expect(chosen).not.toBe(late);
        expect(scheduler.size).toBe(4);
      }
    });

    it('does not offer events due beyond the window (nor ask the chooser when one candidate is left)', () => {
      const scheduler = new Scheduler(10);
      const [a, b] = scheduleAll(scheduler, [0, 11]);
      const chooser = new ScriptedChooser(() => 1);
      expect(scheduler.next(chooser)).toBe(a);
      expect(scheduler.next(chooser)).toBe(b);
      expect(chooser.calls).toEqual([]);
    });

    it('with W = 0 still lets the chooser reorder events due at the same time', () => {
      const scheduler = new Scheduler(0);
      const [a, b, c] = scheduleAll(scheduler, [3, 3, 4]);
      const chooser = new ScriptedChooser(() => 1);
      expect(scheduler.next(chooser)).toBe(b);
      expect(chooser.calls).toEqual([{ n: 2, owner: 0 }]);
      expect(scheduler.next(chooser)).toBe(a);
      expect(scheduler.next(chooser)).toBe(c);
    });

    it('asks the chooser on behalf of the owner of the earliest candidate', () => {
      const scheduler = new Scheduler(10);
      const a = timer(2);
      const b = timer(7);
      scheduler.schedule(b, 4);
      scheduler.schedule(a, 1);
      const chooser = new ScriptedChooser(() => 1);
      expect(scheduler.next(chooser)).toBe(b);
      expect(chooser.calls).toEqual([{ n: 2, owner: 2 }]);
    });

    it('keeps the earlier events after a later one was picked, and the window stays anchored on the earliest', () => {
      const scheduler = new Scheduler(10);
      const [a, b, c] = scheduleAll(scheduler, [0, 8, 15]);
      const last = new ScriptedChooser((n) => n - 1);
      expect(scheduler.next(last)).toBe(b);
      // The earliest is still a (due 0): c (due 15) is beyond its window.
      expect(scheduler.next(last)).toBe(a);
      expect(scheduler.next(last)).toBe(c);
    });
  });

  describe('overflow beyond the wheel', () => {
    it('delivers events due beyond the wheel size in order', () => {
      const scheduler = new Scheduler(0);
      const W = WHEEL_SIZE;
      const events = scheduleAll(scheduler, [20_000, W, W - 1, 100, 2 * W, W + 1, 20_000, 12_345, 0, 4096, 4095, 2 * W - 1, 3 * W + 7]);
      expect(drain(scheduler)).toEqual(naturalOrder(events));
    });

    it('interleaves overflow events with wheel events scheduled later, keeping (due, seq) order', () => {
      const scheduler = new Scheduler(0);
      const far = WHEEL_SIZE + WHEEL_SIZE / 2;
      const near = WHEEL_SIZE - WHEEL_SIZE / 32;
      const [x, start] = scheduleAll(scheduler, [far, near]); // x goes to the overflow heap
      expect(scheduler.next(first)).toBe(start); // the wheel now starts at `near`: x is within reach
      const [y, z, w] = scheduleAll(scheduler, [far, far - 1, far + 1]);
      expect(drain(scheduler)).toEqual([z, x, y, w]);
    });

    it('moves an overflow event into the wheel as soon as it is within reach, even at the last slot', () => {
      const scheduler = new Scheduler(0);
      const edge = 1000 + WHEEL_SIZE - 1;
      const [x, start] = scheduleAll(scheduler, [edge, 1000]); // x in the overflow heap
      expect(scheduler.next(first)).toBe(start); // x is now due in the wheel's last slot
      const [y, before] = scheduleAll(scheduler, [edge, edge - 1]);
      expect(drain(scheduler)).toEqual([before, x, y]);
    });

    it('offers an overflow event as a candidate once it falls within the window', () => {
      const scheduler = new Scheduler(10);
      const [a, b] = scheduleAll(scheduler, [WHEEL_SIZE - 6, WHEEL_SIZE + 4]); // b starts in the overflow heap
      const chooser = new ScriptedChooser(() => 1);
      expect(scheduler.next(chooser)).toBe(b);
      expect(chooser.calls).toEqual([{ n: 2, owner: 0 }]);
      expect(scheduler.next(chooser)).toBe(a);
    });

    it('handles time jumps of days', () => {
      const scheduler = new Scheduler(50);
      const [d7, d3, d3b] = scheduleAll(scheduler, [7 * DAY, 3 * DAY, 3 * DAY + 20]);
      const chooser = new ScriptedChooser(() => 0);
      expect(scheduler.next(chooser)).toBe(d3);
      expect(chooser.calls).toEqual([{ n: 2, owner: 0 }]);
      // Relative scheduling from the new start of the wheel.
      const [soon, later] = scheduleAll(scheduler, [3 * DAY + 10, 3 * DAY + WHEEL_SIZE + 900]);
      expect(drain(scheduler)).toEqual([soon, d3b, later, d7]);
      expect(d7?.dueMs).toBe(7 * DAY);
    });

    it('delivers a later-scheduled event due the same ms after an overflow one (seq order across heap and wheel)', () => {
      const scheduler = new Scheduler(0);
      const [overflowed] = scheduleAll(scheduler, [2 * DAY]);
      const [anchor] = scheduleAll(scheduler, [2 * DAY - 100]); // also overflow
      expect(scheduler.next(first)).toBe(anchor);
      const [wheel] = scheduleAll(scheduler, [2 * DAY]);
      expect(drain(scheduler)).toEqual([overflowed, wheel]);
    });
  });

  describe('cancel', () => {
    it('removes a queued wheel event: size drops and it is never delivered', () => {
      const scheduler = new Scheduler(0);
      const [a, b, c] = scheduleAll(scheduler, [1, 2, 3]);
      scheduler.cancel(b as Message);
      expect(scheduler.size).toBe(2);
      expect(b?.cancelled).toBe(true);
      expect(drain(scheduler)).toEqual([a, c]);
    });

    it('removes a queued overflow event', () => {
      const scheduler = new Scheduler(0);
      const [a, b, c] = scheduleAll(scheduler, [10, DAY, 2 * DAY]);
      scheduler.cancel(b as Message);
      expect(scheduler.size).toBe(2);
      expect(drain(scheduler)).toEqual([a, c]);
    });

    it('removes the only event, even when it sits in the overflow heap', () => {
      const scheduler = new Scheduler(0);
      const [only] = scheduleAll(scheduler, [DAY]);
      scheduler.cancel(only as Message);
      expect(scheduler.size).toBe(0);
      expect(scheduler.next(first)).toBeUndefined();
    });

    it('keeps a cancelled event out of the reorder window candidates', () => {
      const scheduler = new Scheduler(10);
      const [a, b, c] = scheduleAll(scheduler, [0, 3, 6]);
      scheduler.cancel(b as Message);
      const chooser = new ScriptedChooser(() => 1);
      expect(scheduler.next(chooser)).toBe(c);
      expect(chooser.calls).toEqual([{ n: 2, owner: 0 }]);
      expect(scheduler.next(chooser)).toBe(a);
    });

    it('is a no-op for an event already delivered, and for a second cancel', () => {
      const scheduler = new Scheduler(0);
      const [a, b] = scheduleAll(scheduler, [1, 2]);
      expect(scheduler.next(first)).toBe(a);
      scheduler.cancel(a as Message);
      expect(scheduler.size).toBe(1);
      expect(a?.cancelled).toBe(false);
      scheduler.cancel(b as Message);
      scheduler.cancel(b as Message);
      expect(scheduler.size).toBe(0);
      expect(scheduler.next(first)).toBeUndefined();
    });
  });

  it('clamps an event scheduled in the past to the start of the wheel', () => {
    const scheduler = new Scheduler(0);
    const [a, b, c] = scheduleAll(scheduler, [1000, 1000, 1001]);
    expect(scheduler.next(first)).toBe(a); // the wheel starts at 1000 now
    const [past] = scheduleAll(scheduler, [500]);
    expect(past?.dueMs).toBe(1000);
    expect(drain(scheduler)).toEqual([b, past, c]);
  });

  it('matches a sorted-list model under any mix of schedule, next and cancel', () => {
    const delta = fc.oneof(
      fc.integer({ min: 0, max: 20 }),
      fc.integer({ min: WHEEL_SIZE - 15, max: WHEEL_SIZE + 15 }),
      fc.integer({ min: 4080, max: 4110 }),
      fc.integer({ min: WHEEL_SIZE + 16, max: 3 * DAY }),
    );
    const op = fc.oneof(
      fc.record({ op: fc.constant('schedule' as const), delta }),
      fc.record({ op: fc.constant('next' as const) }),
      fc.record({ op: fc.constant('cancel' as const), index: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const scheduler = new Scheduler(0);
        let model: Message[] = [];
        const all: Message[] = [];
        let lastDue = 0;
        for (const o of ops) {
          if (o.op === 'schedule') {
            const m = timer();
            scheduler.schedule(m, lastDue + o.delta);
            expect(m.dueMs).toBe(lastDue + o.delta);
            model.push(m);
            all.push(m);
          } else if (o.op === 'next') {
            const expected = naturalOrder(model)[0];
            const got = scheduler.next(first);
            expect(got).toBe(expected);
            if (got !== undefined) {
              lastDue = got.dueMs;
              model = model.filter((m) => m !== got);
            }
          } else if (all.length > 0) {
            const target = all[o.index % all.length] as Message;
            scheduler.cancel(target);
            model = model.filter((m) => m !== target);
          }
          expect(scheduler.size).toBe(model.length);
        }
        expect(drain(scheduler)).toEqual(naturalOrder(model));
      }),
      { numRuns: 300 },
    );
  });
});
