import fc from 'fast-check';
import type { Fault, FaultPlan } from '../src/faults.js';
import type { ClientSpec, Operation } from '../models/clients/workload.js';
import { MAIN, STORE, WORKERS } from '../models/topologies/synapse-workers.js';
import { CAPTCHA_SERVICE, type CaptchaBehaviour, type CaptchaWindow } from '../models/synapse/captcha-service.js';
import { clientSpecFor, slowClientSpecFor } from './workload-arbitraries.js';

/** A fault profile is a generator of fault plans: a column of the comparison. Some also change
 * how clients behave (slow users, clients that retry). */
export interface FaultProfile {
  readonly name: string;
  readonly summary: string;
  readonly plans: fc.Arbitrary<FaultPlan>;
  /** How the captcha service behaves (slow or failing windows); healthy otherwise. */
  readonly captcha?: fc.Arbitrary<CaptchaBehaviour>;
  /** The clients this column runs for a workload; the workload's own otherwise. */
  readonly clients?: (workload: string, operations: readonly Operation[]) => fc.Arbitrary<ClientSpec>;
}

/** The client-side actors a case can have (see models/clients/workload.ts). */
const ACTORS = ['app A', 'browser A', 'app B', 'browser B', 'app C', 'browser C', 'app D', 'browser D'];
const APPS = ['app A', 'app B', 'app C', 'app D'];
const actor = fc.constantFrom(...ACTORS.slice(0, 4));
const anchor = fc.record({ actor, nthResponse: fc.integer({ min: 1, max: 4 }) });

/**
 * A crash is timed in one of two ways. At a virtual time, spread on a rough log scale because
 * runs are: one without user pauses is over in a few hundred ms, one with pauses lasts minutes.
 * Or anchored to a causal event, "the nth response to app A", plus a delay, which lands it
 * between a stage being shown and the next request far more often, and keeps its place when
 * shrinking moves everything else in time. Downtimes go from a fast restart to a slow one.
 */
function crash(nodes: readonly string[]): fc.Arbitrary<Fault> {
  const node = fc.constantFrom(...nodes);
  const downMs = fc.oneof(fc.integer({ min: 50, max: 1_000 }), fc.integer({ min: 50, max: 15_000 }));
  const timed: fc.Arbitrary<Fault> = fc.record({
    kind: fc.constant('crash' as const),
    node,
    atMs: fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 120_000 })),
    downMs,
  });
  const anchored: fc.Arbitrary<Fault> = fc.record({ kind: fc.constant('crash' as const), node, atMs: fc.integer({ min: 0, max: 1_000 }), after: anchor, downMs });
  return fc.oneof({ weight: 1, arbitrary: timed }, { weight: 2, arbitrary: anchored });
}

/** At least one crash: a restart column with no restart would just repeat `steady`. */
function crashes(nodes: readonly string[], maxCrashes: number): fc.Arbitrary<FaultPlan> {
  return fc.array(crash(nodes), { minLength: 1, maxLength: maxCrashes }).map((faults) => ({ faults }));
}

/** A deploy restarts every Synapse process in turn, workers first and main last, each once the
 * previous one is back; the rollout starts at a causal point of the run. */
const rollingDeploy: fc.Arbitrary<FaultPlan> = fc
  .record({ after: anchor, startMs: fc.integer({ min: 0, max: 2_000 }), downMs: fc.integer({ min: 50, max: 5_000 }), gapMs: fc.integer({ min: 0, max: 3_000 }) })
  .map(({ after, startMs, downMs, gapMs }) => ({
    faults: [...WORKERS, MAIN].map((node, i): Fault => ({ kind: 'crash', node, atMs: startMs + i * (downMs + gapMs), after, downMs })),
  }));

/** Cuts between a worker and the session store, or a worker and main, for a while. */
const partitions: fc.Arbitrary<FaultPlan> = fc
  .array(
    fc
      .record({ worker: fc.constantFrom(...WORKERS), other: fc.constantFrom(STORE, MAIN), fromMs: fc.integer({ min: 0, max: 60_000 }), lengthMs: fc.integer({ min: 100, max: 30_000 }) })
      .map(({ worker, other, fromMs, lengthMs }): Fault => ({ kind: 'partition', a: worker, b: other, fromMs, untilMs: fromMs + lengthMs })),
    { minLength: 1, maxLength: 2 },
  )
  .map((faults) => ({ faults }));

/** Responses lost on the way back to an app (mobile networks): the client times out, retries. */
const lostResponses: fc.Arbitrary<FaultPlan> = fc
  .array(
    fc.record({ kind: fc.constant('drop' as const), actor: fc.constantFrom(...APPS), direction: fc.constant('response' as const), nth: fc.integer({ min: 1, max: 6 }) }),
    { minLength: 1, maxLength: 3 },
  )
  .map((faults) => ({ faults }));

