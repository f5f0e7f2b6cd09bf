import { describeSwitches } from './switches.js';
import type { Switches } from '../../models/synapse/profile-set.js';
import { EXPECTATIONS, EXPECTATIONS_WORKLOAD, expectationFor, isExpected, type Expectation } from '../../models/expectations.js';
import type { PropertyName } from '../../properties/violation.js';
import type { HtmlCell } from '../report/html.js';
import { alignColumns } from '../report/table.js';
import { SCHEMA_VERSION } from './check.js';
import { REPLAY_COMMAND } from './output.js';
import type { CellSummary, CostsSummary } from './compare-cells.js';
import { percentText, wilsonInterval, type RateInterval } from './compare-stats.js';
import { PROPERTY_LABELS } from './property-labels.js';

/** Everything the printer needs besides the outcomes: plain data. */
export interface CompareSettings {
  readonly property: PropertyName;
  readonly workload: string;
  /** N: the runs every cell's rate is over. */
  readonly runs: number;
  readonly seed: number;
  /** How many runs in all a cell expected to be violated may draw to find its first violation. */
  readonly searchCapRuns: number;
  readonly strategies: readonly string[];
  readonly faultProfiles: readonly string[];
  /** The plug-in row's name, which has no expectations, or null. */
  readonly pluginRow: string | null;
  /** The runs the costs sample starts with (it grows until every denominator is 100). */
  readonly costsRuns: number;
  /** `--set` switches every run carries: the expectations are for the profiles as they are, so
   * a switched matrix has none. */
  readonly switches?: Switches;
}

/** How a cell compares with models/expectations.ts. */
export type CellJudgement = 'expected' | 'unexpected' | 'no-expectation' | 'error';

export interface JudgedCell extends CellSummary {
  readonly expectation: Expectation | undefined;
  readonly judgement: CellJudgement;
  /** Found violated: in the first N runs or, for a cell expected violated, past them. */
  readonly violated: boolean;
  /** The loss rate over the first N runs with its 95% interval. */
  readonly rate: RateInterval;
}

export function judgeCells(settings: CompareSettings, summaries: readonly CellSummary[]): JudgedCell[] {
  return summaries.map((cell) => {
    const expectation = settings.switches === undefined ? expectationFor(settings.property, cell.strategy, cell.faults, settings.workload) : undefined;
    const violated = cell.firstFailingRun !== null || cell.witness === 'violated';
    const judgement: CellJudgement = cell.error !== null ? 'error' : expectation === undefined ? 'no-expectation' : isExpected(expectation, violated) ? 'expected' : 'unexpected';
    return { ...cell, expectation, judgement, violated, rate: wilsonInterval(cell.violations, cell.runs) };
  });
}

interface Counts {
  readonly cells: number;
  readonly expected: number;
  readonly unexpected: number;
  readonly errors: number;
  readonly withoutExpectation: number;
}

function countJudgements(cells: readonly JudgedCell[]): Counts {
  const n = (j: CellJudgement): number => cells.filter((c) => c.judgement === j).length;
  return { cells: cells.length, expected: n('expected'), unexpected: n('unexpected'), errors: n('error'), withoutExpectation: n('no-expectation') };
}

/** docs/architecture.md: exit 3 when the model or a plug-in threw during a run (the rest still completes);
 * 1 with --fail-on-unexpected and a cell not as expected; else 0. */
function exitCodeOf(counts: Counts, failOnUnexpected: boolean): number {
  return counts.errors > 0 ? 3 : failOnUnexpected && counts.unexpected > 0 ? 1 : 0;
}

function verdictOf(cell: JudgedCell): HtmlCell['verdict'] {
  return cell.error !== null ? 'error' : cell.violated ? 'violated' : 'not-found';
}

/** `compare --format json` (and the data of the HTML page). */
export function compareJson(settings: CompareSettings, cells: readonly JudgedCell[], costs: readonly CostsSummary[], failOnUnexpected: boolean) {
  const counts = countJudgements(cells);
  const report = {
    schemaVersion: SCHEMA_VERSION,
    property: settings.property,
    workload: settings.workload,
    runs: settings.runs,
    seed: settings.seed,
    searchCapRuns: settings.searchCapRuns,
    ...(settings.switches === undefined ? {} : { switches: settings.switches }),
    strategies: settings.strategies,
    faultProfiles: settings.faultProfiles,
    unexpected: counts.unexpected,
    errors: counts.errors,
    withoutExpectation: counts.withoutExpectation,
    cells: cells.map((c) => ({
      strategy: c.strategy,
      faults: c.faults,
      verdict: verdictOf(c),
      error: c.error,
      expected: c.judgement === 'expected' || c.judgement === 'no-expectation',
      judgement: c.judgement,
      expectation: c.expectation ?? null,
      runs: c.runs,
      violations: c.violations,
      lossRate: c.rate,
      runsDrawn: c.runsDrawn,
      firstFailingRun: c.firstFailingRun,
      witness: c.witness ?? null,
      requests: c.requests,
      why: c.why,
      token: c.token,
    })),
    costs: costs.map((c) => ({
      strategy: c.strategy,
      runs: c.runs,
      requests: c.requests,
      operations: c.operations,
      answered: c.answered,
      hopsPerRequest: c.hopsPerRequest,
      storeRoundTripsPerOperation: c.storeRoundTripsPerOperation,
      hashingOnMainShare: c.hashingOnMainShare,
      latencyP50Ms: c.latencyP50Ms,
      latencyP99Ms: c.latencyP99Ms,
    })),
  };
  return { report, exitCode: exitCodeOf(counts, failOnUnexpected) };
}

