import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/clock.js';
import { RecorderNode, ScriptedChooser, makeSim } from './helpers.js';

describe('Clock', () => {
  it('starts at 0 and moves forward to a later time', () => {
    const clock = new Clock();
    expect(clock.nowMs).toBe(0);
    clock.advanceTo(250);
    expect(clock.nowMs).toBe(250);
    clock.advanceTo(3 * 86_400_000);
    expect(clock.nowMs).toBe(3 * 86_400_000);
  });

  it('never goes backwards: an earlier time leaves it where it is', () => {
    const clock = new Clock();
    clock.advanceTo(100);
    clock.advanceTo(40);
    expect(clock.nowMs).toBe(100);
    clock.advanceTo(100);
    expect(clock.nowMs).toBe(100);
  });

  it('is the running maximum of every time it was moved to', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1_000_000)), (times) => {
        const clock = new Clock();
        let max = 0;
        for (const t of times) {
          const before = clock.nowMs;
          clock.advanceTo(t);
          max = Math.max(max, t);
          expect(clock.nowMs).toBe(max);
          expect(clock.nowMs).toBeGreaterThanOrEqual(before);
        }
      }),
    );
  });

  it('does not go back in a run when the chooser picks a later event of the reorder window first', () => {
    // Always pick the last candidate: the event due at 5 runs before the one due at 0.
    const sim = makeSim({ reorderWindowMs: 10, chooser: new ScriptedChooser((n) => n - 1) });
    const node = sim.addNode((id) => new RecorderNode(sim, id, 'n'));
    for (const due of [0, 5, 3, 9]) sim.setTimer(node, due, 0, due);
    sim.run();
    const order = node.received.map((r) => r.message.payload);
    expect(order[0]).toBe(9);
    const times = node.received.map((r) => r.atMs);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1] as number);
    // The events due earlier ran "now", at the later time.
    expect(times).toEqual([9, 9, 9, 9]);
  });
});
