import { describeFault } from '../faults.js';
import { alignColumns } from '../report/table.js';
import { replayToken } from '../../properties/replay-token.js';
import { DEFAULT_WORKLOAD, WORKLOAD_NAMES } from '../../models/clients/workload.js';
import { CoverageTally, type CoverageStats } from '../../properties/coverage.js';
import { makeShardFile, parseShard, shardRange } from '../run/shard.js';
import { packageVersion } from './package-version.js';
import { defaultJobs } from './jobs.js';
import { combineRanges, loadSpec, runRange, shrinkBudget, type CheckSpec, type ChecksOutcome, type LoadedSpec, type RangeOutcome, type RangeRunOptions } from './check-runs.js';
import { STRATEGIES, withPlugins, type Strategy } from '../../models/strategies.js';
import { isStoreContractError } from '../../models/stores/checked-store.js';
import { PROFILE_NAMES, type ProfileName } from '../../models/synapse/profile.js';
import type { Switches } from '../../models/synapse/profile-set.js';
import { DEFAULT_FAULT_PROFILE, describeCaptcha, FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { search, type SearchOutcome } from '../../properties/search.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { DeterminismWatch } from './determinism-watch.js';
import { loadStore, type Plugins } from './plugins.js';
import { loadRouting } from './routing-file.js';
import { scheduleLines } from './schedule.js';
import { saveFailures, savedNote } from './save-failures.js';
import { stepsOf, type Step } from './steps.js';
import { choose, formatOf, UsageError } from './usage.js';
import { MARKERS, plural, REPLAY_COMMAND, SCHEMA_VERSION, settingsLines, type CommandOutput } from './output.js';
import { switchesOf } from './switches.js';
import { messageOf, stackOf } from '../error-message.js';

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
  /** --jobs N: worker threads (default: every core from 1,000 runs); the output does not depend on it. */
  jobs?: number;
  /** --run-timeout S: a run taking longer is reported as hung (exit 3). */
  runTimeout?: number;
  /** --shard k/n: run only this slice of the runs and print a shard file for `merge`. */
  shard?: string;
}

/** `--run-timeout`'s default: a run takes milliseconds; one past this never returns. */
export const DEFAULT_RUN_TIMEOUT_S = 10;
/** From this many runs `check` uses every core unless `--jobs` says otherwise. */
export const PARALLEL_FROM_RUNS = 1_000;

/** Everything `check`'s printed report depends on besides its runs: what a shard file carries
 * and `merge` prints with. */
export interface CheckPrint {
  readonly strategy: string;
  readonly profile: ProfileName;
  /** --set switches (none: the profile as it is). */
  readonly switches?: Switches;
  readonly faults: string;
  readonly workload: string;
  readonly property: PropertyName;
  readonly runs: number;
  readonly seed: number;
  readonly format: 'text' | 'json';
  readonly stats: boolean;
  readonly maxShrinkMs: number | null;
  readonly runTimeoutS: number;
  /** The plug-ins (with their content hashes) the tokens name. */
  readonly plugins: Plugins;
}

/** The settings of a check, resolved from its options (a bad one is a UsageError). */
export async function resolveCheck(options: CheckOptions): Promise<{ readonly spec: CheckSpec; readonly loaded: LoadedSpec; readonly print: CheckPrint }> {
  if (options.strategy === undefined && options.store === undefined) {
    throw new UsageError(`check needs --strategy (one of ${STRATEGIES.map((s) => s.name).join(', ')}) or --store FILE`);
  }
  const base = choose<Strategy>('strategy', options.strategy ?? 'sql', STRATEGIES, (s) => s.name);
  const store = options.store === undefined ? undefined : await loadStore(options.store);
  const routing = options.routing === undefined ? undefined : await loadRouting(options.routing);
  const strategy = withPlugins(base, store?.store, routing?.routing);
  const profile = choose<ProfileName>('profile', options.profile ?? strategy.profile, PROFILE_NAMES, (p) => p);
  const switches = switchesOf(options.set);
  const faultProfile = choose('fault profile', options.faults ?? DEFAULT_FAULT_PROFILE, FAULT_PROFILES, (f) => f.name);
  const property = choose<PropertyName>('property', options.property ?? 'progress-never-lost', PROPERTY_NAMES, (p) => p);
  const workload = choose('workload', options.workload ?? DEFAULT_WORKLOAD, WORKLOAD_NAMES, (w) => w);
  const format = formatOf(options) as 'text' | 'json';
  const spec: CheckSpec = {
    strategy: base.name,
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.routing === undefined ? {} : { routing: options.routing }),
    profile,
    ...(switches === undefined ? {} : { switches }),
    faults: faultProfile.name,
    property,
    workload,
  };
  const loaded = await loadSpec(spec);
  const print: CheckPrint = {
    strategy: strategy.name,
    profile,
    ...(switches === undefined ? {} : { switches }),
    faults: faultProfile.name,
    workload,
    property,
    runs: options.runs,
    seed: options.seed,
    format,
    stats: options.stats === true,
    maxShrinkMs: options.maxShrinkMs ?? null,
    runTimeoutS: options.runTimeout ?? DEFAULT_RUN_TIMEOUT_S,
    plugins: loaded.plugins,
  };
  return { spec, loaded, print };
}

