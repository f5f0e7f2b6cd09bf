import type { Case } from '../../models/world.js';
import { STRATEGIES, withPlugins, type Strategy } from '../../models/strategies.js';
import type { ProfileName } from '../../models/synapse/profile.js';
import type { Switches } from '../../models/synapse/profile-set.js';
import { CoverageTally, type CoverageParts, type CoverageStats } from '../../properties/coverage.js';
import { FAULT_PROFILES } from '../../properties/fault-profiles.js';
import type { PropertySettings } from '../../properties/property.js';
import { caseAtRun, scanRange, shrinkRun, type RangeScan, type StoreContractBreach } from '../../properties/search-range.js';
import { scanRangeAll } from '../../properties/search-range-all.js';
import type { PropertyName } from '../../properties/violation.js';
import { loadStore, type Plugins } from './plugins.js';
import { loadRouting } from './routing-file.js';
import { scheduleLines } from './schedule.js';
import { stepsOf, type Step } from './steps.js';
import { builtWorker, superviseTasks, type TaskOutcome } from './supervisor.js';

/** One `check` setting as plain data: what a worker thread needs to rebuild the property. */
export interface CheckSpec {
  /** The built-in strategy (the base of a plug-in row). */
  readonly strategy: string;
  readonly store?: string;
  readonly routing?: string;
  readonly profile: ProfileName;
  readonly switches?: Switches;
  readonly faults: string;
  readonly property: PropertyName;
  readonly workload: string;
}

/** The shrunk first failure, as `check` prints it (plain data: it crosses threads and files). */
export interface FailureReport {
  readonly case: Case;
  readonly requests: number;
  readonly why: string;
  readonly traceHash: string;
  readonly steps: readonly Step[];
  readonly schedule: readonly string[];
  readonly shrinks: number;
  readonly minimizeAttempts: number;
  readonly shrinkComplete: boolean;
}

/** The first run of a range that did not pass. `index` is 0-based. */
export type RangeEvent =
  | { readonly kind: 'violated'; readonly index: number; readonly failure: FailureReport }
  | { readonly kind: 'error'; readonly index: number; readonly case: Case; readonly message: string; readonly stack: string; readonly storeContract?: StoreContractBreach }
  /** A run past the run timeout: while scanning (the run `index`), or while shrinking the
   * violation of run `index` (a shrink candidate hung). `case` is the run that hung. */
  | { readonly kind: 'hung'; readonly index: number; readonly during: 'run' | 'shrink'; readonly case: Case | null };

/** Runs [start, end) of a check: up to the first that did not pass. A whole check is one range
 * [0, runs); a shard is one slice of it. */
export interface RangeOutcome {
  readonly start: number;
  readonly end: number;
  readonly event: RangeEvent | null;
  /** The coverage of the runs up to the event (a violating run included), or all of them. */
  readonly coverage: CoverageParts;
}

/** What `check` reports, computed from its ranges. */
export type ChecksOutcome =
  | { readonly verdict: 'holds'; readonly runs: number; readonly coverage: { stats(): CoverageStats } }
  | { readonly verdict: 'violated'; readonly runs: number; readonly failure: FailureReport; readonly coverage: { stats(): CoverageStats } }
  | { readonly verdict: 'error'; readonly runs: number; readonly case: Case; readonly message: string; readonly stack: string; readonly storeContract?: StoreContractBreach }
  | { readonly verdict: 'hung'; readonly runs: number; readonly during: 'run' | 'shrink'; readonly case: Case | null };

/** A scan of runs, the same scan for several properties at once (`--property all`), or the shrink
 * of a first failure (for `property` when given, else the spec's). */
export type CheckTask =
  | { readonly kind: 'scan'; readonly seed: number; readonly start: number; readonly end: number }
  | { readonly kind: 'scan-all'; readonly seed: number; readonly start: number; readonly end: number; readonly properties: readonly PropertyName[] }
  | { readonly kind: 'shrink'; readonly seed: number; readonly index: number; readonly maxShrinkMs?: number; readonly property?: PropertyName };
export type CheckTaskResult =
  | { readonly kind: 'scan'; readonly scan: RangeScan }
  | { readonly kind: 'scan-all'; readonly scans: readonly RangeScan[] }
  | { readonly kind: 'shrink'; readonly failure: FailureReport };

export interface LoadedSpec {
  readonly settings: PropertySettings;
  readonly strategy: Strategy;
  readonly plugins: Plugins;
}

/** The property settings of a spec, plug-ins loaded (a bad plug-in is a UsageError). */
export async function loadSpec(spec: CheckSpec): Promise<LoadedSpec> {
  const base = STRATEGIES.find((s) => s.name === spec.strategy);
  const faultProfile = FAULT_PROFILES.find((f) => f.name === spec.faults);
  if (base === undefined || faultProfile === undefined) throw new Error(`check: unknown strategy ${spec.strategy} or fault profile ${spec.faults}`);
  const store = spec.store === undefined ? undefined : await loadStore(spec.store);
  const routing = spec.routing === undefined ? undefined : await loadRouting(spec.routing);
  const strategy = withPlugins(base, store?.store, routing?.routing);
  const plugins: Plugins =
    store === undefined && routing === undefined ? {} : { base: base.name, ...(store === undefined ? {} : { store: store.plugin }), ...(routing === undefined ? {} : { routing: routing.plugin }) };
  const settings: PropertySettings = { strategy: strategy.name, profile: spec.profile, ...(spec.switches === undefined ? {} : { switches: spec.switches }), faultProfile, workload: spec.workload, property: spec.property, runOptions: { strategy } };
  return { settings, strategy, plugins };
}

