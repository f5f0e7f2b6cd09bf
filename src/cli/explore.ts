import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { STRATEGIES, withPlugins, type Strategy } from '../../models/strategies.js';
import { decodeScope } from '../../models/scopes/scope-file.js';
import { SCOPES } from '../../models/scopes/builtin.js';
import type { Scope } from '../../models/scopes/scope.js';
import { PROFILE_NAMES, type ProfileName } from '../../models/synapse/profile.js';
import type { RunResult } from '../../models/world.js';
import { scopeCase } from '../../properties/explore.js';
import { availableParallelism } from 'node:os';
import { DEFAULT_RUN_TIMEOUT_S } from './check.js';
import { exploreOnThreads, HungRunError, type ThreadedExploration } from './explore-runs.js';
import { loadExplore, type ExploreSpec } from './explore-tasks.js';
import { replayToken } from '../../properties/replay-token.js';
import { ALL_PROPERTIES, PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import type { ExploreStats } from '../explore/driver.js';
import { SCHEMA_VERSION, renderSteps, settingsLines, type CommandOutput } from './check.js';
import { loadRouting, loadStore, type Plugins } from './plugins.js';
import { propertyOption } from './property-labels.js';
import { inFlightLines } from './schedule.js';
import { stepsOf } from './steps.js';
import { choose, formatOf, UsageError } from './usage.js';

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
  format?: string;
  json?: boolean;
  /** --jobs N: worker threads (default: every core); the output does not depend on it. */
  jobs?: number;
  /** --run-timeout S: a run of the model longer than this is stuck (exit 3). */
  runTimeout?: number;
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
    throw new UsageError(`cannot read scope file ${nameOrFile}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`scope file ${nameOrFile} is not JSON`);
  }
  return decodeScope(json, basename(nameOrFile, extname(nameOrFile)));
}

/** Written to stderr on a TTY while the exploration runs. */
export type ProgressSink = (stats: ExploreStats, elapsedMs: number) => void;

export async function runExplore(options: ExploreOptions, progress?: ProgressSink): Promise<CommandOutput> {
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
  const format = formatOf(options);
  const fingerprints = options.fingerprints !== false;
  const sleepSets = options.sleepSets === true;
  if (sleepSets && search === 'bfs') throw new UsageError('--sleep-sets needs --search dfs (sleep sets follow a depth-first stack)');

  // Wall-clock time stays in the CLI, on stderr only.
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
    maxStates: options.maxStates ?? Number.MAX_SAFE_INTEGER,
    stop: new SharedArrayBuffer(4),
  };
  const loaded = await loadExplore(spec);
  const startedMs = Date.now();
  // Ctrl-C: every thread stops between runs and the coverage so far is printed (exit 130); a
  // second Ctrl-C ends the process at once.
  const onSigint = (): void => {
    process.once('SIGINT', () => process.exit(130));
    Atomics.store(new Int32Array(spec.stop), 0, 1);
  };
  process.once('SIGINT', onSigint);
  let threaded: ThreadedExploration;
  try {
    threaded = await exploreOnThreads(spec, loaded, {
      jobs: options.jobs ?? availableParallelism(),
      runTimeoutMs: (options.runTimeout ?? DEFAULT_RUN_TIMEOUT_S) * 1000,
      ...(progress === undefined ? {} : { onProgress: (stats: ExploreStats) => progress(stats, Date.now() - startedMs) }),
    });
  } catch (error) {
    if (error instanceof HungRunError) return { stdout: '', stderr: `uiasim: ${error.message}\n`, exitCode: 3 };
    throw error;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const { outcome, interrupted } = threaded;
  const found = outcome.counterexample === null ? null : scopeCase(scope, strategy, profile, outcome.counterexample.decisions);
  const elapsedMs = Date.now() - startedMs;
  const stats = outcome.stats;
  const stderr = `explored ${stats.states} states in ${stats.runs} runs in ${(elapsedMs / 1000).toFixed(1)} s (${Math.round((stats.states * 1000) / Math.max(1, elapsedMs))} states/s, ${Math.round((stats.runs * 1000) / Math.max(1, elapsedMs))} runs/s)\n`;
  const propertyLabel = properties.length === 1 ? (properties[0] as string) : 'every property';
  const header = {
    schemaVersion: SCHEMA_VERSION,
    strategy: strategy.name,
    profile,
    scope: scope.name,
    property: properties.length === 1 ? properties[0] : ALL_PROPERTIES,
    search,
    reductions: { fingerprints, sleepSets },
    schedules: stats.schedules,
    states: stats.states,
    depth: stats.depth,
    pruned: stats.pruned,
    runs: stats.runs,
    bounded: stats.bounded,
  };
  const settings = [
    ...settingsLines(strategy.name, profile, 'placed by the explorer', 'the scope\'s'),
    `scope ${scope.name}: ${scope.summary}`,
  ];
  const reductions = `reductions: fingerprints ${fingerprints ? `on (${stats.pruned} paths ended at a state explored already)` : 'off'}, sleep sets ${sleepSets ? 'on' : 'off'}; ${search === 'bfs' ? 'breadth-first' : 'depth-first'}`;
  const boundNote = stats.bounded > 0 ? [`note: ${stats.bounded} schedules reached the bound of ${scope.bounds.maxDecisions} decisions and went on in the natural order`] : [];

  if (interrupted) {
    if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: 'interrupted' }) + '\n', exitCode: 130, stderr };
    const line = `${propertyLabel}: not violated in the ${stats.schedules} schedules explored (${stats.states} distinct states, depth ${stats.depth} reached); incomplete: interrupted.`;
    return { stdout: [...settings, line, reductions, ...boundNote].join('\n') + '\n', exitCode: 130, stderr };
  }
  if (found === null || outcome.counterexample === null) {
    const holds = outcome.complete;
    if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: holds ? 'holds' : 'incomplete' }) + '\n', exitCode: 0, stderr };
    const line = holds
      ? `${propertyLabel} holds for all ${stats.schedules} schedules of scope ${scope.name} (${stats.states} distinct states, depth ${stats.depth}).`
      : `${propertyLabel}: not violated in the ${stats.schedules} schedules explored before the limit of ${options.maxStates ?? 0} states (${stats.states} distinct states, depth ${stats.depth}): NOT proven.`;
    return { stdout: [...settings, line, reductions, ...boundNote].join('\n') + '\n', exitCode: 0, stderr };
  }

  const { result, violation } = outcome.counterexample.verdict;
  if (violation === null) throw new Error('explore: a counterexample without a violation');
  const property = violation.property;
  const token = replayToken(found, property, result.traceHash, loaded.plugins);
  const steps = stepsOf(result, violation);
  const faults = placedFaults(result);
  const decisions = outcome.counterexample.decisions;
  if (format === 'json') {
    const v = { property, requests: violation.requests, clients: scope.clients.length, decisions: decisions.length, faults, why: violation.why, token, traceHash: result.traceHash, steps };
    return { stdout: JSON.stringify({ ...header, verdict: 'violated', violation: v }) + '\n', exitCode: 1, stderr };
  }
  const text = [
    ...settings,
    `${property}: VIOLATED in scope ${scope.name}, found after ${stats.schedules} schedules (${stats.states} distinct states)${search === 'bfs' ? '; breadth-first, so no schedule with fewer decisions violates it' : ''}.`,
    reductions,
    '',
    `Counterexample: ${violation.requests} requests, ${plural(scope.clients.length, 'client')}, ${faults.length === 0 ? 'no faults' : plural(faults.length, 'fault')}, ${plural(decisions.length, 'decision')}.`,
    ...faults.map((f) => `  fault: ${f}`),
    `  schedule: explored path, decisions [${decisions.join(', ')}]`,
    ...inFlightLines(result, violation),
    ...renderSteps(steps, property),
    '',
    `Why: ${violation.why}`,
    '',
    `trace hash  ${result.traceHash}`,
    `replay      npm run uiasim -- replay ${token}`,
  ];
  return { stdout: text.join('\n') + '\n', exitCode: 1, stderr };
}

/** The crashes the explorer placed on the path, from the run's lifecycle events. */
function placedFaults(result: RunResult): string[] {
  return result.lifecycle
    .filter((e) => e.kind === 'crash')
    .map((e) => `${result.nodeNames[e.node] ?? `node ${e.node}`} crashes at ${e.atMs} ms (placed by the explorer) and restarts later`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