export async function runCheck(options: CheckOptions): Promise<CommandOutput> {
  const { spec, loaded, print } = await resolveCheck(options);
  const shard = options.shard === undefined ? null : parseShard(options.shard);
  if (shard !== null && options.checkDeterminism === true) throw new UsageError('--shard and --check-determinism do not go together: check determinism unsharded');
  if (shard !== null && options.saveFailures !== undefined) throw new UsageError('--shard and --save-failures do not go together: the failure is known after merge; replay its token with --save-failures');
  if (options.checkDeterminism === true) return checkDeterminism(options, loaded, print);
  const range = shard === null ? { start: 0, end: options.runs } : shardRange(shard, options.runs);
  const outcome = await runRange(spec, loaded, rangeOptions(options, print, range));
  if (shard !== null) {
    // More shards than runs leave some empty: `runs none of 2`, not `runs 1-0`.
    const of = `runs ${outcome.start === outcome.end ? 'none' : `${outcome.start + 1}-${outcome.end}`} of ${print.runs}`;
    return { stdout: JSON.stringify(makeShardFile('check', packageVersion(), print.seed, print, shard, of, outcome)) + '\n', exitCode: 0 };
  }
  return finishCheck(options, print, outcome);
}

/** What `check` prints for the runs of a whole check (one range), saving the failure when asked. */
export async function finishCheck(options: CheckOptions, print: CheckPrint, outcome: RangeOutcome): Promise<CommandOutput> {
  const output = renderCheck(print, refuseContractBreach(combineRanges([outcome], options.runs), options));
  if (options.saveFailures === undefined || output.failureToken === null || output.exitCode !== 1) return output;
  return { ...output, stderr: savedNote(await saveFailures(options.saveFailures, [output.failureToken])) };
}

/** How `check` runs the runs [start, end) of `options`: its seed, threads, run timeout and shrink budget. */
export function rangeOptions(options: CheckOptions, print: CheckPrint, range: { readonly start: number; readonly end: number }): RangeRunOptions {
  return {
    seed: options.seed,
    ...range,
    jobs: options.jobs ?? checkJobs(options.runs),
    runTimeoutMs: print.runTimeoutS * 1000,
    ...(options.maxShrinkMs === undefined ? {} : { maxShrinkMs: options.maxShrinkMs }),
  };
}

/** The worker threads a check of `runs` uses unless told: one for a short check, else UIASIM_JOBS
 * or the machine's cores (src/cli/jobs.ts). The answer does not depend on it. */
function checkJobs(runs: number): number {
  return runs >= PARALLEL_FROM_RUNS ? defaultJobs() : 1;
}

