import { drawsOwnCases } from '../../properties/case-arbitrary.js';
import type { CellOutcome } from '../../properties/cell.js';
import { runCells } from '../../properties/cell-run.js';
import { cellSearch, cellSettings, computeCell, verdictSummary, type CellSpec, type CellSummary, type CostsSummary, type PluginRow, type VerdictSpec } from './compare-cells.js';

/**
 * Verdict cells that differ only in their property (`compare --property all`: the same strategy,
 * fault profile, runs, seed, workload, switches and plug-ins), computed by one shared scan
 * (properties/cell-run.ts `runCells`): each case runs once and every property judges it, then
 * each property shrinks its own first failure. Each summary is the one its cell gives alone.
 */
export interface VerdictGroup {
  readonly kind: 'verdict-group';
  readonly cells: readonly VerdictSpec[];
}

/** A piece of work for one thread: a cell, a strategy's costs, or a group of cells. */
export type CompareTask = CellSpec | VerdictGroup;
export type CompareTaskResult = CellSummary | CostsSummary | readonly CellSummary[];

/** Where a spec's summary comes from: its task, and its place in the task's group (or null). */
export interface SpecPlace {
  readonly task: number;
  readonly member: number | null;
}

/** What two cells sharing a scan agree on: everything but the property, how far each searches
 * and the witness each falls back on. Liveness draws cases of its own (persistent clients). */
function scanKey(spec: CellSpec): string | null {
  if (spec.kind !== 'verdict' || drawsOwnCases(spec.property)) return null;
  const { property: _property, searchUntilRuns: _search, witness: _witness, ...shared } = spec;
  return JSON.stringify(shared);
}

/** The work of `specs`, shared where it can be: equal specs (a strategy's costs, which every
 * matrix of `--property all` asks for: CostsSpec has no property) are one task, and the verdict
 * specs that can share a scan one group (in the order of its first member); every other spec is a
 * task of its own. */
export function groupTasks(specs: readonly CellSpec[]): { readonly tasks: CompareTask[]; readonly places: SpecPlace[] } {
  const firstOf = new Map<string, number>();
  const uniqueOf = specs.map((spec, i) => {
    const key = JSON.stringify(spec);
    const first = firstOf.get(key);
    if (first === undefined) firstOf.set(key, i);
    return first ?? i;
  });
  const byKey = new Map<string, number[]>();
  const keys = specs.map((spec, i) => (uniqueOf[i] === i ? scanKey(spec) : null));
  keys.forEach((key, i) => {
    if (key === null) return;
    const members = byKey.get(key);
    if (members === undefined) byKey.set(key, [i]);
    else members.push(i);
  });
  const tasks: CompareTask[] = [];
  const places: SpecPlace[] = new Array<SpecPlace>(specs.length);
  specs.forEach((spec, i) => {
    if (places[i] !== undefined) return;
    // An equal spec came first: it was placed then.
    if (uniqueOf[i] !== i) {
      places[i] = places[uniqueOf[i] as number] as SpecPlace;
      return;
    }
    const members = keys[i] === null ? [i] : (byKey.get(keys[i] as string) as number[]);
    if (members.length === 1) {
      places[i] = { task: tasks.length, member: null };
      tasks.push(spec);
      return;
    }
    members.forEach((m, at) => (places[m] = { task: tasks.length, member: at }));
    tasks.push({ kind: 'verdict-group', cells: members.map((m) => specs[m] as VerdictSpec) });
  });
  return { tasks, places };
}

/** Computes one task, in whichever thread. */
export function computeTask(task: CompareTask, row?: PluginRow): CompareTaskResult {
  if (task.kind !== 'verdict-group') return computeCell(task, row);
  const first = task.cells[0] as VerdictSpec;
  const plans = task.cells.map((spec) => ({ settings: cellSettings(spec, row).settings, search: cellSearch(spec) }));
  const outcomes = runCells(plans, first.runs, first.seed);
  const { strategy } = cellSettings(first, row);
  return task.cells.map((spec, i) => verdictSummary(spec, outcomes[i] as CellOutcome, strategy, row));
}
