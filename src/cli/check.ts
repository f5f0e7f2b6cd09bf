import { match } from 'ts-pattern';
import { describeFault } from '../faults.js';
import { alignColumns } from '../report/table.js';
import { replayToken } from '../../properties/replay-token.js';
import { DEFAULT_WORKLOAD, WORKLOAD_NAMES } from '../../models/clients/workload.js';
import { STRATEGIES, withPlugins, type Strategy } from '../../models/strategies.js';
import { PROFILES, PROFILE_NAMES, type ProfileName } from '../../models/synapse/profile.js';
import { DEFAULT_FAULT_PROFILE, FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { search, type SearchOutcome } from '../../properties/search.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { DeterminismWatch } from './determinism-watch.js';
import { loadRouting, loadStore, type Plugins } from './plugins.js';
import { saveFailures, savedNote } from './save-failures.js';
import { stepsOf, type Step } from './steps.js';
import { choose, formatOf, UsageError } from './usage.js';

export interface CheckOptions {
  strategy?: string;
  store?: string;
  routing?: string;
  profile?: string;
  faults?: string;
  property?: string;
  workload?: string;
  runs: number;
  seed: number;
  format?: string;
  json?: boolean;
  /** --save-failures DIR: the minimal counterexample as a failure file. */
  saveFailures?: string;
  /** --check-determinism: every case runs twice; a divergence is exit 1. */
  checkDeterminism?: boolean;
}

export interface CommandOutput {
  readonly stdout: string;
  readonly exitCode: number;
  /** Wall-clock notes for stderr (never on stdout: it must be reproducible). */
  readonly stderr?: string;
}

export const SCHEMA_VERSION = 1;

export async function runCheck(options: CheckOptions): Promise<CommandOutput> {
  if (options.strategy === undefined && options.store === undefined) {
    throw new UsageError(`check needs --strategy (one of ${STRATEGIES.map((s) => s.name).join(', ')}) or --store FILE`);
  }
  const base = choose<Strategy>('strategy', options.strategy ?? 'sql', STRATEGIES, (s) => s.name);
  const store = options.store === undefined ? undefined : await loadStore(options.store);
  const routing = options.routing === undefined ? undefined : await loadRouting(options.routing);
  const strategy = withPlugins(base, store?.store, routing?.routing);
  const plugins: Plugins =
    store === undefined && routing === undefined ? {} : { base: base.name, ...(store === undefined ? {} : { store: store.plugin }), ...(routing === undefined ? {} : { routing: routing.plugin }) };
  const profile = choose<ProfileName>('profile', options.profile ?? strategy.profile, PROFILE_NAMES, (p) => p);
  const faultProfile = choose('fault profile', options.faults ?? DEFAULT_FAULT_PROFILE, FAULT_PROFILES, (f) => f.name);
  const property = choose<PropertyName>('property', options.property ?? 'progress-never-lost', PROPERTY_NAMES, (p) => p);
  const workload = choose('workload', options.workload ?? DEFAULT_WORKLOAD, WORKLOAD_NAMES, (w) => w);
  const format = formatOf(options);

  const watch = options.checkDeterminism === true ? new DeterminismWatch(property, strategy) : null;
  let outcome: SearchOutcome;
  try {
    outcome = search({ strategy: strategy.name, profile, faultProfile, workload, property, runOptions: { strategy }, ...(watch === null ? {} : { onRun: watch.onRun }) }, options.runs, options.seed);
  } catch (error) {
    // A nondeterministic run can break shrinking itself; the divergence is the finding.
    if (watch === null || watch.found === null) throw error;
    outcome = { verdict: 'holds', runs: watch.cases };
  }
  const header = {
    schemaVersion: SCHEMA_VERSION,
    strategy: strategy.name,
    profile,
    faults: faultProfile.name,
    workload,
    property,
    runs: outcome.runs,
    seed: options.seed,
  };
  if (watch !== null && watch.found !== null) return watch.output(format, header);
  const saved = options.saveFailures === undefined || outcome.verdict !== 'violated' ? '' : savedNote(await saveFailures(options.saveFailures, [replayToken(outcome.case, property, outcome.result.traceHash, plugins)]));
  return match(outcome)
    .with({ verdict: 'holds' }, (holds): CommandOutput => {
      if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: 'holds' }) + '\n', exitCode: 0 };
      const text = [...settingsLines(strategy.name, profile, faultProfile.name, workload, options.seed), `${property}: not found in ${holds.runs} runs.`];
      return { stdout: text.join('\n') + '\n', exitCode: 0 };
    })
    .with({ verdict: 'error' }, (thrown): CommandOutput => {
      const token = replayToken(thrown.case, property, '', plugins);
      const message = thrown.error instanceof Error ? thrown.error.message : String(thrown.error);
      if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: 'error', error: message, token }) + '\n', exitCode: 3 };
      const text = `the model threw during run ${thrown.runs}: ${message}\nreplay: npm run uiasim -- replay ${token}\n`;
      return { stdout: text, exitCode: 3, stderr: thrown.error instanceof Error ? (thrown.error.stack ?? '') + '\n' : '' };
    })
    .with({ verdict: 'violated' }, (violated): CommandOutput => {
      const token = replayToken(violated.case, property, violated.result.traceHash, plugins);
      const steps = stepsOf(violated.result, violated.violation);
      const faults = violated.case.faultPlan.faults.map(describeFault);
      if (format === 'json') {
        const violation = {
          property,
          requests: violated.violation.requests,
          clients: violated.case.workload.clients.length,
          faults,
          why: violated.violation.why,
          token,
          traceHash: violated.result.traceHash,
          steps,
        };
        return { stdout: JSON.stringify({ ...header, verdict: 'violated', violation }) + '\n', exitCode: 1, stderr: saved };
      }
      const text = [
        ...settingsLines(strategy.name, profile, faultProfile.name, workload, options.seed),
        `${property}: VIOLATED in run ${violated.failingRun} of ${options.runs}; shrunk by fast-check (${violated.shrinks} steps), then made 1-minimal (${violated.minimizeAttempts} tries).`,
        '',
        `Minimal counterexample: ${violated.violation.requests} requests, ${plural(violated.case.workload.clients.length, 'client')}, ${faults.length === 0 ? 'no faults' : plural(faults.length, 'fault')}.`,
        ...faults.map((f) => `  fault: ${f}`),
        ...renderSteps(steps, property),
        '',
        `Why: ${violated.violation.why}`,
        '',
        `trace hash  ${violated.result.traceHash}`,
        `replay      npm run uiasim -- replay ${token}`,
      ];
      return { stdout: text.join('\n') + '\n', exitCode: 1, stderr: saved };
    })
    .exhaustive();
}

export function settingsLines(strategy: string, profile: ProfileName, faults: string, workload: string, seed?: number): string[] {
  return [`strategy ${strategy} (profile ${profile}: ${PROFILES[profile].summary})`, `faults ${faults}, workload ${workload}${seed === undefined ? '' : `, seed ${seed}`}`];
}

/** What the violating step is marked with, per property. */
export const MARKERS: Readonly<Record<PropertyName, string>> = { 'progress-never-lost': 'progress lost', liveness: 'never finished' };

export function renderSteps(steps: readonly Step[], property: PropertyName): string[] {
  const rows = steps.map((s) => [
    `${s.n}.`,
    `${s.atMs} ms`,
    s.actor,
    s.request,
    s.session === null ? '' : `session ${s.session}`,
    s.servedBy === null ? '' : `-> ${s.servedBy}`,
    s.response + (s.violation ? `   <-- ${MARKERS[property]}` : ''),
  ]);
  return alignColumns(rows, '  ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