/** `--max-shrink-ms` as the search's stop question: a deadline set when shrinking starts. The
 * wall clock stays in the CLI; the search only asks whether to stop. */
export function shrinkBudget(maxShrinkMs: number | undefined): (() => () => boolean) | undefined {
  if (maxShrinkMs === undefined) return undefined;
  return () => {
    const deadline = Date.now() + maxShrinkMs;
    return () => Date.now() > deadline;
  };
}

/** One task, in whichever thread runs it. */
export function computeCheckTask(spec: PropertySettings, task: CheckTask): CheckTaskResult {
  if (task.kind === 'scan') return { kind: 'scan', scan: scanRange(spec, task.seed, task.start, task.end) };
  if (task.kind === 'scan-all') return { kind: 'scan-all', scans: scanRangeAll(task.properties.map((property) => ({ ...spec, property })), task.seed, task.start, task.end) };
  const settings = task.property === undefined ? spec : { ...spec, property: task.property };
  const startShrinkBudget = shrinkBudget(task.maxShrinkMs);
  const shrunk = shrinkRun(settings, task.seed, task.index, startShrinkBudget === undefined ? {} : { startShrinkBudget });
  return {
    kind: 'shrink',
    failure: {
      case: shrunk.case,
      requests: shrunk.violation.requests,
      why: shrunk.violation.why,
      traceHash: shrunk.result.traceHash,
      steps: stepsOf(shrunk.result, shrunk.violation),
      schedule: scheduleLines(shrunk.case, shrunk.result, shrunk.violation),
      shrinks: shrunk.shrinks,
      minimizeAttempts: shrunk.minimizeAttempts,
      shrinkComplete: shrunk.shrinkComplete,
    },
  };
}

export interface RangeRunOptions {
  readonly seed: number;
  readonly start: number;
  readonly end: number;
  readonly jobs: number;
  readonly runTimeoutMs: number;
  readonly maxShrinkMs?: number;
}

/** A chunk is one task: small enough to share out and to stop early, large enough that
 * starting one (fast-check skips to its first index at ~0.3 us a run) costs nothing. */
export function chunksOf(start: number, end: number, jobs: number): { start: number; end: number }[] {
  const size = Math.min(20_000, Math.max(50, Math.ceil((end - start) / (jobs * 8))));
  const chunks: { start: number; end: number }[] = [];
  for (let at = start; at < end; at += size) chunks.push({ start: at, end: Math.min(end, at + size) });
  return chunks;
}

const WORKER = new URL('./check-worker.js', import.meta.url);

/**
 * Runs [start, end) on `jobs` threads: chunks in index order, then the shrink of the first
 * violation, each run under the watchdog. The answer is the one a single thread gives: the
 * first run (by index) that does not pass wins, whatever finished first.
 */
export async function runRange(spec: CheckSpec, loaded: LoadedSpec, options: RangeRunOptions): Promise<RangeOutcome> {
  const chunks = chunksOf(options.start, options.end, options.jobs);
  const seen: (TaskOutcome<CheckTaskResult> | undefined)[] = [];
  const eventAt = (i: number): RangeScan['event'] | 'hung' | undefined => {
    const o = seen[i];
    if (o === undefined || o.kind === 'skipped') return undefined;
    if (o.kind === 'hung') return 'hung';
    return o.result.kind === 'scan' ? o.result.scan.event : undefined;
  };
  const firstEventChunk = (): number => chunks.findIndex((_, i) => eventAt(i) !== undefined && eventAt(i) !== null);
  // One pool for the scan and the shrink: once the first failing run is known (every chunk
  // before it done), its shrink is queued on the thread that frees up first.
  const tasks: CheckTask[] = chunks.map((c) => ({ kind: 'scan', seed: options.seed, start: c.start, end: c.end }));
  let shrinkQueued = false;
  const outcomes = await runTasks(
    spec,
    loaded,
    options,
    tasks,
    skipPast(chunks.length, firstEventChunk),
    (index, outcome) => {
      seen[index] = outcome;
      const first = firstEventChunk();
      // Every chunk before it done (a loop, not .some(): `seen` has holes, and .some skips them).
      if (shrinkQueued || first === -1) return;
      for (let i = 0; i < first; i++) if (seen[i] === undefined) return;
      const event = eventAt(first);
      if (event === undefined || event === null || event === 'hung' || event.kind !== 'violated') return;
      shrinkQueued = true;
      tasks.push({ kind: 'shrink', seed: options.seed, index: event.index, ...(options.maxShrinkMs === undefined ? {} : { maxShrinkMs: options.maxShrinkMs }) });
    },
  );
  const tally = new CoverageTally();
  for (const [i, chunk] of chunks.entries()) {
    const outcome = outcomes[i] as TaskOutcome<CheckTaskResult>;
    if (outcome.kind === 'skipped') throw new Error(`check: chunk ${chunk.start}-${chunk.end} was skipped before any event`);
    if (outcome.kind === 'hung') {
      const index = hungRunIndex(chunk, outcome.runsStarted);
      // The scan did not write its cases down (it would cost a JSON encoding a run): run `index`'s
      // case is rebuilt from the index, as fast-check generated it.
      return { start: options.start, end: options.end, coverage: tally.parts(), event: { kind: 'hung', index, during: 'run', case: caseAtRun(loaded.settings, options.seed, index) } };
    }
    if (outcome.result.kind !== 'scan') throw new Error(`check: a scan task answered with a ${outcome.result.kind}`);
    const scan = outcome.result.scan;
    tally.addParts(scan.coverage);
    const event = scan.event;
    if (event === null) continue;
    const coverage = tally.parts();
    if (event.kind === 'error') return { start: options.start, end: options.end, coverage, event };
    const shrunk = outcomes[chunks.length];
    const shrinkTask = tasks[chunks.length];
    if (shrinkTask?.kind !== 'shrink' || shrinkTask.index !== event.index) throw new Error(`check: the shrink of run ${event.index + 1} was not run`);
    return { start: options.start, end: options.end, coverage, event: shrunkEvent(event.index, shrunk) };
  }
  return { start: options.start, end: options.end, coverage: tally.parts(), event: null };
}

