import { defaultJobs } from './jobs.js';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { CaseFormatError } from '../../models/case-codec.js';
import { STRATEGIES, withPlugins, type Strategy } from '../../models/strategies.js';
import { decodeScope } from '../../models/scopes/scope-file.js';
import { SCOPES } from '../../models/scopes/builtin.js';
import type { Scope } from '../../models/scopes/scope.js';
import { PROFILE_NAMES, type ProfileName } from '../../models/synapse/profile.js';
import { ALL_PROPERTIES, PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import type { ExploreStats } from '../explore/driver.js';
import { DEFAULT_SPLIT_DEPTH } from '../explore/split.js';
import { pathRunDataOf } from '../explore/types.js';
import { parseShard } from '../run/shard.js';
import { DEFAULT_RUN_TIMEOUT_S, type CommandOutput } from './check.js';
import { describeCounterexample, renderExplore, renderExploreError, type ExplorePrint } from './explore-render.js';
import { exploreOnThreads, HungRunError, type ThreadsOptions } from './explore-runs.js';
import { exploreShard, SHARD_NEEDS_DFS } from './explore-shard.js';
import { loadExplore, type ExploreSpec, type LoadedExplore } from './explore-tasks.js';
import { loadStore } from './plugins.js';
import { loadRouting } from './routing-file.js';
import { propertyOption } from './property-labels.js';
import { choose, formatOf, UsageError } from './usage.js';
import { messageOf } from '../error-message.js';

export interface ExploreOptions {
  strategy?: string;
  store?: string;
  routing?: string;
  profile?: string;
  scope?: string;
  property?: string;
  search?: string;
  maxStates?: number;
  /** --no-fingerprints: explore every path, even through states explored already. */
  fingerprints?: boolean;
  sleepSets?: boolean;
  /** --dpor: dynamic partial-order reduction (depth-first, with sleep sets, no fingerprint pruning). */
  dpor?: boolean;
  format?: string;
  json?: boolean;
  /** --jobs N: worker threads (default: every core); the output does not depend on it. */
  jobs?: number;
  /** --run-timeout S: a run of the model longer than this is stuck (exit 3). */
  runTimeout?: number;
  /** --split-depth D (depth-first only): cut the tree into the subtrees off the first path's first D decisions. */
  splitDepth?: number;
  /** --shard k/n (depth-first only): explore every n-th task of the split from the k-th and print a shard file for `merge`. */
  shard?: string;
}

/** A named scope, or a scope file (JSON). */
export function loadScope(nameOrFile: string): Scope {
  const named = SCOPES.find((s) => s.name === nameOrFile);
  if (named !== undefined) return named;
  if (!nameOrFile.endsWith('.json')) throw new UsageError(`unknown scope ${nameOrFile}; one of ${SCOPES.map((s) => s.name).join(', ')}, or a scope file (.json)`);
  let text: string;
  try {
    text = readFileSync(nameOrFile, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read scope file ${nameOrFile}: ${messageOf(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`scope file ${nameOrFile} is not JSON`);
  }
  try {
    return decodeScope(json, basename(nameOrFile, extname(nameOrFile)));
  } catch (error) {
    // The field alone does not say which file: the explore may name several (one per shard).
    if (error instanceof CaseFormatError) throw new UsageError(`scope file ${nameOrFile}: ${error.message}`);
    throw error;
  }
}

/** Written to stderr on a TTY while the exploration runs. */
export type ProgressSink = (stats: ExploreStats, elapsedMs: number) => void;

/** The settings of an exploration, resolved from its options (a bad one is a UsageError). */
export async function resolveExplore(options: ExploreOptions): Promise<{ readonly spec: ExploreSpec; readonly loaded: LoadedExplore; readonly print: ExplorePrint }> {
  if (options.scope === undefined) throw new UsageError(`explore needs --scope (one of ${SCOPES.map((s) => s.name).join(', ')}, or a scope file)`);
  const scope = loadScope(options.scope);
  const base = choose<Strategy>('strategy', options.strategy ?? 'sql', STRATEGIES, (s) => s.name);
  // The plug-ins are loaded to check them and for the profile; each worker loads them again.
  const store = options.store === undefined ? undefined : await loadStore(options.store);
  const routing = options.routing === undefined ? undefined : await loadRouting(options.routing);
  const strategy = withPlugins(base, store?.store, routing?.routing);
  const profile = choose<ProfileName>('profile', options.profile ?? scope.profile ?? strategy.profile, PROFILE_NAMES, (p) => p);
  const propertyName = options.property ?? 'progress-never-lost';
  const properties: readonly PropertyName[] =
    propertyOption(propertyName) === ALL_PROPERTIES ? PROPERTY_NAMES : [choose<PropertyName>('property', propertyName, PROPERTY_NAMES, (p) => p)];
  const search = choose('search', options.search ?? 'bfs', ['bfs', 'dfs'] as const, (s) => s);
  const format = formatOf(options) as 'text' | 'json';
  const dpor = options.dpor === true;
  if (dpor && search === 'bfs') throw new UsageError('--dpor needs --search dfs (its backtrack points are on a depth-first stack)');
  if (dpor && options.splitDepth !== undefined && options.splitDepth !== DEFAULT_SPLIT_DEPTH) throw new UsageError('--dpor explores the whole tree as one task (races anywhere add backtrack points anywhere): leave out --split-depth');
  // DPOR runs with sleep sets and without fingerprint pruning, which would hide the races of
  // the paths it cuts (docs/explore.md "DPOR").
  const fingerprints = !dpor && options.fingerprints !== false;
  const sleepSets = dpor || options.sleepSets === true;
  if (sleepSets && search === 'bfs') throw new UsageError('--sleep-sets needs --search dfs (sleep sets follow a depth-first stack)');
  if (options.splitDepth !== undefined && search === 'bfs') throw new UsageError('--split-depth needs --search dfs (breadth-first search splits each level instead)');
  const splitDepth = options.splitDepth ?? DEFAULT_SPLIT_DEPTH;
  if (!Number.isSafeInteger(splitDepth) || splitDepth < 1) throw new UsageError(`--split-depth must be a whole number >= 1, got ${splitDepth}`);
  const spec: ExploreSpec = {
    scope,
    strategy: base.name,
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.routing === undefined ? {} : { routing: options.routing }),
    profile,
    properties,
    search,
    fingerprints,
    sleepSets,
    dpor,
    splitDepth,
    maxStates: options.maxStates ?? Number.MAX_SAFE_INTEGER,
    stop: new SharedArrayBuffer(4),
  };
  const loaded = await loadExplore(spec);
  const print: ExplorePrint = { strategy: strategy.name, profile, scope, properties, search, fingerprints, sleepSets, dpor, splitDepth, maxStates: options.maxStates ?? null, format, plugins: loaded.plugins };
  return { spec, loaded, print };
}

export async function runExplore(options: ExploreOptions, progress?: ProgressSink): Promise<CommandOutput> {
  const { spec, loaded, print } = await resolveExplore(options);
  const shard = options.shard === undefined ? null : parseShard(options.shard);
  if (shard !== null && print.search === 'bfs') throw new UsageError(SHARD_NEEDS_DFS);
  // Wall-clock time stays in the CLI, on stderr only.
  const startedMs = Date.now();
  // Ctrl-C: every thread stops between runs and the coverage so far is printed (exit 130); a
  // second Ctrl-C ends the process at once.
  const onSigint = (): void => {
    process.once('SIGINT', () => process.exit(130));
    Atomics.store(new Int32Array(spec.stop), 0, 1);
  };
  process.once('SIGINT', onSigint);
  const threads: ThreadsOptions = {
    jobs: options.jobs ?? defaultJobs(),
    runTimeoutMs: (options.runTimeout ?? DEFAULT_RUN_TIMEOUT_S) * 1000,
    ...(progress === undefined ? {} : { onProgress: (stats: ExploreStats) => progress(stats, Date.now() - startedMs) }),
  };
  let output: { readonly stats: ExploreStats; readonly output: CommandOutput };
  try {
    output = shard === null ? await exploreWhole(spec, loaded, print, threads) : await exploreShard(spec, loaded, print, shard, threads);
  } catch (error) {
    if (error instanceof HungRunError) return { stdout: '', stderr: `uiasim: ${error.message}\n`, exitCode: 3 };
    // Thrown in this thread (PathRunError) or a worker's (WorkerTaskError with its data).
    const failed = pathRunDataOf(error);
    if (failed !== null) return renderExploreError(print, loaded.strategy, loaded.plugins, failed);
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const elapsedMs = Date.now() - startedMs;
  const { stats } = output;
  const timing = `explored ${stats.states} states in ${stats.runs} runs in ${(elapsedMs / 1000).toFixed(1)} s (${Math.round((stats.states * 1000) / Math.max(1, elapsedMs))} states/s, ${Math.round((stats.runs * 1000) / Math.max(1, elapsedMs))} runs/s)\n`;
  return { ...output.output, stderr: (output.output.stderr ?? '') + timing };
}

/** The whole exploration on threads, as one report. */
async function exploreWhole(spec: ExploreSpec, loaded: LoadedExplore, print: ExplorePrint, threads: ThreadsOptions): Promise<{ readonly stats: ExploreStats; readonly output: CommandOutput }> {
  const { outcome, interrupted } = await exploreOnThreads(spec, loaded, threads);
  const found = outcome.counterexample;
  const counterexample = found === null ? null : describeCounterexample(print.scope, loaded.strategy, print.profile, loaded.plugins, found.decisions, found.verdict);
  return { stats: outcome.stats, output: renderExplore(print, { stats: outcome.stats, complete: outcome.complete, interrupted, counterexample }) };
}
