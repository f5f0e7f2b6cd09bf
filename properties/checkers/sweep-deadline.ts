import type { LifecycleEvent } from '../../src/trace.js';

/** A stretch of time during which a sweep may not happen or not reach the store. */
export interface Blocked {
  readonly fromMs: number;
  /** Exclusive; Infinity for a process that never came back. */
  readonly untilMs: number;
}

/**
 * The stretches during which expiry sweeps may not run: every process or store node down (crash
 * to restart, or to the end of the run) and every partition. Deliberately conservative: any
 * fault anywhere may be the sweeping process being down or cut off from the store, so the
 * deadline moves past it, and expiry-honoured never calls a delayed sweep a violation.
 */
export function blockedStretches(lifecycle: readonly LifecycleEvent[], partitions: readonly Blocked[]): Blocked[] {
  const blocked: Blocked[] = [...partitions];
  const downSince = new Map<number, number>();
  for (const event of lifecycle) {
    if (event.kind === 'crash') downSince.set(event.node, event.atMs);
    else {
      blocked.push({ fromMs: downSince.get(event.node) ?? 0, untilMs: event.atMs });
      downSince.delete(event.node);
    }
  }
  for (const fromMs of downSince.values()) blocked.push({ fromMs, untilMs: Infinity });
  return blocked;
}

/**
 * The first time t >= `dueMs` + one sweep interval such that the sweeping process has been up,
 * and able to reach the store, for the whole interval before t: a process's sweep is a looping
 * call every `sweepEveryMs` from its start (uia §2.8; models/synapse/app.ts), so a whole
 * unblocked interval ending at t contains a sweep at or after `dueMs`. Infinity when a stretch
 * never ends.
 */
export function sweepDeadlineMs(dueMs: number, sweepEveryMs: number, blocked: readonly Blocked[]): number {
  let t = dueMs + sweepEveryMs;
  for (;;) {
    const overlapping = blocked.find((b) => b.fromMs <= t && b.untilMs > t - sweepEveryMs);
    if (overlapping === undefined) return t;
    if (overlapping.untilMs === Infinity) return Infinity;
    t = Math.max(t, overlapping.untilMs + sweepEveryMs);
  }
}
