import { STRATEGIES, withPlugins, type Strategy } from '../../models/strategies.js';
import type { Scope } from '../../models/scopes/scope.js';
import type { ProfileName } from '../../models/synapse/profile.js';
import type { CaseVerdict } from '../../properties/check-case.js';
import { scopeRunPath } from '../../properties/explore.js';
import type { PropertyName } from '../../properties/violation.js';
import { probe, type ProbeChain } from '../explore/breadth-first.js';
import { depthFirstBranch } from '../explore/depth-first.js';
import { DEFAULT_SPLIT_DEPTH, splitTasks, type SplitTasks } from '../explore/split.js';
import type { BranchOutcome, ExploreSettings, RunPath } from '../explore/driver.js';
import { loadStore, type Plugins } from './plugins.js';
import { loadRouting } from './routing-file.js';

/** Everything an exploration's worker needs, as plain data (it crosses to worker threads). */
export interface ExploreSpec {
  readonly scope: Scope;
  /** The base strategy's name (with --store, the one whose routing and profile it uses). */
  readonly strategy: string;
  readonly store?: string;
  readonly routing?: string;
  readonly profile: ProfileName;
  readonly properties: readonly PropertyName[];
  readonly search: 'bfs' | 'dfs';
  readonly fingerprints: boolean;
  readonly sleepSets: boolean;
  /** Dynamic partial-order reduction (one task: the whole tree). */
  readonly dpor: boolean;
  /** Depth-first: the split depth (src/explore/split.ts). */
  readonly splitDepth: number;
  readonly maxStates: number;
  /** One Int32: 1 once Ctrl-C asked every thread to stop (between runs). */
  readonly stop: SharedArrayBuffer;
}

/** A piece of an exploration: the depth-first split (its run of the first path, on a thread
 * like every run, so the watchdog sees it), one depth-first task (its pinned decisions,
 * src/explore/split.ts), or a slice of a breadth-first level. */
export type ExploreTask =
  | { readonly kind: 'split' }
  | { readonly kind: 'branch'; readonly prefix: readonly number[] }
  | { readonly kind: 'probes'; readonly prefixes: readonly (readonly number[])[] };

/** A branch's outcome carries its counterexample's decisions only; the verdict is re-run where it is printed. */
export type ExploreTaskResult =
  | { readonly kind: 'split'; readonly split: SplitTasks }
  | { readonly kind: 'branch'; readonly outcome: BranchOutcome<null> }
  | { readonly kind: 'probes'; readonly results: readonly ProbeChain[] };

export interface LoadedExplore {
  readonly strategy: Strategy;
  readonly plugins: Plugins;
  readonly settings: ExploreSettings;
  /** Explores: its runs are not hashed (about 5% of a run). */
  readonly runPath: RunPath<CaseVerdict>;
  /** Re-runs a counterexample's decisions for the report: hashed, for its token. */
  readonly reportPath: RunPath<CaseVerdict>;
}

export function stopRequested(spec: ExploreSpec): boolean {
  return Atomics.load(new Int32Array(spec.stop), 0) === 1;
}

/** The strategy (with its plug-ins) and the run of a path, in whichever thread explores. */
export async function loadExplore(spec: ExploreSpec, onRun?: () => void): Promise<LoadedExplore> {
  const base = STRATEGIES.find((s) => s.name === spec.strategy);
  if (base === undefined) throw new Error(`explore: unknown strategy ${spec.strategy}`);
  const store = spec.store === undefined ? undefined : await loadStore(spec.store);
  const routing = spec.routing === undefined ? undefined : await loadRouting(spec.routing);
  const strategy = withPlugins(base, store?.store, routing?.routing);
  const plugins: Plugins =
    store === undefined && routing === undefined ? {} : { base: base.name, ...(store === undefined ? {} : { store: store.plugin }), ...(routing === undefined ? {} : { routing: routing.plugin }) };
  const flag = new Int32Array(spec.stop);
  const settings: ExploreSettings = {
    search: spec.search,
    fingerprints: spec.fingerprints,
    sleepSets: spec.sleepSets,
    dpor: spec.dpor,
    splitDepth: spec.splitDepth,
    maxDecisions: spec.scope.bounds.maxDecisions,
    maxStates: spec.maxStates,
    shouldStop: () => Atomics.load(flag, 0) === 1,
  };
  return {
    strategy,
    plugins,
    settings,
    runPath: scopeRunPath(spec.scope, strategy, spec.profile, spec.properties, undefined, onRun, false),
    reportPath: scopeRunPath(spec.scope, strategy, spec.profile, spec.properties),
  };
}

/** One task, in whichever thread runs it. A stop ends it early with what it has. */
export function computeExploreTask(loaded: LoadedExplore, task: ExploreTask): ExploreTaskResult {
  const { runPath, settings } = loaded;
  switch (task.kind) {
    case 'split':
      return { kind: 'split', split: splitTasks(runPath, settings.maxDecisions, settings.splitDepth ?? DEFAULT_SPLIT_DEPTH, settings.dpor === true) };
    case 'branch': {
      const outcome = depthFirstBranch(runPath, settings, task.prefix);
      const found = outcome.counterexample;
      return { kind: 'branch', outcome: { ...outcome, counterexample: found === null ? null : { decisions: found.decisions, verdict: null } } };
    }
    case 'probes': {
      const results: ProbeChain[] = [];
      for (const prefix of task.prefixes) {
        if (settings.shouldStop?.() === true) break;
        results.push(probe(runPath, prefix, settings.maxDecisions));
      }
      return { kind: 'probes', results };
    }
  }
}
