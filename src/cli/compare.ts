import { availableParallelism } from 'node:os';
import { Presets, SingleBar } from 'cli-progress';
import { expectationFor, isExpected, type Expectation } from '../../models/expectations.js';
import { STRATEGIES } from '../../models/strategies.js';
import { COMPARISON_FAULT_PROFILES, FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { renderHtml, type HtmlCell } from '../report/html.js';
import { alignColumns } from '../report/table.js';
import { makeShardFile, parseShard, shardItems } from '../run/shard.js';
import { DEFAULT_RUN_TIMEOUT_S, SCHEMA_VERSION, type CommandOutput } from './check.js';
import { computeCells } from './compare-run.js';
import type { CompareShardResult } from './compare-shard.js';
import { packageVersion } from './package-version.js';
import type { Plugins } from './plugins.js';
import { COSTS_RUNS, loadPluginRow, type CellSpec, type CellSummary, type CostsSummary, type PluginPaths } from './compare-cells.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { htmlAssets } from './html-assets.js';
import { saveFailures, savedNote } from './save-failures.js';
import { choose, formatOf, UsageError, type OutputFormat } from './usage.js';
import { compareEveryProperty } from './compare-all.js';
import { PROPERTY_LABELS, propertyOption } from './property-labels.js';
import { ALL_PROPERTIES } from '../../properties/violation.js';
import { DEFAULT_WORKLOAD, WORKLOAD_NAMES } from '../../models/clients/workload.js';

export interface CompareOptions {
  strategies?: string;
  faults?: string;
  runs: number;
  seed: number;
  jobs?: number;
  format?: string;
  json?: boolean;
  failOnUnexpected?: boolean;
  store?: string;
  routing?: string;
  property?: string;
  /** --save-failures DIR: every cell's minimal counterexample as a failure file. */
  saveFailures?: string;
  workload?: string;
  /** --run-timeout S: a run taking longer makes its cell ERROR (hung), and the comparison goes on. */
  runTimeout?: number;
  /** --shard k/n: compute only every n-th cell from the k-th and print a shard file for `merge`. */
  shard?: string;
}


interface JudgedCell extends CellSummary {
  readonly expectation: Expectation | undefined;
  readonly expected: boolean;
}

/** Every strategy x fault profile: N runs each, the first failure of a cell made 1-minimal,
 * each verdict judged against models/expectations.ts. */
export async function runCompare(options: CompareOptions): Promise<CommandOutput> {
  if (propertyOption(options.property) === ALL_PROPERTIES) {
    if (options.shard !== undefined) throw new UsageError(`--shard needs one property: shard each --property separately (${PROPERTY_NAMES.join(', ')})`);
    return compareEveryProperty(options, runCompare);
  }
  const format = formatOf(options, ['text', 'markdown', 'json', 'html']);
  const PROPERTY = choose<PropertyName>('property', options.property ?? 'progress-never-lost', PROPERTY_NAMES, (p) => p);
  const workload = choose('workload', options.workload ?? DEFAULT_WORKLOAD, WORKLOAD_NAMES, (w) => w);
  const plugins: PluginPaths = { ...(options.store === undefined ? {} : { store: options.store }), ...(options.routing === undefined ? {} : { routing: options.routing }) };
  // Loaded here first, so a bad plug-in is one line and exit 2 before any work starts.
  const row = await loadPluginRow(plugins);
  const builtIn = pickList(options.strategies, STRATEGIES, (s) => s.name, 'strategy');
  const strategies = row === undefined ? builtIn : [...builtIn, row.strategy];
  const faultProfiles = options.faults === undefined ? [...COMPARISON_FAULT_PROFILES] : pickList(options.faults, FAULT_PROFILES, (f) => f.name, 'fault profile');
  // Costs are per strategy, on the first runs of its steady cell, whichever columns are asked for.
  const costsRuns = Math.min(options.runs, COSTS_RUNS);
  const specs: CellSpec[] = [
    ...strategies.flatMap((s) => faultProfiles.map((f) => ({ kind: 'verdict' as const, strategy: s.name, faults: f.name, runs: options.runs, seed: options.seed, property: PROPERTY, workload, plugins }))),
    ...strategies.map((s) => ({ kind: 'costs' as const, strategy: s.name, runs: costsRuns, seed: options.seed, plugins })),
  ];
  const context: CompareContext = {
    property: PROPERTY,
    workload,
    runs: options.runs,
    seed: options.seed,
    strategies: strategies.map((s) => s.name),
    faultProfiles: faultProfiles.map((f) => f.name),
    costsRuns,
    format,
    failOnUnexpected: options.failOnUnexpected === true,
    runTimeoutS: options.runTimeout ?? DEFAULT_RUN_TIMEOUT_S,
    plugins: row?.plugins ?? {},
  };
  const shard = options.shard === undefined ? null : parseShard(options.shard);
  if (shard !== null && options.saveFailures !== undefined) throw new UsageError('--shard and --save-failures do not go together: save the failures of the merged report by replaying its tokens');
  const indices = shard === null ? specs.map((_, i) => i) : shardItems(shard, specs.length);
  // The os module only sizes the thread pool; results do not depend on it.
  const jobs = options.jobs ?? availableParallelism();
  const progress = progressBar(indices.length);
  const computed = await computeCells(
    indices.map((i) => specs[i] as CellSpec),
    { jobs, runTimeoutS: context.runTimeoutS, row, plugins, property: PROPERTY },
    () => progress?.increment(),
  );
  progress?.stop();
  if (shard !== null) {
    const result: CompareShardResult = { total: specs.length, items: indices.map((index, i) => ({ index, result: computed[i] as CellSummary | CostsSummary })) };
    const of = `items ${indices.map((i) => i + 1).join(',')} of ${specs.length} (cells, then costs per strategy)`;
    return { stdout: JSON.stringify(makeShardFile('compare', packageVersion(), options.seed, context, shard, of, result)) + '\n', exitCode: 0 };
  }
  return renderCompare(context, computed, options.saveFailures);
}

/** Everything the comparison's printed report depends on besides its cells: what a shard file
 * carries and `merge` prints with. */
export interface CompareContext {
  readonly property: PropertyName;
  readonly workload: string;
  readonly runs: number;
  readonly seed: number;
  readonly strategies: readonly string[];
  readonly faultProfiles: readonly string[];
  readonly costsRuns: number;
  readonly format: OutputFormat;
  readonly failOnUnexpected: boolean;
  readonly runTimeoutS: number;
  /** The plug-in row's files and content hashes (its tokens name them). */
  readonly plugins: Plugins;
}

/** The printer of `compare`, unsharded or merged: the same context and cells print the same bytes. */
export async function renderCompare(context: CompareContext, results: readonly (CellSummary | CostsSummary)[], saveFailuresDir?: string): Promise<CommandOutput> {
  const PROPERTY = context.property;
  const { workload, format } = context;
  const options = { runs: context.runs, seed: context.seed, failOnUnexpected: context.failOnUnexpected, saveFailures: saveFailuresDir };
  const strategies = context.strategies.map((name) => ({ name }));
  const faultProfiles = context.faultProfiles.map((name) => ({ name }));
  const costsRuns = context.costsRuns;
  const summaries = results.filter((r): r is CellSummary => r.kind === 'verdict');
  const costs = results.filter((r): r is CostsSummary => r.kind === 'costs');
  const cells: JudgedCell[] = summaries.map((cell) => {
    const expectation = expectationFor(PROPERTY, cell.strategy, cell.faults);
    // A plug-in row has no expectations; a run that threw is never expected of a built-in one.
    const expected = cell.error !== null ? expectation === undefined : expectation === undefined || isExpected(expectation, cell.violations > 0);
    return { ...cell, expectation, expected };
  });
  const unexpected = cells.filter((c) => !c.expected);
  // DESIGN.md: exit 3 when the model or a plug-in threw during a run (the rest still completes).
  const exitCode = cells.some((c) => c.error !== null) ? 3 : options.failOnUnexpected === true && unexpected.length > 0 ? 1 : 0;
  const failing = cells.filter((c) => c.error === null && c.token !== null).map((c) => c.token as string);
  const stderr = options.saveFailures === undefined ? '' : savedNote(await saveFailures(options.saveFailures, failing));

  if (format === 'json' || format === 'html') {
    const json = {
      schemaVersion: SCHEMA_VERSION,
      property: PROPERTY,
      workload,
      runs: options.runs,
      seed: options.seed,
      strategies: strategies.map((s) => s.name),
      faultProfiles: faultProfiles.map((f) => f.name),
      unexpected: unexpected.length,
      cells: cells.map((c) => ({
        strategy: c.strategy,
        faults: c.faults,
        verdict: (c.error !== null ? 'error' : c.violations === 0 ? 'not-found' : 'violated') as HtmlCell['verdict'],
        error: c.error,
        expected: c.expected,
        expectation: c.expectation ?? null,
        runs: c.runs,
        violations: c.violations,
        firstFailingRun: c.firstFailingRun,
        requests: c.requests,
        why: c.why,
        token: c.token,
      })),
      costs: costs.map((c) => ({
        strategy: c.strategy,
        runs: c.runs,
        hopsPerRequest: c.hopsPerRequest,
        storeRoundTripsPerOperation: c.storeRoundTripsPerOperation,
        hashingOnMainShare: c.hashingOnMainShare,
        latencyP50Ms: c.latencyP50Ms,
        latencyP99Ms: c.latencyP99Ms,
      })),
    };
    return { stdout: format === 'html' ? renderHtml(json, await htmlAssets(cells, JSON.stringify(json))) : JSON.stringify(json) + '\n', exitCode, stderr };
  }

  const markdown = format === 'markdown';
  const failures: string[] = [];
  const header = ['strategy', ...faultProfiles.map((f) => f.name)];
  const rows = strategies.map((strategy) => [
    strategy.name,
    ...faultProfiles.map((faultProfile) => {
      const cell = cells.find((c) => c.strategy === strategy.name && c.faults === faultProfile.name) as JudgedCell;
      const mark = cell.expected ? '' : ' (!)';
      if (cell.error !== null) {
        failures.push(`[${failures.length + 1}] ${cell.strategy} under ${cell.faults}: ${cell.error}\n    npm run uiasim -- replay ${cell.token}`);
        return `ERROR [${failures.length}]${mark}`;
      }
      if (cell.violations === 0) return `ok${mark}`;
      failures.push(
        `[${failures.length + 1}] ${cell.strategy} under ${cell.faults}: ${cell.violations}/${cell.runs} runs ${PROPERTY_LABELS[PROPERTY].failure} (first in run ${cell.firstFailingRun}); ` +
          `minimal counterexample: ${cell.requests} requests${cell.expected ? '' : ' -- UNEXPECTED'}\n    ${cell.why}\n    npm run uiasim -- replay ${cell.token}`,
      );
      return `${PROPERTY_LABELS[PROPERTY].cell} ${percent(cell.violations, cell.runs)} [${failures.length}]${mark}`;
    }),
  ]);
  const surprises = unexpected.map(
    (c) =>
      `(!) ${c.strategy} under ${c.faults}: expected ${c.expectation?.verdict ?? 'no expectation'}, ${c.error !== null ? 'a run threw' : c.violations === 0 ? `not found in ${c.runs} runs` : 'violated'}${c.expectation ? ` (${c.expectation.reason})` : ''}`,
  );
  const table = markdown
    ? [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)]
    : alignColumns([header, ...rows]);
  const costsHeader = ['strategy', 'hops/request', 'store round trips/operation', 'hashing on main', 'p50 ms', 'p99 ms'];
  const costsRows = costs.map((c) => [c.strategy, fixed(c.hopsPerRequest), fixed(c.storeRoundTripsPerOperation), c.hashingOnMainShare === null ? 'n/a' : `${Math.round(c.hashingOnMainShare * 100)}%`, fixed(c.latencyP50Ms), fixed(c.latencyP99Ms)]);
  const costsTable = markdown
    ? [`| ${costsHeader.join(' | ')} |`, `|${costsHeader.map(() => '---').join('|')}|`, ...costsRows.map((r) => `| ${r.join(' | ')} |`)]
    : alignColumns([costsHeader, ...costsRows]);
  const text = [
    `${PROPERTY}, workload ${workload}, ${options.runs} runs per cell, seed ${options.seed}. "ok": not found in ${options.runs} runs; "${PROPERTY_LABELS[PROPERTY].cell} n%": ${PROPERTY_LABELS[PROPERTY].share}; (!): not the verdict models/expectations.ts expects.`,
    '',
    ...table,
    '',
    surprises.length === 0 ? `Every cell is as expected (${cells.length} cells).` : `${surprises.length} of ${cells.length} cells are not as expected:`,
    ...surprises,
    '',
    `costs (steady, ${costsRuns} runs): network deliveries (requests, responses, commands, results, notifies; not timers) per client request; ` +
      'backend commands per completed registration; hashing on main: the share of the CPU time spent hashing and checking passwords (bcrypt, 250 ms each) that main spent; ' +
      'virtual latency of each answered request (sent to received, so user pauses are excluded), nearest-rank percentiles.',
    '',
    ...costsTable,
    '',
    ...failures,
  ];
  return { stdout: text.join('\n') + '\n', exitCode, stderr };
}

/** Two decimals, or n/a when there was nothing to divide by. */
function fixed(n: number | null): string {
  return n === null ? 'n/a' : n.toFixed(2);
}

/** Progress on stderr, only on a terminal: stdout stays the reproducible report. */
function progressBar(total: number): SingleBar | null {
  if (process.stderr.isTTY !== true) return null;
  const bar = new SingleBar({ stream: process.stderr, format: 'compare [{bar}] {value}/{total} cells and costs, {duration}s', hideCursor: true }, Presets.shades_classic);
  bar.start(total, 0);
  return bar;
}

function percent(n: number, of: number): string {
  const share = (100 * n) / of;
  return n > 0 && share < 1 ? '<1%' : `${Math.round(share)}%`;
}

function pickList<T>(names: string | undefined, all: readonly T[], nameOf: (t: T) => string, kind: string): T[] {
  if (names === undefined || names === '') return [...all];
  return names.split(',').map((name) => choose(kind, name.trim(), all, nameOf));
}
