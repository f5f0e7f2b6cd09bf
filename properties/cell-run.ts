import { isStoreContractError } from '../models/stores/checked-store.js';
import { runCase, type Case, type RunResult } from '../models/world.js';
import { batchSize, cellCap, columnCases, type CellOutcome, type CellSearch } from './cell.js';
import { checkCase, judgeRun, noteRunStart, unrecordedRuns } from './check-case.js';
import { minimizeCase } from './minimize.js';
import type { PropertySettings } from './property.js';
import { canonicalTapes } from './search.js';
import { assertSharedCases } from './case-arbitrary.js';
import { messageOf } from '../src/error-message.js';

/** One cell of a scan shared by several (runCells): its settings (they differ from the others'
 * only in the property) and how far it searches. */
export interface CellPlan {
  readonly settings: PropertySettings;
  readonly search?: CellSearch;
}

/** One cell of the comparison: all N runs (for the share of failing runs); when none violated
 * and a search is asked for, further batches until the first violation or the cap; then the
 * first failing run made 1-minimal. */
export function runCell(settings: PropertySettings, runs: number, seed: number, search: CellSearch = {}): CellOutcome {
  return runCells([{ settings, search }], runs, seed)[0] as CellOutcome;
}

/** Where one cell's scan stands. */
interface Scan {
  readonly plan: CellPlan;
  readonly cap: number;
  violations: number;
  first: Case | null;
  firstIndex: number | null;
  drawn: number;
  /** Set when one of its runs threw: the cell stops there. */
  ended: CellOutcome | null;
}

/**
 * Cells that differ only in their property (`compare --property all`): every property but
 * liveness draws the very same cases in a column (case-arbitrary.ts), and a run does not depend
 * on the property judging it, so each case runs once and every cell still scanning judges it.
 * Each outcome is exactly what `runCell` gives that cell alone: the same runs in the same order
 * (the k-th case of a batch does not depend on how many the batch draws), the same counts, the
 * same first failure, shrunk by its own property.
 */
export function runCells(plans: readonly CellPlan[], runs: number, seed: number): CellOutcome[] {
  const base = (plans[0] as CellPlan).settings;
  assertSharedCases(plans.map((p) => p.settings.property), 'runCells');
  const scans: Scan[] = plans.map((plan) => ({ plan, cap: cellCap(runs, plan.search), violations: 0, first: null, firstIndex: null, drawn: 0, ended: null }));
  // A scan judges its runs and keeps the first failing case, never a hash (the report's run is
  // made again, hashed and captured).
  const scanOptions = { ...base.runOptions, hashTrace: false };
  // Unrecorded runs: a supervisor rebuilds a hung one from its index in the cell (cellCaseAt).
  unrecordedRuns(() => {
    for (let batch = 0; ; batch++) {
      const live = scans.filter((s) => s.ended === null && s.drawn < s.cap && (batch === 0 || s.first === null));
      if (live.length === 0) return;
      const sizes = live.map((s) => batchSize(runs, s.cap, batch));
      const cases = columnCases(base, Math.max(...sizes), seed, batch);
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i] as Case;
        // A cell leaves the batch at its size, at an error, or (past N) at its first violation.
        const judges = live.filter((s, k) => i < (sizes[k] as number) && s.ended === null && !(batch > 0 && s.first !== null));
        if (judges.length === 0) break;
        noteRunStart(c);
        let result: RunResult;
        try {
          result = runCase(c, scanOptions);
        } catch (error) {
          for (const scan of judges) endWithError(scan, runs, c, error);
          continue;
        }
        for (const scan of judges) judge(scan, c, result, runs, batch);
      }
    }
  });
  return scans.map((scan) => scan.ended ?? minimalOf(scan, runs));
}

function judge(scan: Scan, c: Case, result: RunResult, runs: number, batch: number): void {
  let violated: boolean;
  try {
    violated = judgeRun(c, result, [scan.plan.settings.property]).violation !== null;
  } catch (error) {
    endWithError(scan, runs, c, error);
    return;
  }
  const index = ++scan.drawn;
  if (!violated) return;
  if (batch === 0) scan.violations++;
  if (scan.first === null) {
    scan.first = c;
    scan.firstIndex = index;
  }
}

function endWithError(scan: Scan, runs: number, c: Case, error: unknown): void {
  const index = ++scan.drawn;
  const message = messageOf(error);
  const storeContract = isStoreContractError(error) ? { storeContract: error.detail } : {};
  scan.ended = { runs: Math.min(runs, index), violations: scan.violations, runsDrawn: index, firstFailingRun: scan.firstIndex, minimal: null, error: { run: index, case: c, message, ...storeContract } };
}

/** A scan's outcome: nothing found, or its first failing run made 1-minimal by its own property. */
function minimalOf(scan: Scan, runs: number): CellOutcome {
  const { settings } = scan.plan;
  const counts = { runs, violations: scan.violations, runsDrawn: scan.drawn, firstFailingRun: scan.firstIndex };
  if (scan.first === null) return { ...counts, minimal: null, error: null };
  const tryOptions = { ...settings.runOptions, hashTrace: false };
  const violates = (c: Case): boolean => {
    try {
      return checkCase(c, settings.property, tryOptions).violation !== null;
    } catch {
      return false; // a reduction that throws is a different finding, not this violation
    }
  };
  const minimal = canonicalTapes(minimizeCase(canonicalTapes(scan.first, settings), violates).case, settings);
  const verdict = checkCase(minimal, settings.property, { ...settings.runOptions, capture: true });
  if (verdict.violation === null) throw new Error('cell: the minimal counterexample no longer fails; the run is not deterministic');
  return { ...counts, minimal: { case: minimal, violation: verdict.violation, result: verdict.result }, error: null };
}
