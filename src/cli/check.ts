import { match } from 'ts-pattern';
import { describeFault } from '../faults.js';
import { alignColumns } from '../report/table.js';
import { replayToken } from '../../properties/replay-token.js';
import { DEFAULT_WORKLOAD, WORKLOAD_NAMES } from '../../models/clients/workload.js';
import { CoverageTally, type CoverageStats } from '../../properties/coverage.js';
import { STRATEGIES, withPlugins, type Strategy } from '../../models/strategies.js';
import { isStoreContractError } from '../../models/stores/checked-store.js';
import { PROFILE_NAMES, type ProfileName } from '../../models/synapse/profile.js';
import { DEFAULT_FAULT_PROFILE, describeCaptcha, FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { search, type SearchOutcome } from '../../properties/search.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { DeterminismWatch } from './determinism-watch.js';
import { loadRouting, loadStore, type Plugins } from './plugins.js';
import { scheduleLines } from './schedule.js';
import { saveFailures, savedNote } from './save-failures.js';
import { stepsOf, type Step } from './steps.js';
import { choose, formatOf, UsageError } from './usage.js';
import { MARKERS, SCHEMA_VERSION, settingsLines, type CommandOutput } from './output.js';
import { switchesOf } from './switches.js';

export { MARKERS, SCHEMA_VERSION, settingsLines, type CommandOutput } from './output.js';

export interface CheckOptions {
  strategy?: string;
  store?: string;
  routing?: string;
  profile?: string;
  /** --set NAME=VALUE: profile and homeserver-config switches (docs/profiles.md). */
  set?: string[];
  faults?: string;
  property?: string;
  workload?: string;
  runs: number;
  seed: number;
  format?: string;
  json?: boolean;
  /** Print the coverage shares of the runs (`--stats`). */
  stats?: boolean;
  /** Wall-clock cap on shrinking; an unfinished shrink is reported as partial. */
  maxShrinkMs?: number;
  /** --save-failures DIR: the minimal counterexample as a failure file. */
  saveFailures?: string;
  /** --check-determinism: every case runs twice; a divergence is exit 1. */
  checkDeterminism?: boolean;
}

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
  const switches = switchesOf(options.set);
  const faultProfile = choose('fault profile', options.faults ?? DEFAULT_FAULT_PROFILE, FAULT_PROFILES, (f) => f.name);
  const property = choose<PropertyName>('property', options.property ?? 'progress-never-lost', PROPERTY_NAMES, (p) => p);
  const workload = choose('workload', options.workload ?? DEFAULT_WORKLOAD, WORKLOAD_NAMES, (w) => w);
  const format = formatOf(options);

  // The wall clock stays here, in the CLI: search only asks whether to stop (properties/ is deterministic).
  const maxShrinkMs = options.maxShrinkMs;
  const startShrinkBudget =
    maxShrinkMs === undefined
      ? undefined
      : () => {
          const deadline = Date.now() + maxShrinkMs;
          return () => Date.now() > deadline;
        };
  const watch = options.checkDeterminism === true ? new DeterminismWatch(property, strategy) : null;
  let outcome: SearchOutcome;
  try {
    outcome = search(
      { strategy: strategy.name, profile, ...(switches === undefined ? {} : { switches }), faultProfile, workload, property, runOptions: { strategy }, ...(watch === null ? {} : { onRun: watch.onRun }) },
      options.runs,
      options.seed,
      startShrinkBudget === undefined ? {} : { startShrinkBudget },
    );
  } catch (error) {
    // A nondeterministic run can break shrinking itself; the divergence is the finding.
    if (watch === null || watch.found === null) throw error;
    // No coverage to report: the runs are not a function of their cases.
    outcome = { verdict: 'holds', runs: watch.cases, coverage: new CoverageTally().stats() };
  }
  const header = {
    schemaVersion: SCHEMA_VERSION,
    strategy: strategy.name,
    profile,
    ...(switches === undefined ? {} : { switches }),
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
      if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: 'holds', upperBound95PerRun: 3 / holds.runs, coverage: holds.coverage }) + '\n', exitCode: 0 };
      const text = [
        ...settingsLines(strategy.name, profile, faultProfile.name, workload, options.seed, switches),
        notFoundLine(property, holds.runs, holds.coverage.distinctInterleavings),
        ...(options.stats === true ? coverageLines(holds.coverage) : []),
      ];
      return { stdout: text.join('\n') + '\n', exitCode: 0 };
    })
    .with({ verdict: 'error' }, (thrown): CommandOutput => {
      // A store that breaks the contract (yields a non-effect, say) is bad input, not a finding.
      if (isStoreContractError(thrown.error)) throw new UsageError(`store file ${options.store ?? thrown.error.store}: ${thrown.error.detail}`);
      const token = replayToken(thrown.case, property, '', plugins);
      const message = thrown.error instanceof Error ? thrown.error.message : String(thrown.error);
      if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: 'error', error: message, token }) + '\n', exitCode: 3 };
      const text = `the model threw during run ${thrown.runs}: ${message}\nreplay: npm run uiasim -- replay ${token}\n`;
      return { stdout: text, exitCode: 3, stderr: thrown.error instanceof Error ? (thrown.error.stack ?? '') + '\n' : '' };
    })
    .with({ verdict: 'violated' }, (violated): CommandOutput => {
      const token = replayToken(violated.case, property, violated.result.traceHash, plugins);
      const steps = stepsOf(violated.result, violated.violation);
      const faults = [...violated.case.faultPlan.faults.map(describeFault), ...describeCaptcha(violated.case.captcha)];
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
        return { stdout: JSON.stringify({ ...header, verdict: 'violated', violation, shrink: { complete: violated.shrinkComplete }, coverage: violated.coverage }) + '\n', exitCode: 1, stderr: saved };
      }
      const shrunk = violated.shrinkComplete
        ? `shrunk by fast-check (${violated.shrinks} steps), then made 1-minimal (${violated.minimizeAttempts} tries).`
        : `shrink PARTIAL: stopped ${maxShrinkMs === undefined ? 'at the cap on tries' : 'by --max-shrink-ms'} after ${violated.shrinks} fast-check steps and ${violated.minimizeAttempts} tries; the case fails but may not be minimal.`;
      const text = [
        ...settingsLines(strategy.name, profile, faultProfile.name, workload, options.seed, switches),
        `${property}: VIOLATED in run ${violated.failingRun} of ${options.runs}; ${shrunk}`,
        ...(options.stats === true ? coverageLines(violated.coverage) : []),
        '',
        `${violated.shrinkComplete ? 'Minimal counterexample' : 'Counterexample (partly shrunk)'}: ${violated.violation.requests} requests, ${plural(violated.case.workload.clients.length, 'client')}, ${faults.length === 0 ? 'no faults' : plural(faults.length, 'fault')}.`,
        ...faults.map((f) => `  fault: ${f}`),
        ...scheduleLines(violated.case, violated.result, violated.violation),
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

/** A clean result is never a bare "holds": what was searched, and what that rules out (the rule
 * of three: no failure in N independent runs bounds the per-run failure rate by 3/N at 95%). */
export function notFoundLine(property: string, runs: number, distinctInterleavings: number): string {
  return `${property}: not found in ${runs} runs (${distinctInterleavings} distinct interleavings; 95% upper bound 3/${runs} per run).`;
}

/** `--stats`: what the runs reached (properties/coverage.ts). */
export function coverageLines(coverage: CoverageStats): string[] {
  const percent = (share: number): string => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
  const rows = [
    ['sessions spanning 2+ processes', percent(coverage.sessionsSpanningProcesses), `of ${coverage.sessions} sessions`],
    ['restart between a stage shown and the next request', percent(coverage.restartBetweenShownAndNext), 'of runs'],
    ['two requests of one session in flight at once', percent(coverage.concurrentRequestsOfOneSession), 'of runs'],
    ['a session crossing its expiry', percent(coverage.sessionCrossedExpiry), 'of runs'],
    ['distinct interleavings (trace hashes)', String(coverage.distinctInterleavings), `of ${coverage.runs} runs`],
  ];
  return [`coverage of ${plural(coverage.runs, 'run')}:`, ...alignColumns(rows, '  ')];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
