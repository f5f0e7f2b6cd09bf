import type { Scope } from '../../models/scopes/scope.js';
import type { Strategy } from '../../models/strategies.js';
import type { ProfileName } from '../../models/synapse/profile.js';
import type { CaseVerdict } from '../../properties/check-case.js';
import { scopeCase } from '../../properties/explore.js';
import { replayToken } from '../../properties/replay-token.js';
import { ALL_PROPERTIES, type PropertyName } from '../../properties/violation.js';
import type { ExploreStats } from '../explore/driver.js';
import type { PathRunData } from '../explore/types.js';
import { DEFAULT_SPLIT_DEPTH } from '../explore/split.js';
import { renderSteps } from './check.js';
import { EXPLORED_FAULTS, EXPLORED_WORKLOAD, placedFaults, plural, REPLAY_COMMAND, SCHEMA_VERSION, settingsLines, type CommandOutput } from './output.js';
import type { Plugins } from './plugins.js';
import { inFlightLines } from './schedule.js';
import { stepsOf, type Step } from './steps.js';

/** Everything `explore`'s printed report depends on besides what the search found: what an
 * explore shard file carries as its settings, and `merge` prints with. */
export interface ExplorePrint {
  /** The strategy's name (with plug-ins, as combined). */
  readonly strategy: string;
  readonly profile: ProfileName;
  /** The whole scope, not only its name: a scope file's contents count. */
  readonly scope: Scope;
  readonly properties: readonly PropertyName[];
  readonly search: 'bfs' | 'dfs';
  readonly fingerprints: boolean;
  readonly sleepSets: boolean;
  readonly dpor: boolean;
  /** Depth-first: --split-depth (src/explore/split.ts); the counts depend on it. */
  readonly splitDepth: number;
  /** --max-states as given (null: no limit). */
  readonly maxStates: number | null;
  readonly format: 'text' | 'json';
  /** The plug-ins (with their content hashes) the token names. */
  readonly plugins: Plugins;
}

/** A counterexample as the report prints it, as plain data (a shard file carries it). */
export interface ExploreCounterexample {
  readonly property: PropertyName;
  readonly requests: number;
  readonly decisions: readonly number[];
  readonly faults: readonly string[];
  readonly why: string;
  readonly token: string;
  readonly traceHash: string;
  readonly steps: readonly Step[];
  readonly inFlight: readonly string[];
}

/** What the search found, in the printer's terms. */
export interface ExploreFound {
  readonly stats: ExploreStats;
  /** Every path explored (no state limit, no stop). */
  readonly complete: boolean;
  /** Ctrl-C stopped it. */
  readonly interrupted: boolean;
  readonly counterexample: ExploreCounterexample | null;
}

/** The report's view of the violating path `decisions`, whose re-run gave `verdict`. */
export function describeCounterexample(scope: Scope, strategy: Strategy, profile: ProfileName, plugins: Plugins, decisions: readonly number[], verdict: CaseVerdict): ExploreCounterexample {
  const { result, violation } = verdict;
  if (violation === null) throw new Error('explore: a counterexample without a violation');
  const found = scopeCase(scope, strategy, profile, decisions);
  return {
    property: violation.property,
    requests: violation.requests,
    decisions,
    faults: placedFaults(result),
    why: violation.why,
    token: replayToken(found, violation.property, result.traceHash, plugins),
    traceHash: result.traceHash,
    steps: stepsOf(result, violation),
    inFlight: inFlightLines(result, violation),
  };
}

