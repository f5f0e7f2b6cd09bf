import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { STRATEGIES, withPlugins, type Strategy } from '../../models/strategies.js';
import { decodeScope } from '../../models/scopes/scope-file.js';
import { SCOPES } from '../../models/scopes/builtin.js';
import type { Scope } from '../../models/scopes/scope.js';
import { PROFILE_NAMES, type ProfileName } from '../../models/synapse/profile.js';
import type { RunResult } from '../../models/world.js';
import { exploreScope } from '../../properties/explore.js';
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
  const store = options.store === undefined ? undefined : await loadStore(options.store);
  const routing = options.routing === undefined ? undefined : await loadRouting(options.routing);
  const strategy = withPlugins(base, store?.store, routing?.routing);
  const plugins: Plugins =
    store === undefined && routing === undefined ? {} : { base: base.name, ...(store === undefined ? {} : { store: store.plugin }), ...(routing === undefined ? {} : { routing: routing.plugin }) };
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
  const startedMs = Date.now();
  const { outcome, case: found } = exploreScope(
    scope,
    strategy,
    profile,
    properties,
    {
      search,
      fingerprints,
      sleepSets,
      maxStates: options.maxStates ?? Number.MAX_SAFE_INTEGER,
      ...(progress === undefined ? {} : { onProgress: (stats: ExploreStats) => progress(stats, Date.now() - startedMs) }),
    },
  );
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
  const token = replayToken(found, property, result.traceHash, plugins);
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