export interface PrintedText {
  readonly stdout: string;
  readonly exitCode: number;
  /** Every failure's reason, counterexample size and replay token, for the failures file; null
   * when no cell failed. */
  readonly failuresText: string | null;
}

/** The legend's "(?)" entry, when a cell has no expectation: why, each reason once, in a fixed
 * order (models/expectations.ts has rows for the built-in strategies under the comparison's
 * fault profiles, and judges none of them once `--set` changes the model). */
function withoutExpectationLegend(settings: CompareSettings, cells: readonly JudgedCell[]): string {
  const without = cells.filter((c) => c.judgement === 'no-expectation');
  if (without.length === 0) return '';
  if (settings.switches !== undefined) return '; (?): no expectation (--set changes the model)';
  if (settings.workload !== EXPECTATIONS_WORKLOAD) return `; (?): no expectation (they are written for the ${EXPECTATIONS_WORKLOAD} workload)`;
  const rowless = without.map((c) => EXPECTATIONS[settings.property]?.[c.strategy] === undefined);
  const reasons = [rowless.includes(true) ? 'a plug-in row' : null, rowless.includes(false) ? 'a fault profile outside the comparison' : null].filter((r) => r !== null);
  return `; (?): no expectation (${reasons.join('; ')})`;
}

/** The text (or markdown) report: a pure function of the settings and every outcome. The first
 * screen holds the legend, the matrix, the closing count, the costs and one short entry per
 * failure; the reasons and tokens go to `failuresFile`. */
