import { findStrategy } from '../../models/strategies.js';
import { findFaultProfile } from '../../properties/fault-profiles.js';
import { runCell } from '../../properties/cell.js';
import { tokenFor } from './check.js';

/** One cell to compute: everything a worker thread needs, as plain data. */
export interface CellSpec {
  readonly strategy: string;
  readonly faults: string;
  readonly runs: number;
  readonly seed: number;
}

/** What the comparison prints of a cell; plain data, so it crosses thread boundaries. */
export interface CellSummary {
  readonly strategy: string;
  readonly faults: string;
  readonly runs: number;
  readonly violations: number;
  readonly firstFailingRun: number | null;
  readonly requests: number | null;
  readonly why: string | null;
  readonly token: string | null;
}

/** Runs one cell. Its runs are seeded by (seed, strategy, fault profile, i), so the summary is
 * the same whichever thread computes it, and whichever other cells run. */
export function computeCell(spec: CellSpec): CellSummary {
  const strategy = findStrategy(spec.strategy);
  const faultProfile = findFaultProfile(spec.faults);
  if (strategy === undefined || faultProfile === undefined) throw new Error(`compare: unknown cell ${spec.strategy} x ${spec.faults}`);
  const settings = { strategy: strategy.name, profile: strategy.profile, faultProfile, workload: 'registration', property: 'progress-never-lost' as const };
  const outcome = runCell(settings, spec.runs, spec.seed);
  const minimal = outcome.minimal;
  return {
    strategy: spec.strategy,
    faults: spec.faults,
    runs: outcome.runs,
    violations: outcome.violations,
    firstFailingRun: outcome.firstFailingRun,
    requests: minimal?.violation.requests ?? null,
    why: minimal?.violation.why ?? null,
    token: minimal === null ? null : tokenFor(minimal.case, 'progress-never-lost', minimal.result.traceHash),
  };
}
