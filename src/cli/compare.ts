import { availableParallelism } from 'node:os';
import { expectationFor, isExpected, type Expectation } from '../../models/expectations.js';
import { STRATEGIES } from '../../models/strategies.js';
import { COMPARISON_FAULT_PROFILES, FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { alignColumns } from '../report/table.js';
import { mapInWorkers } from '../run/pool.js';
import { SCHEMA_VERSION, type CommandOutput } from './check.js';
import { computeCell, type CellSpec, type CellSummary } from './compare-cells.js';
import { choose, formatOf } from './usage.js';

export interface CompareOptions {
  strategies?: string;
  faults?: string;
  runs: number;
  seed: number;
  jobs?: number;
  format?: string;
  json?: boolean;
  failOnUnexpected?: boolean;
}

const PROPERTY = 'progress-never-lost';

interface JudgedCell extends CellSummary {
  readonly expectation: Expectation | undefined;
  readonly expected: boolean;
}

/** Every strategy x fault profile: N runs each, the first failure of a cell made 1-minimal,
 * each verdict judged against models/expectations.ts. */
export async function runCompare(options: CompareOptions): Promise<CommandOutput> {
  const format = formatOf(options, ['text', 'markdown', 'json']);
  const strategies = pickList(options.strategies, STRATEGIES, (s) => s.name, 'strategy');
  const faultProfiles = options.faults === undefined ? [...COMPARISON_FAULT_PROFILES] : pickList(options.faults, FAULT_PROFILES, (f) => f.name, 'fault profile');
  const specs: CellSpec[] = strategies.flatMap((s) => faultProfiles.map((f) => ({ strategy: s.name, faults: f.name, runs: options.runs, seed: options.seed })));
  // The os module only sizes the thread pool; results do not depend on it.
  const jobs = options.jobs ?? availableParallelism();
  const summaries = await mapInWorkers(specs, jobs, new URL('./compare-worker.js', import.meta.url), computeCell);
  const cells: JudgedCell[] = summaries.map((cell) => {
    const expectation = expectationFor(PROPERTY, cell.strategy, cell.faults);
    return { ...cell, expectation, expected: isExpected(expectation, cell.violations > 0) };
  });
  const unexpected = cells.filter((c) => !c.expected);
  const exitCode = options.failOnUnexpected === true && unexpected.length > 0 ? 1 : 0;

  if (format === 'json') {
    const json = {
      schemaVersion: SCHEMA_VERSION,
      property: PROPERTY,
      runs: options.runs,
      seed: options.seed,
      strategies: strategies.map((s) => s.name),
      faultProfiles: faultProfiles.map((f) => f.name),
      unexpected: unexpected.length,
      cells: cells.map((c) => ({
        strategy: c.strategy,
        faults: c.faults,
        verdict: c.violations === 0 ? 'not-found' : 'violated',
        expected: c.expected,
        expectation: c.expectation ?? null,
        runs: c.runs,
        violations: c.violations,
        firstFailingRun: c.firstFailingRun,
        requests: c.requests,
        why: c.why,
        token: c.token,
      })),
    };
    return { stdout: JSON.stringify(json) + '\n', exitCode };
  }

  const markdown = format === 'markdown';
  const failures: string[] = [];
  const header = ['strategy', ...faultProfiles.map((f) => f.name)];
  const rows = strategies.map((strategy) => [
    strategy.name,
    ...faultProfiles.map((faultProfile) => {
      const cell = cells.find((c) => c.strategy === strategy.name && c.faults === faultProfile.name) as JudgedCell;
      const mark = cell.expected ? '' : ' (!)';
      if (cell.violations === 0) return `ok${mark}`;
      failures.push(
        `[${failures.length + 1}] ${cell.strategy} under ${cell.faults}: ${cell.violations}/${cell.runs} runs lose progress (first in run ${cell.firstFailingRun}); ` +
          `minimal counterexample: ${cell.requests} requests${cell.expected ? '' : ' -- UNEXPECTED'}\n    ${cell.why}\n    npm run uiasim -- replay ${cell.token}`,
      );
      return `LOST ${percent(cell.violations, cell.runs)} [${failures.length}]${mark}`;
    }),
  ]);
  const surprises = unexpected.map((c) => `(!) ${c.strategy} under ${c.faults}: expected ${c.expectation?.verdict ?? 'no expectation'}, ${c.violations === 0 ? `not found in ${c.runs} runs` : 'violated'}${c.expectation ? ` (${c.expectation.reason})` : ''}`);
  const table = markdown
    ? [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)]
    : alignColumns([header, ...rows]);
  const text = [
    `${PROPERTY}, ${options.runs} runs per cell, seed ${options.seed}. "ok": not found in ${options.runs} runs; "LOST n%": the share of runs that lost a stage; (!): not the verdict models/expectations.ts expects.`,
    '',
    ...table,
    '',
    surprises.length === 0 ? `Every cell is as expected (${cells.length} cells).` : `${surprises.length} of ${cells.length} cells are not as expected:`,
    ...surprises,
    '',
    ...failures,
  ];
  return { stdout: text.join('\n') + '\n', exitCode };
}

function percent(n: number, of: number): string {
  return `${Math.round((100 * n) / of)}%`;
}

function pickList<T>(names: string | undefined, all: readonly T[], nameOf: (t: T) => string, kind: string): T[] {
  if (names === undefined || names === '') return [...all];
  return names.split(',').map((name) => choose(kind, name.trim(), all, nameOf));
}
