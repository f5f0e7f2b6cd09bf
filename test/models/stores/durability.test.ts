// Durability is behaviour (contract.ts): a service object lives through its node's restarts and
// is told (restart()); `durable` is documentation, checked here against what restart() keeps.
import { describe, expect, it } from 'vitest';
import type { Effect, Task } from '../../../src/effects.js';
import type { StoreDefinition, StoreService } from '../../../models/stores/contract.js';
import { appendOnly, KvService } from '../../../models/stores/kv.js';
import { MUTANTS } from '../../../models/stores/mutants/index.js';
import { redisBlobStore } from '../../../models/stores/redis-blob.js';
import { redisHashStore } from '../../../models/stores/redis-hash.js';
import { STRATEGIES } from '../../../models/strategies.js';
import { SynapseDatabase } from '../../../models/synapse/database.js';
import { store as bufferedStore } from '../../fixtures/plugins/buffered-store.js';

/** Runs a store method against one service node (id 1): every call is answered by the service;
 * notifications to peers go nowhere. */
function drive<T>(task: Task<T>, service: StoreService): T {
  let next = task.next();
  while (next.done !== true) {
    const effect: Effect = next.value;
    next = task.next(effect.kind === 'call' ? service.execute(effect.command, 0) : undefined);
  }
  return next.value;
}

/** Whether a session written before the service's restart is still there after it (read by a
 * fresh connection, so no process-side cache answers). */
function survivesRestart(store: StoreDefinition, writes = 1): boolean {
  const service = store.service?.create() ?? new SynapseDatabase();
  let counter = 0;
  const connect = () => store.connect({ newSessionId: () => `session${counter++}`.padEnd(24, 'x'), nowMs: () => 0, serviceNode: 1 });
  const ids: string[] = [];
  for (let i = 0; i < writes; i++) ids.push(drive(connect().createSession({ n: i }, '/register', 'POST', 'register', 0), service));
  service.restart?.();
  const reader = connect();
  return ids.every((id) => drive(reader.getSession(id), service) !== undefined);
}

describe('what survives a restart is what the service keeps', () => {
  const builtIn = [...new Map(STRATEGIES.map((s) => [s.store.name, s.store])).values()];
  const onServices = [...builtIn, appendOnly(redisBlobStore), appendOnly(redisHashStore), ...MUTANTS.map((m) => m.store)].filter((s) => s.placement === 'service');

  it.each(onServices.map((s) => [s.name, s] as const))('%s: `durable` says what restart() does', (_, store) => {
    expect(survivesRestart(store)).toBe(store.durable);
  });

  it('stores in a process\'s memory (or main\'s) claim nothing durable: a restart rebuilds the process', () => {
    for (const store of builtIn.filter((s) => s.placement !== 'service')) expect([store.name, store.durable]).toEqual([store.name, false]);
  });

  it('Redis without persistence comes back empty; with append-only it keeps every write', () => {
    for (const persistence of ['none', 'append-only'] as const) {
      const kv = new KvService(persistence);
      kv.run({ op: 'set', key: 'k', value: 'v' }, 0);
      kv.restart();
      expect(kv.run({ op: 'get', key: 'k' }, 0)).toBe(persistence === 'none' ? null : 'v');
    }
  });

  it('a plug-in that keeps writes in a buffer it drops on restart() loses the unflushed ones, whatever it claims', () => {
    expect(bufferedStore.durable).toBe(true);
    expect(survivesRestart(bufferedStore, 1)).toBe(false);
    // Four commands fill the buffer and flush it: those survive.
    expect(survivesRestart(bufferedStore, 4)).toBe(true);
  });
});
