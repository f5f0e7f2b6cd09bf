import { availableParallelism } from 'node:os';
import { Presets, SingleBar } from 'cli-progress';
import { expectationFor, isExpected, type Expectation } from '../../models/expectations.js';
import { STRATEGIES } from '../../models/strategies.js';
import { COMPARISON_FAULT_PROFILES, FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { renderHtml, type HtmlCell } from '../report/html.js';
import { alignColumns } from '../report/table.js';
import { mapInWorkers } from '../run/pool.js';
import { SCHEMA_VERSION, type CommandOutput } from './check.js';
import { COSTS_RUNS, computeCell, loadPluginRow, type CellSpec, type CellSummary, type CostsSummary, type PluginPaths } from './compare-cells.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { htmlAssets } from './html-assets.js';
import { saveFailures, savedNote } from './save-failures.js';
import { choose, formatOf } from './usage.js';
import { compareEveryProperty } from './compare-all.js';
import { PROPERTY_LABELS, propertyOption } from './property-labels.js';
import { ALL_PROPERTIES } from '../../properties/violation.js';
import { DEFAULT_WORKLOAD, WORKLOAD_NAMES } from '../../models/clients/workload.js';
import { describeSwitches, switchesOf } from './switches.js';

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
  /** --set NAME=VALUE: switches every cell's runs carry (the expectations are for none). */
  set?: string[];
}


interface JudgedCell extends CellSummary {
  readonly expectation: Expectation | undefined;
  readonly expected: boolean;
}

/** Every strategy x fault profile: N runs each, the first failure of a cell made 1-minimal,
 * each verdict judged against models/expectations.ts. */
export async function runCompare(options: CompareOptions): Promise<CommandOutput> {
  if (propertyOption(options.property) === ALL_PROPERTIES) return compareEveryProperty(options, runCompare);
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
  const switches = switchesOf(options.set);
  const set = switches === undefined ? {} : { switches };
  const specs: CellSpec[] = [
    ...strategies.flatMap((s) => faultProfiles.map((f) => ({ kind: 'verdict' as const, strategy: s.name, faults: f.name, runs: options.runs, seed: options.seed, property: PROPERTY, workload, plugins, ...set }))),
    ...strategies.map((s) => ({ kind: 'costs' as const, strategy: s.name, runs: costsRuns, seed: options.seed, plugins, ...set })),
  ];
  // The os module only sizes the thread pool; results do not depend on it.
  const jobs = options.jobs ?? availableParallelism();
  const progress = progressBar(specs.length);
  const results = await mapInWorkers(specs, jobs, new URL('./compare-worker.js', import.meta.url), (spec) => computeCell(spec, row), () => progress?.increment());
  progress?.stop();
  const summaries = results.filter((r): r is CellSummary => r.kind === 'verdict');
  const costs = results.filter((r): r is CostsSummary => r.kind === 'costs');
  const cells: JudgedCell[] = summaries.map((cell) => {
    // The expectations are for the profiles as they are: switched runs have none.
    const expectation = switches === undefined ? expectationFor(PROPERTY, cell.strategy, cell.faults) : undefined;
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
      ...set,
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
    `${PROPERTY}, workload ${workload}${switches === undefined ? '' : `, set ${describeSwitches(switches)} (no expectations)`}, ${options.runs} runs per cell, seed ${options.seed}. "ok": not found in ${options.runs} runs; "${PROPERTY_LABELS[PROPERTY].cell} n%": ${PROPERTY_LABELS[PROPERTY].share}; (!): not the verdict models/expectations.ts expects.`,
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