/** The skip rule of a scan's pool: a chunk past the first one known to end the scan (`endingChunk`,
 * -1 while none is) is not needed; the tasks after the chunks (the shrink) always are. */
export function skipPast(chunkCount: number, endingChunk: () => number): (index: number) => boolean {
  return (index) => {
    if (index >= chunkCount) return false;
    const ending = endingChunk();
    return ending !== -1 && index > ending;
  };
}

/** The run of a chunk that never returned (`runsStarted` counts it), by its index in the check. */
export function hungRunIndex(chunk: { readonly start: number }, runsStarted: number): number {
  return chunk.start + Math.max(0, runsStarted - 1);
}

/** The event of the first failure at `index`, from its shrink task's outcome: the violation and
 * its shrunk case, or the shrink candidate that never returned. */
export function shrunkEvent(index: number, shrunk: TaskOutcome<CheckTaskResult> | undefined): RangeEvent {
  if (shrunk === undefined || shrunk.kind === 'skipped') throw new Error(`check: the shrink of run ${index + 1} was not run`);
  if (shrunk.kind === 'hung') return { kind: 'hung', index, during: 'shrink', case: shrunk.subject as Case | null };
  if (shrunk.result.kind !== 'shrink') throw new Error(`check: a shrink task answered with a ${shrunk.result.kind}`);
  return { kind: 'violated', index, failure: shrunk.result.failure };
}

/** Supervised worker threads when the CLI runs from its build; otherwise (vitest, on the
 * sources) this thread, in order, with no watchdog. */
export async function runTasks(
  spec: CheckSpec,
  loaded: LoadedSpec,
  options: RangeRunOptions,
  tasks: readonly CheckTask[],
  skip: (index: number) => boolean = () => false,
  onOutcome: (index: number, outcome: TaskOutcome<CheckTaskResult>) => void = () => undefined,
): Promise<TaskOutcome<CheckTaskResult>[]> {
  const worker = builtWorker(WORKER);
  if (worker !== null) return superviseTasks({ workerUrl: worker, setup: spec, jobs: options.jobs, runTimeoutMs: options.runTimeoutMs, tasks, skip, onOutcome });
  const outcomes: TaskOutcome<CheckTaskResult>[] = [];
  for (const [index, task] of tasks.entries()) {
    const outcome: TaskOutcome<CheckTaskResult> = skip(index) ? { kind: 'skipped' } : { kind: 'done', result: computeCheckTask(loaded.settings, task) };
    outcomes.push(outcome);
    onOutcome(index, outcome);
  }
  return outcomes;
}

/** The check's answer from its ranges (one, or every shard's): the first event by run index
 * wins; coverage adds up every run before it. */
export function combineRanges(ranges: readonly RangeOutcome[], runs: number): ChecksOutcome {
  const tally = new CoverageTally();
  for (const range of [...ranges].sort((a, b) => a.start - b.start)) {
    tally.addParts(range.coverage);
    const event = range.event;
    if (event === null) continue;
    const ran = event.index + 1;
    switch (event.kind) {
      case 'violated':
        return { verdict: 'violated', runs: ran, failure: event.failure, coverage: tally };
      case 'error':
        return { verdict: 'error', runs: ran, case: event.case, message: event.message, stack: event.stack, ...(event.storeContract === undefined ? {} : { storeContract: event.storeContract }) };
      case 'hung':
        return { verdict: 'hung', runs: ran, during: event.during, case: event.case };
      default: {
        const never: never = event;
        throw new Error(`check: unknown event ${String(never)}`);
      }
    }
  }
  return { verdict: 'holds', runs, coverage: tally };
}