/** `--check-determinism`: one thread, every case run twice more (src/cli/determinism-watch.ts). */
async function checkDeterminism(options: CheckOptions, loaded: LoadedSpec, print: CheckPrint): Promise<CommandOutput> {
  const { settings, strategy } = loaded;
  const watch = new DeterminismWatch(print.property, strategy);
  const startShrinkBudget = shrinkBudget(options.maxShrinkMs);
  let outcome: SearchOutcome;
  try {
    outcome = search({ ...settings, onRun: watch.onRun }, options.runs, options.seed, startShrinkBudget === undefined ? {} : { startShrinkBudget });
  } catch (error) {
    // A nondeterministic run can break shrinking itself; the divergence is the finding.
    if (watch.found === null) throw error;
    outcome = { verdict: 'holds', runs: watch.cases, coverage: new CoverageTally().stats() };
  }
  if (watch.found !== null) return watch.output(print.format, headerOf(print, outcome.runs));
  const output = renderCheck(print, refuseContractBreach(fromSearch(outcome, options.runs), options));
  if (options.saveFailures === undefined || output.failureToken === null || output.exitCode !== 1) return output;
  return { ...output, stderr: savedNote(await saveFailures(options.saveFailures, [output.failureToken])) };
}

/** A store that breaks the contract (yields a non-effect, say) is bad input, not a finding: one
 * line and exit 2. */
function refuseContractBreach(outcome: ChecksOutcome, options: CheckOptions): ChecksOutcome {
  if (outcome.verdict === 'error' && outcome.storeContract !== undefined) {
    throw new UsageError(`store file ${options.store ?? outcome.storeContract.store}: ${outcome.storeContract.detail}`);
  }
  return outcome;
}

/** A single-thread search's outcome in the printer's terms. */
function fromSearch(outcome: SearchOutcome, runs: number): ChecksOutcome {
  const coverage = new CoverageTally();
  switch (outcome.verdict) {
    case 'holds':
      return { verdict: 'holds', runs, coverage: tallyOf(outcome.coverage) };
    case 'error': {
      const error = outcome.error;
      return {
        verdict: 'error',
        runs: outcome.runs,
        case: outcome.case,
        message: messageOf(error),
        stack: stackOf(error),
        ...(isStoreContractError(error) ? { storeContract: { store: error.store, detail: error.detail } } : {}),
      };
    }
    case 'violated':
      return {
        verdict: 'violated',
        runs: outcome.failingRun,
        coverage: tallyOf(outcome.coverage),
        failure: {
          case: outcome.case,
          requests: outcome.violation.requests,
          why: outcome.violation.why,
          traceHash: outcome.result.traceHash,
          steps: stepsOf(outcome.result, outcome.violation),
          schedule: scheduleLines(outcome.case, outcome.result, outcome.violation),
          shrinks: outcome.shrinks,
          minimizeAttempts: outcome.minimizeAttempts,
          shrinkComplete: outcome.shrinkComplete,
        },
      };
    default: {
      const never: never = outcome;
      void coverage;
      throw new Error(`check: unknown verdict ${String(never)}`);
    }
  }
}

/** The determinism watch's search keeps stats, not parts: the printer only reads stats. */
function tallyOf(stats: CoverageStats): { stats(): CoverageStats } {
  return { stats: () => stats };
}

function headerOf(print: CheckPrint, runs: number): Record<string, unknown> {
  return {
    schemaVersion: SCHEMA_VERSION,
    strategy: print.strategy,
    profile: print.profile,
    ...(print.switches === undefined ? {} : { switches: print.switches }),
    faults: print.faults,
    workload: print.workload,
    property: print.property,
    runs,
    seed: print.seed,
  };
}

