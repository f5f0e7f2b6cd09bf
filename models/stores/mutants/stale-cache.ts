import type { Task } from '../../../src/effects.js';
import { SqlSessionStore } from '../sql.js';
import { mutantStore, type Mutant } from './base.js';

/** Defect: each process caches a session's completed stages on first read and updates the cache
 * only with its own writes; nothing invalidates it when another process completes a stage (the
 * replication-stream invalidation of sql-cached, forgotten). Reads are served stale forever. */
class StaleCache extends SqlSessionStore {
  private readonly stages = new Map<string, ReadonlyMap<string, unknown>>();

  override *markStageComplete(id: string, stage: string, result: unknown): Task<boolean> {
    const ok = yield* super.markStageComplete(id, stage, result);
    const cached = this.stages.get(id);
    if (ok && cached !== undefined) this.stages.set(id, new Map(cached).set(stage, result));
    return ok;
  }

  override *getCompletedStages(id: string): Task<ReadonlyMap<string, unknown>> {
    const cached = this.stages.get(id);
    if (cached !== undefined) return cached;
    const stages = yield* super.getCompletedStages(id);
    this.stages.set(id, stages);
    return stages;
  }
}

export const staleCacheStore = mutantStore('mutant-stale-cache', (context) => new StaleCache(context));

export const staleCache: Mutant = {
  store: staleCacheStore,
  defect: "completed stages read through a per-process cache that other processes' writes never invalidate",
  caughtBy: {
    property: 'progress-never-lost',
    faults: 'steady',
    // #6705 again, through a cache: main records the fallback stage, a worker that cached the
    // session before answers the resubmit from its cache.
    why: "a worker answers from a cache filled before main recorded the fallback stage",
  },
};

export default staleCacheStore;
