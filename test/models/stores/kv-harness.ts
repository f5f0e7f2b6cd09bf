// Driving kv-backed stores by hand (helpers.ts's drive/interleave are typed for a
// SynapseDatabase): shared by the redis-blob and redis-hash tests.
import type { StoreDefinition } from '../../../models/stores/contract.js';
import { KvService } from '../../../models/stores/kv.js';
import type { Task } from '../../../src/effects.js';
import { TestClock } from '../helpers.js';

export const KV_NODE = 4;
export const HOUR = 60 * 60 * 1000;

/** A task stepped by hand: `step()` runs its pending command on `kv` (one round trip, one
 * atomic step), so a test can interleave two tasks; `ops` lists what it ran so far (a script's
 * name, else the command). */
export function stepper<R>(task: Task<R>, kv: KvService, clock: TestClock) {
  let pending = task.next();
  const ops: string[] = [];
  return {
    get done(): boolean {
      return pending.done === true;
    },
    get value(): R {
      if (pending.done !== true) throw new Error('task still running');
      return pending.value;
    },
    ops,
    step(): void {
      if (pending.done === true) throw new Error('task already done');
      const effect = pending.value;
      if (effect.kind !== 'call' || effect.to !== KV_NODE) throw new Error(`unexpected effect ${JSON.stringify(effect)}`);
      const command = effect.command as { op: string; name?: string };
      ops.push(command.name ?? command.op);
      pending = task.next(kv.execute(effect.command, clock.ms));
    },
  };
}

export function drive<R>(task: Task<R>, kv: KvService, clock: TestClock): { value: R; ops: readonly string[] } {
  const s = stepper(task, kv, clock);
  while (!s.done) s.step();
  return { value: s.value, ops: s.ops };
}

/** A store on a fresh KvService whose session IDs are `ids`, in order (the last repeats). */
export function kvSetup(definition: StoreDefinition, ids: readonly string[]) {
  const clock = new TestClock();
  const kv = new KvService();
  let next = 0;
  const newSessionId = (): string => ids[Math.min(next++, ids.length - 1)] ?? 'none';
  const store = definition.connect({ newSessionId, nowMs: clock.now, serviceNode: KV_NODE });
  const run = <R>(task: Task<R>) => drive(task, kv, clock);
  const pttl = (id: string) => kv.run({ op: 'pttl', key: `uia:${id}` }, clock.ms);
  return { clock, kv, store, run, pttl, drawn: () => next, step: <R>(task: Task<R>) => stepper(task, kv, clock) };
}