/** The printer of `check`, unsharded or merged: the same settings and outcome print the same bytes. */
export function renderCheck(print: CheckPrint, outcome: ChecksOutcome): CommandOutput & { readonly failureToken: string | null } {
  const { property, plugins, format } = print;
  const header = headerOf(print, outcome.runs);
  const settings = settingsLines(print.strategy, print.profile, print.faults, print.workload, print.seed, print.switches, plugins.routing?.file);
  switch (outcome.verdict) {
    case 'holds': {
      const coverage = outcome.coverage.stats();
      if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: 'holds', upperBound95PerRun: upperBound95PerRun(outcome.runs), coverage }) + '\n', exitCode: 0, failureToken: null };
      const text = [...settings, notFoundLine(property, outcome.runs, coverage.distinctInterleavings), ...(print.stats ? coverageLines(coverage) : [])];
      return { stdout: text.join('\n') + '\n', exitCode: 0, failureToken: null };
    }
    case 'error': {
      const token = replayToken(outcome.case, property, '', plugins);
      if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: 'error', error: outcome.message, token }) + '\n', exitCode: 3, failureToken: null };
      const text = `the model threw during run ${outcome.runs}: ${outcome.message}\nreplay: ${REPLAY_COMMAND} ${token}\n`;
      return { stdout: text, exitCode: 3, stderr: outcome.stack === '' ? '' : outcome.stack + '\n', failureToken: null };
    }
    case 'hung': {
      const token = outcome.case === null ? null : replayToken(outcome.case, property, '', plugins);
      const what = outcome.during === 'run' ? `run ${outcome.runs}` : `a shrink candidate of run ${outcome.runs}`;
      const message = `${what} did not return within ${print.runTimeoutS} s (--run-timeout): the model or a plug-in is stuck`;
      if (format === 'json') return { stdout: JSON.stringify({ ...header, verdict: 'hung', error: message, token }) + '\n', exitCode: 3, failureToken: null };
      const text = `${message}\n${token === null ? 'no replay token: the case was too large to record' : `replay: ${REPLAY_COMMAND} ${token}`}\n`;
      return { stdout: text, exitCode: 3, failureToken: null };
    }
    case 'violated': {
      const failure = outcome.failure;
      const coverage = outcome.coverage.stats();
      const token = replayToken(failure.case, property, failure.traceHash, plugins);
      const faults = [...failure.case.faultPlan.faults.map(describeFault), ...describeCaptcha(failure.case.captcha)];
      const clients = failure.case.workload.clients.length;
      if (format === 'json') {
        const violation = { property, requests: failure.requests, clients, faults, why: failure.why, token, traceHash: failure.traceHash, steps: failure.steps };
        return { stdout: JSON.stringify({ ...header, verdict: 'violated', violation, shrink: { complete: failure.shrinkComplete }, coverage }) + '\n', exitCode: 1, failureToken: token };
      }
      const shrunk = failure.shrinkComplete
        ? `shrunk by fast-check (${failure.shrinks} steps), then made 1-minimal (${failure.minimizeAttempts} tries).`
        : `shrink PARTIAL: stopped ${print.maxShrinkMs === null ? 'at the cap on tries' : 'by --max-shrink-ms'} after ${failure.shrinks} fast-check steps and ${failure.minimizeAttempts} tries; the case fails but may not be minimal.`;
      const text = [
        ...settings,
        `${property}: VIOLATED in run ${outcome.runs} of ${print.runs}; ${shrunk}`,
        ...(print.stats ? coverageLines(coverage) : []),
        '',
        `${failure.shrinkComplete ? 'Minimal counterexample' : 'Counterexample (partly shrunk)'}: ${failure.requests} requests, ${plural(clients, 'client')}, ${faults.length === 0 ? 'no faults' : plural(faults.length, 'fault')}.`,
        ...faults.map((f) => `  fault: ${f}`),
        ...failure.schedule,
        ...renderSteps(failure.steps, property),
        '',
        `Why: ${failure.why}`,
        '',
        `trace hash  ${failure.traceHash}`,
        `replay      ${REPLAY_COMMAND} ${token}`,
      ];
      return { stdout: text.join('\n') + '\n', exitCode: 1, failureToken: token };
    }
    default: {
      const never: never = outcome;
      throw new Error(`check: unknown verdict ${String(never)}`);
    }
  }
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
  const bound = runs >= RULE_OF_THREE_FROM_RUNS ? `3/${runs}` : `${(100 * upperBound95PerRun(runs)).toFixed(1)}%`;
  return `${property}: not found in ${runs} runs (${distinctInterleavings} distinct interleavings; 95% upper bound ${bound} per run).`;
}

/** From this many runs, the rule of three (3/runs) is below 100%. */
const RULE_OF_THREE_FROM_RUNS = 4;

/** The 95% upper bound on the per-run rate after `runs` runs that found nothing: the rule of
 * three, 3/runs (a little above the exact bound, so on the safe side), and below 4 runs, where
 * 3/runs reaches 100% or more, the exact 1 - 0.05^(1/runs). */
export function upperBound95PerRun(runs: number): number {
  return runs >= RULE_OF_THREE_FROM_RUNS ? 3 / runs : 1 - 0.05 ** (1 / runs);
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