/** The printer of `explore`, unsharded or merged: the same settings and findings print the same bytes. */
export function renderExplore(print: ExplorePrint, found: ExploreFound): CommandOutput {
  const { scope, properties, search, fingerprints, sleepSets, dpor, format, stats } = { ...print, stats: found.stats };
  const propertyLabel = properties.length === 1 ? (properties[0] as string) : 'every property';
  const header = {
    schemaVersion: SCHEMA_VERSION,
    strategy: print.strategy,
    profile: print.profile,
    scope: scope.name,
    property: properties.length === 1 ? properties[0] : ALL_PROPERTIES,
    search,
    reductions: { fingerprints, sleepSets, dpor },
    ...(search === 'dfs' ? { splitDepth: print.splitDepth } : {}),
    schedules: stats.schedules,
    states: stats.states,
    depth: stats.depth,
    pruned: stats.pruned,
    runs: stats.runs,
    bounded: stats.bounded,
  };
  const settings = [...settingsLines(print.strategy, print.profile, EXPLORED_FAULTS, EXPLORED_WORKLOAD, undefined, undefined, print.plugins.routing?.file), `scope ${scope.name}: ${scope.summary}`];
  const reductions = `reductions: fingerprints ${fingerprints ? `on (${plural(stats.pruned, 'path')} ended at a state explored already)` : 'off'}, sleep sets ${sleepSets ? 'on' : 'off'}${dpor ? ', DPOR on' : ''}; ${searchLabel(search, print.splitDepth)}`;
  const boundNote = stats.bounded > 0 ? [`note: ${plural(stats.bounded, 'schedule')} reached the bound of ${scope.bounds.maxDecisions} decisions and went on in the natural order`] : [];
  const untested = untestedIn(scope, properties);
  const untestedLines = untested.map(
    (property) => `${property} judges only clients that follow the protocol to the end ("persistent": true in a scope file), and scope ${scope.name} has none: it held here without being tested.`,
  );

  if (found.interrupted) {
    if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: 'interrupted', untested }) + '\n', exitCode: 130 };
    const line = `${propertyLabel}: not violated in the ${plural(stats.schedules, 'schedule')} explored (${plural(stats.states, 'distinct state')}, depth ${stats.depth} reached); incomplete: interrupted.`;
    return { stdout: [...settings, line, ...untestedLines, reductions, ...boundNote].join('\n') + '\n', exitCode: 130 };
  }
  const counterexample = found.counterexample;
  if (counterexample === null) {
    // DPOR stands one schedule for the orders that swap independent steps; past the decision
    // bound a path takes the natural order instead, so a bounded schedule proves nothing for
    // the orders it stood for (docs/explore.md "DPOR").
    const boundedDpor = print.dpor && stats.bounded > 0;
    const holds = found.complete && !boundedDpor;
    if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: holds ? 'holds' : 'incomplete', untested }) + '\n', exitCode: 0 };
    const line = holds
      ? `${propertyLabel} holds for ${stats.schedules === 1 ? 'the 1 schedule' : `all ${stats.schedules} schedules`} of scope ${scope.name} (${plural(stats.states, 'distinct state')}, depth ${stats.depth}).`
      : boundedDpor && found.complete
        ? `${propertyLabel}: not violated in the ${plural(stats.schedules, 'schedule')} explored (${plural(stats.states, 'distinct state')}, depth ${stats.depth}): NOT proven, since DPOR covers every order only when no schedule reaches the bound of ${scope.bounds.maxDecisions} decisions.`
        : `${propertyLabel}: not violated in the ${plural(stats.schedules, 'schedule')} explored before the limit of ${plural(print.maxStates ?? 0, 'state')} (${plural(stats.states, 'distinct state')}, depth ${stats.depth}): NOT proven.`;
    return { stdout: [...settings, line, ...untestedLines, reductions, ...boundNote].join('\n') + '\n', exitCode: 0 };
  }

  const { property, faults, decisions, steps } = counterexample;
  const clients = scope.clients.length;
  if (format === 'json') {
    const { requests, why, token, traceHash } = counterexample;
    const v = { property, requests, clients, decisions: decisions.length, faults, why, token, traceHash, steps };
    return { stdout: JSON.stringify({ ...header, verdict: 'violated', violation: v }) + '\n', exitCode: 1 };
  }
  const text = [
    ...settings,
    `${property}: VIOLATED in scope ${scope.name}, found after ${plural(stats.schedules, 'schedule')} (${plural(stats.states, 'distinct state')})${search === 'bfs' ? '; breadth-first, so no schedule with fewer decisions violates it' : ''}.`,
    reductions,
    '',
    `Counterexample: ${counterexample.requests} requests, ${plural(clients, 'client')}, ${faults.length === 0 ? 'no faults' : plural(faults.length, 'fault')}, ${plural(decisions.length, 'decision')}.`,
    ...faults.map((f) => `  fault: ${f}`),
    `  schedule: explored path, decisions [${decisions.join(', ')}]`,
    ...counterexample.inFlight,
    ...renderSteps(steps, property),
    '',
    `Why: ${counterexample.why}`,
    '',
    `trace hash  ${counterexample.traceHash}`,
    `replay      ${REPLAY_COMMAND} ${counterexample.token}`,
  ];
  return { stdout: text.join('\n') + '\n', exitCode: 1 };
}

/** The properties asked for that judge no client of the scope: liveness judges persistent
 * clients only (properties/checkers/liveness.ts), so in a scope without one it holds untested. */
export function untestedIn(scope: Scope, properties: readonly PropertyName[]): PropertyName[] {
  return properties.includes('liveness') && !scope.clients.some((client) => client.persistent === true) ? ['liveness'] : [];
}

/** The search as the reductions line names it; a depth-first split other than the default is
 * said, since the counts depend on it (docs/explore.md "--split-depth"). */
function searchLabel(search: 'bfs' | 'dfs', splitDepth: number): string {
  if (search === 'bfs') return 'breadth-first';
  return splitDepth === DEFAULT_SPLIT_DEPTH ? 'depth-first' : `depth-first, split at depth ${splitDepth}`;
}

/** A run of the model threw while exploring (a model bug, a plug-in that throws, a run past its
 * step budget): exit 3, as `check` reports it, with a token of the path that threw. */
export function renderExploreError(print: ExplorePrint, strategy: Strategy, plugins: Plugins, failed: PathRunData): CommandOutput {
  const property = print.properties.length === 1 ? (print.properties[0] as string) : ALL_PROPERTIES;
  const token = replayToken(scopeCase(print.scope, strategy, print.profile, failed.decisions), property, '', plugins);
  if (print.format === 'json') {
    const report = { schemaVersion: SCHEMA_VERSION, strategy: print.strategy, profile: print.profile, scope: print.scope.name, property, verdict: 'error', error: failed.reason, decisions: failed.decisions, token };
    return { stdout: JSON.stringify(report) + '\n', exitCode: 3 };
  }
  const text = `the model threw during a run of scope ${print.scope.name} (decisions [${failed.decisions.join(', ')}]): ${failed.reason}\nreplay: ${REPLAY_COMMAND} ${token}\n`;
  return { stdout: text, exitCode: 3, ...(failed.stack === '' ? {} : { stderr: failed.stack + '\n' }) };
}