export function printCompareText(
  settings: CompareSettings,
  cells: readonly JudgedCell[],
  costs: readonly CostsSummary[],
  options: { readonly markdown: boolean; readonly failOnUnexpected: boolean; readonly failuresFile: string },
): PrintedText {
  const labels = PROPERTY_LABELS[settings.property];
  const counts = countJudgements(cells);
  const failures: JudgedCell[] = [];
  const header = ['strategy', ...settings.faultProfiles];
  const rows = settings.strategies.map((strategy) => [
    strategy,
    ...settings.faultProfiles.map((faults) => {
      const cell = cells.find((c) => c.strategy === strategy && c.faults === faults);
      if (cell === undefined) throw new Error(`compare: no outcome for ${strategy} x ${faults}`);
      const mark = cell.judgement === 'unexpected' ? ' (!)' : cell.judgement === 'no-expectation' ? ' (?)' : '';
      if (cell.error === null && !cell.violated) return `ok${mark}`;
      failures.push(cell);
      if (cell.error !== null) return `ERROR [${failures.length}]${mark}`;
      return `${labels.cell} ${cell.witness === 'violated' ? 'rare' : cell.violations === 0 ? '0%' : percentText(cell.rate.rate)} [${failures.length}]${mark}`;
    }),
  ]);
  const table = options.markdown ? markdownTable(header, rows) : alignColumns([header, ...rows]);
  const bound = (100 * wilsonInterval(0, settings.runs).high95).toFixed(2);
  const legend =
    `${settings.property}, workload ${settings.workload}${settings.switches === undefined ? (settings.workload === EXPECTATIONS_WORKLOAD ? '' : ' (no expectations)') : `, set ${describeSwitches(settings.switches)} (no expectations)`}, ${settings.runs} runs per cell, seed ${settings.seed}; every row on one Synapse version runs the same cases. ` +
    `"ok": not found in ${settings.runs} runs (95% upper bound ${bound}% per run); "${labels.cell} n%": ${labels.share} in the first ${settings.runs}; ` +
    `"${labels.cell} 0%": found only past them (a cell expected violated searches up to ${settings.searchCapRuns} runs); ` +
    (cells.some((c) => c.witness !== undefined) ? `"${labels.cell} rare": not found in that search, but the counterexample its expectation records still violates; ` : '') +
    `[n]: failure n; (!): not as models/expectations.ts expects${withoutExpectationLegend(settings, cells)}.`;
  const surprises = cells
    .filter((c) => c.judgement === 'unexpected')
    .map(
      (c) =>
        `(!) ${c.strategy} under ${c.faults}: expected ${c.expectation?.verdict ?? 'no expectation'}, ${c.violated ? `violated (${c.violations}/${c.runs} runs)` : `not found in ${c.runsDrawn} runs${c.witness === 'holds' ? ", and the witness it records no longer violates" : ''}`}${c.expectation ? ` (${c.expectation.reason})` : ''}`,
    );
  const costsHeader = ['strategy', 'runs', 'requests', 'hops/request', 'operations', 'store round trips/operation', 'hashing on main', 'answered', 'p50 ms', 'p99 ms'];
  const costsRows = costs.map((c) => [
    c.strategy,
    String(c.runs),
    String(c.requests),
    fixed(c.hopsPerRequest),
    String(c.operations),
    fixed(c.storeRoundTripsPerOperation),
    c.hashingOnMainShare === null ? 'n/a' : `${Math.round(c.hashingOnMainShare * 100)}%`,
    String(c.answered),
    fixed(c.latencyP50Ms),
    fixed(c.latencyP99Ms),
  ]);
  const costsTable = options.markdown ? markdownTable(costsHeader, costsRows) : alignColumns([costsHeader, ...costsRows]);
  const entries = failures.map((c, i) => `[${i + 1}] ${c.error !== null ? 'ERROR' : `${c.requests ?? '?'} req, ${c.witness === 'violated' ? 'witness' : `run ${c.firstFailingRun ?? '?'}`}`}`);
  const text = [
    legend,
    '',
    ...table,
    '',
    closingLine(counts),
    ...surprises,
    '',
    `costs over the steady column's registration cases, runs added until every denominator (requests, operations, answered) is 100 or more (docs/compare.md "Costs"):`,
    '',
    ...costsTable,
    ...(failures.length === 0
      ? []
      : ['', `failures: [n] Q req, run R: a minimal counterexample of Q requests, first violating run R; reasons and replay tokens: ${options.failuresFile}`, ...packed(entries)]),
  ];
  const failuresText =
    failures.length === 0
      ? null
      : failures
          .map((c, i) =>
            c.error !== null
              ? `[${i + 1}] ${c.strategy} under ${c.faults}: ${c.error}\n    ${REPLAY_COMMAND} ${c.token}`
              : c.witness === 'violated'
                ? `[${i + 1}] ${c.strategy} under ${c.faults}: not found in ${c.runsDrawn} runs drawn; the witness models/expectations records still violates: ` +
                  `${c.requests} requests\n    ${c.why}\n    ${REPLAY_COMMAND} ${c.token}`
                : `[${i + 1}] ${c.strategy} under ${c.faults}: ${c.violations}/${c.runs} runs ${labels.failure} (first in run ${c.firstFailingRun} of ${c.runsDrawn} drawn); ` +
                `minimal counterexample: ${c.requests} requests${c.judgement === 'unexpected' ? ' -- UNEXPECTED' : ''}\n    ${c.why}\n    ${REPLAY_COMMAND} ${c.token}`,
          )
          .join('\n') + '\n';
  return { stdout: text.join('\n') + '\n', exitCode: exitCodeOf(counts, options.failOnUnexpected), failuresText };
}

/** The closing line: how many cells are as expected, not, errored, or have no expectation. */
function closingLine(counts: Counts): string {
  const cells = `${counts.cells} ${counts.cells === 1 ? 'cell' : 'cells'}`;
  const head = counts.unexpected === 0 && counts.errors === 0 && counts.withoutExpectation === 0 ? `Every cell is as expected (${cells}).` : `${counts.expected} of ${cells} as expected.`;
  return `${head} ${counts.unexpected} not as expected, ${counts.errors} ERROR, ${counts.withoutExpectation} without expectation.`;
}

/** Short entries side by side, as many as fit in 100 characters. */
function packed(entries: readonly string[]): string[] {
  if (entries.length === 0) return [];
  const width = Math.max(...entries.map((e) => e.length)) + 2;
  const perLine = Math.max(1, Math.floor(100 / width));
  const lines: string[] = [];
  for (let i = 0; i < entries.length; i += perLine) lines.push(entries.slice(i, i + perLine).map((e) => e.padEnd(width)).join('').trimEnd());
  return lines;
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** Two decimals, or n/a when there was nothing to divide by. */
function fixed(n: number | null): string {
  return n === null ? 'n/a' : n.toFixed(2);
}