/** The app or the browser moves to another network in the middle of a session. */
const addressChanges: fc.Arbitrary<FaultPlan> = fc
  .array(
    fc.record({
      kind: fc.constant('ip-change' as const),
      actor,
      atMs: fc.integer({ min: 0, max: 1_000 }),
      after: anchor,
      ip: fc.integer({ min: 1, max: 254 }).map((n) => `203.0.113.${n}`),
    }),
    { minLength: 1, maxLength: 2 },
  )
  .map((faults) => ({ faults }));

const NO_FAULTS: fc.Arbitrary<FaultPlan> = fc.constant({ faults: [] });

/** Google's siteverify slow (seconds to a minute: the checker waits, the request hangs, the
 * client may time out and retry) or failing (`timeout-or-duplicate`) for a while (uia §1.5), and
 * sometimes the captcha node down: what the recaptcha stage meets in the wild. */
const captchaTrouble: fc.Arbitrary<CaptchaBehaviour> = fc
  .array(
    fc
      .record({
        fromMs: fc.integer({ min: 0, max: 60_000 }),
        lengthMs: fc.integer({ min: 100, max: 60_000 }),
        mode: fc.constantFrom('slow' as const, 'failing' as const),
        delayMs: fc.integer({ min: 500, max: 60_000 }),
      })
      .map(({ fromMs, lengthMs, mode, delayMs }): CaptchaWindow => (mode === 'slow' ? { fromMs, untilMs: fromMs + lengthMs, mode, delayMs } : { fromMs, untilMs: fromMs + lengthMs, mode })),
    { minLength: 1, maxLength: 3 },
  )
  .map((windows) => ({ windows }));

/** A case's captcha trouble, one line per window, as check and replay print faults. */
export function describeCaptcha(behaviour: CaptchaBehaviour | undefined): string[] {
  return (behaviour?.windows ?? []).map((w) =>
    w.mode === 'slow' ? `the captcha service answers ${w.delayMs ?? 0} ms late from ${w.fromMs} to ${w.untilMs} ms` : `the captcha service fails every verification from ${w.fromMs} to ${w.untilMs} ms`,
  );
}

const captchaCrashes: fc.Arbitrary<FaultPlan> = fc.array(crash([CAPTCHA_SERVICE]), { maxLength: 1 }).map((faults) => ({ faults }));

/** The columns of the comparison (docs/architecture.md "Fault profiles"), then `any-restart`, check's default. */
export const FAULT_PROFILES: readonly FaultProfile[] = [
  { name: 'steady', summary: 'no faults; concurrency within and across sessions', plans: NO_FAULTS },
  { name: 'worker-restart', summary: 'restarts of the workers', plans: crashes(WORKERS, 3) },
  { name: 'main-restart', summary: 'restarts of the main process', plans: crashes([MAIN], 2) },
  { name: 'rolling-deploy', summary: 'every Synapse process restarted in turn, main last', plans: rollingDeploy },
  { name: 'store-restart', summary: "restarts of the session store's node (the database, or the strategy's own service)", plans: crashes([STORE], 2) },
  { name: 'partition', summary: 'a worker cut off from the session store or from main for a while', plans: partitions },
  { name: 'lost-responses', summary: 'responses lost on the way to an app; clients time out and retry', plans: lostResponses, clients: (w, operations) => clientSpecFor(w, operations).map((c) => ({ ...c, retries: Math.max(1, c.retries) })) },
  { name: 'ip-change', summary: 'the app or the browser moves to another network mid-session', plans: addressChanges },
  { name: 'slow-user', summary: 'users pausing for hours to days between steps; expiry matters', plans: NO_FAULTS, clients: slowClientSpecFor },
  {
    name: 'captcha-trouble',
    summary: 'the captcha service slow or failing for a while (uia §1.5), or down; not a column of compare',
    plans: captchaCrashes,
    captcha: captchaTrouble,
  },
  { name: 'any-restart', summary: 'restarts of any process, the database included, at generated times', plans: crashes([MAIN, ...WORKERS, STORE], 4) },
];

/** The nine columns of `compare` (`any-restart` is check's default, `captcha-trouble` a column
 * `--faults` can add). */
export const COMPARISON_FAULT_PROFILES = FAULT_PROFILES.filter((f) => f.name !== 'any-restart' && f.name !== 'captcha-trouble');
export const FAULT_PROFILE_NAMES = FAULT_PROFILES.map((f) => f.name);
export const DEFAULT_FAULT_PROFILE = 'any-restart';

export function findFaultProfile(name: string): FaultProfile | undefined {
  return FAULT_PROFILES.find((f) => f.name === name);
}
