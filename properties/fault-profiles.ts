import fc from 'fast-check';
import type { Fault, FaultPlan } from '../src/faults.js';
import { DATABASE, MAIN, WORKERS } from '../models/topologies/synapse-workers.js';

/** A fault profile is a generator of fault plans: a column of the comparison. */
export interface FaultProfile {
  readonly name: string;
  readonly summary: string;
  readonly plans: fc.Arbitrary<FaultPlan>;
}

/** The client-side actors a case can have (see models/clients/workload.ts). */
const ACTORS = ['app A', 'browser A', 'app B', 'browser B', 'app C', 'browser C', 'app D', 'browser D'];

/**
 * A crash is timed in one of two ways. At a virtual time, spread on a rough log scale because
 * runs are: one without user pauses is over in a few hundred ms, one with pauses lasts minutes.
 * Or anchored to a causal event, "the nth response to app A", plus a delay, which lands it
 * between a stage being shown and the next request far more often, and keeps its place when
 * shrinking moves everything else in time. Downtimes go from a fast restart to a slow one.
 */
function crashes(nodes: readonly string[], maxCrashes: number): fc.Arbitrary<FaultPlan> {
  const node = fc.constantFrom(...nodes);
  const downMs = fc.oneof(fc.integer({ min: 50, max: 1_000 }), fc.integer({ min: 50, max: 15_000 }));
  const timed: fc.Arbitrary<Fault> = fc.record({
    kind: fc.constant('crash' as const),
    node,
    atMs: fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 120_000 })),
    downMs,
  });
  const anchored: fc.Arbitrary<Fault> = fc.record({
    kind: fc.constant('crash' as const),
    node,
    atMs: fc.integer({ min: 0, max: 1_000 }),
    after: fc.record({ actor: fc.constantFrom(...ACTORS.slice(0, 4)), nthResponse: fc.integer({ min: 1, max: 4 }) }),
    downMs,
  });
  // At least one crash: a restart column with no restart would just repeat `steady`.
  return fc.array(fc.oneof({ weight: 1, arbitrary: timed }, { weight: 2, arbitrary: anchored }), { minLength: 1, maxLength: maxCrashes }).map((faults) => ({ faults }));
}

export const FAULT_PROFILES: readonly FaultProfile[] = [
  { name: 'steady', summary: 'no faults; concurrency within and across sessions', plans: fc.constant({ faults: [] }) },
  {
    name: 'any-restart',
    summary: 'restarts of any process, the database included, at generated times',
    plans: crashes([MAIN, ...WORKERS, DATABASE], 4),
  },
  { name: 'worker-restart', summary: 'restarts of the workers', plans: crashes(WORKERS, 3) },
  { name: 'main-restart', summary: 'restarts of the main process', plans: crashes([MAIN], 2) },
  { name: 'store-restart', summary: 'restarts of the session store / database node', plans: crashes([DATABASE], 2) },
];

export const FAULT_PROFILE_NAMES = FAULT_PROFILES.map((f) => f.name);
export const DEFAULT_FAULT_PROFILE = 'any-restart';

export function findFaultProfile(name: string): FaultProfile | undefined {
  return FAULT_PROFILES.find((f) => f.name === name);
}
