import { STRATEGIES } from '../../models/strategies.js';
import { COMPARISON_FAULT_PROFILES, FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { runCell, type CellOutcome } from '../../properties/cell.js';
import { alignColumns } from '../report/table.js';
import { SCHEMA_VERSION, tokenFor, type CommandOutput } from './check.js';
import { choose, formatOf } from './usage.js';

export interface CompareOptions {
  strategies?: string;
  faults?: string;
  runs: number;
  seed: number;
  format?: string;
  json?: boolean;
}

interface Cell {
  readonly strategy: string;
  readonly faults: string;
  readonly outcome: CellOutcome;
  readonly token: string | null;
}

/** Every strategy x fault profile: N runs each, the first failure of a cell made 1-minimal. */
export function runCompare(options: CompareOptions): CommandOutput {
  const format = formatOf(options);
  const strategies = pickList(options.strategies, STRATEGIES, (s) => s.name, 'strategy');
  const faultProfiles = options.faults === undefined ? [...COMPARISON_FAULT_PROFILES] : pickList(options.faults, FAULT_PROFILES, (f) => f.name, 'fault profile');
  const cells: Cell[] = [];
  for (const strategy of strategies) {
    for (const faultProfile of faultProfiles) {
      const settings = { strategy: strategy.name, profile: strategy.profile, faultProfile, workload: 'registration', property: 'progress-never-lost' as const };
      const outcome = runCell(settings, options.runs, options.seed);
      const token = outcome.minimal === null ? null : tokenFor(outcome.minimal.case, 'progress-never-lost', outcome.minimal.result.traceHash);
      cells.push({ strategy: strategy.name, faults: faultProfile.name, outcome, token });
    }
  }
  if (format === 'json') {
    const json = {
      schemaVersion: SCHEMA_VERSION,
      property: 'progress-never-lost',
      runs: options.runs,
      seed: options.seed,
      strategies: strategies.map((s) => s.name),
      faultProfiles: faultProfiles.map((f) => f.name),
      cells: cells.map((c) => ({
        strategy: c.strategy,
        faults: c.faults,
        verdict: c.outcome.violations === 0 ? 'not-found' : 'violated',
        runs: c.outcome.runs,
        violations: c.outcome.violations,
        firstFailingRun: c.outcome.firstFailingRun,
        requests: c.outcome.minimal?.violation.requests ?? null,
        why: c.outcome.minimal?.violation.why ?? null,
        token: c.token,
      })),
    };
    return { stdout: JSON.stringify(json) + '\n', exitCode: 0 };
  }
  const failures: string[] = [];
  const header = ['strategy', ...faultProfiles.map((f) => f.name)];
  const rows = strategies.map((strategy) => [
    strategy.name,
    ...faultProfiles.map((faultProfile) => {
      const cell = cells.find((c) => c.strategy === strategy.name && c.faults === faultProfile.name) as Cell;
      if (cell.outcome.minimal === null) return 'ok';
      failures.push(
        `[${failures.length + 1}] ${cell.strategy} under ${cell.faults}: ${cell.outcome.violations}/${cell.outcome.runs} runs lose progress; ` +
          `minimal counterexample ${cell.outcome.minimal.violation.requests} requests\n    ${cell.outcome.minimal.violation.why}\n    npm run uiasim -- replay ${cell.token}`,
      );
      return `LOST ${percent(cell.outcome.violations, cell.outcome.runs)} [${failures.length}]`;
    }),
  ]);
  const text = [
    `progress-never-lost, ${options.runs} runs per cell, seed ${options.seed} ("ok": not found in ${options.runs} runs; "LOST": share of runs that lost a stage)`,
    '',
    ...alignColumns([header, ...rows]),
    '',
    ...failures,
  ];
  return { stdout: text.join('\n') + '\n', exitCode: 0 };
}

function percent(n: number, of: number): string {
  return `${Math.round((100 * n) / of)}%`;
}

function pickList<T>(names: string | undefined, all: readonly T[], nameOf: (t: T) => string, kind: string): T[] {
  if (names === undefined || names === '') return [...all];
  return names.split(',').map((name) => choose(kind, name.trim(), all, nameOf));
}


