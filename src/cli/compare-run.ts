import { replayToken } from '../../properties/replay-token.js';
import type { Case } from '../../models/world.js';
import { cellCaseAt } from '../../properties/cell.js';
import { cellSearch, cellSettings, type CellSpec, type CellSummary, type CostsSummary, type PluginPaths, type PluginRow, type VerdictSpec } from './compare-cells.js';
import { computeTask, groupTasks, type CompareTask, type CompareTaskResult } from './compare-group.js';
import { builtWorker, superviseTasks, type TaskOutcome } from './supervisor.js';

const WORKER = new URL('./compare-worker.js', import.meta.url);

export interface ComputeCellsOptions {
  readonly jobs: number;
  readonly runTimeoutS: number;
  readonly row: PluginRow | undefined;
  readonly plugins: PluginPaths;
  /** The thread pool (tests put a scripted one here, to make a group hang); default: worker
   * threads of the build. */
  readonly supervise?: typeof superviseTasks;
}

/**
 * The comparison's cells and costs on supervised worker threads (from the build; under vitest,
 * in this thread): a cell with a run past the run timeout is an ERROR cell with that run's token,
 * and the other cells carry on. Results come back in the order of `specs`. Cells that differ only in
 * their property share one scan (compare-group.ts).
 */
export async function computeCells(specs: readonly CellSpec[], options: ComputeCellsOptions, onProgress: () => void): Promise<(CellSummary | CostsSummary)[]> {
  // The order work is handed out in, only: the cells of one column (a Synapse profile, a fault
  // profile and a workload) one after another, so a thread draws a column's cases once and takes
  // them from properties/cell.ts's memo for the other rows. In the printed order (strategies
  // alternate profiles) the memo was overrun: one thread drew 25,750 cases where 13,500 do
  // (docs/performance.md). Every result is a function of its spec alone, so the output is the same.
  // The costs stay last, in their order: a strategy whose verdict cell hung has its costs skipped,
  // not run into the same hang.
  const columns = specs.map((spec) => {
    if (spec.kind === 'costs') return '';
    const { settings } = cellSettings(spec, options.row);
    return `${settings.profile} ${settings.faultProfile.name} ${settings.workload}`;
  });
  const indices = specs.map((_, i) => i);
  const isCosts = (i: number): boolean => specs[i]?.kind === 'costs';
  // Array.prototype.sort is stable: a column's rows keep their printed order.
  const cells = indices.filter((i) => !isCosts(i)).sort((a, b) => ((columns[a] as string) < (columns[b] as string) ? -1 : (columns[a] as string) > (columns[b] as string) ? 1 : 0));
  const order = [...cells, ...indices.filter(isCosts)];
  const computed = await computeInOrder(order.map((i) => specs[i] as CellSpec), options, onProgress);
  const results = new Array<CellSummary | CostsSummary>(specs.length);
  order.forEach((i, at) => (results[i] = computed[at] as CellSummary | CostsSummary));
  return results;
}

async function computeInOrder(specs: readonly CellSpec[], options: ComputeCellsOptions, onProgress: () => void): Promise<(CellSummary | CostsSummary)[]> {
  const { tasks, places } = groupTasks(specs);
  // The progress bar counts specs: a task's (or a group member's) every place.
  const progress = (task: number, member: number | null = null): void => {
    for (const place of places) if (place.task === task && (member === null || place.member === member)) onProgress();
  };
  const worker = options.supervise === undefined ? builtWorker(WORKER) : WORKER;
  if (worker === null || options.jobs < 1) {
    const results = tasks.map((task, t) => {
      const result = computeTask(task, options.row);
      progress(t);
      return result;
    });
    return places.map(({ task, member }) => (member === null ? results[task] : (results[task] as readonly CellSummary[])[member]) as CellSummary | CostsSummary);
  }
  // A strategy with a hung run would hang its costs sample too: those are n/a without waiting.
  const hungStrategies = new Set<string>();
  // A group with a hung run: its cells run again one by one (tasks added at the end), so each
  // cell's ERROR names its own hung run, as when computed alone.
  const redone = new Map<number, number[]>();
  const redoneOf = new Map<number, { readonly group: number; readonly member: number }>();
  const outcomes = await (options.supervise ?? superviseTasks)<CompareTask, CompareTaskResult>({
    workerUrl: worker,
    setup: options.plugins,
    jobs: options.jobs,
    runTimeoutMs: options.runTimeoutS * 1000,
    tasks,
    skip: (index) => {
      const task = tasks[index] as CompareTask;
      return task.kind === 'costs' && hungStrategies.has(task.strategy);
    },
    onOutcome: (index, outcome) => {
      const task = tasks[index] as CompareTask;
      if (outcome.kind === 'hung') hungStrategies.add(task.kind === 'verdict-group' ? (task.cells[0] as VerdictSpec).strategy : task.strategy);
      if (outcome.kind === 'hung' && task.kind === 'verdict-group') {
        redone.set(
          index,
          task.cells.map((cell, member) => {
            redoneOf.set(tasks.length, { group: index, member });
            return tasks.push(cell) - 1;
          }),
        );
        return;
      }
      const alone = redoneOf.get(index);
      if (alone === undefined) progress(index);
      else progress(alone.group, alone.member);
    },
  });
  return places.map(({ task, member }) => {
    if (member === null) return resultOf(tasks[task] as CellSpec, outcomes[task] as TaskOutcome<CellSummary | CostsSummary>, options);
    const group = outcomes[task] as TaskOutcome<CompareTaskResult>;
    if (group.kind === 'done') return (group.result as readonly CellSummary[])[member] as CellSummary;
    const alone = (redone.get(task) as number[])[member] as number;
    return resultOf(tasks[alone] as CellSpec, outcomes[alone] as TaskOutcome<CellSummary | CostsSummary>, options);
  });
}

function resultOf(spec: CellSpec, outcome: TaskOutcome<CellSummary | CostsSummary>, options: ComputeCellsOptions): CellSummary | CostsSummary {
  if (outcome.kind === 'done') return outcome.result;
  if (outcome.kind === 'skipped' && spec.kind === 'verdict') throw new Error(`compare: the cell ${spec.strategy} x ${spec.faults} was skipped`);
  if (spec.kind === 'costs') {
    // Costs of a strategy whose run hangs cannot be measured: every figure n/a (its verdict cells say why).
    return { kind: 'costs', strategy: spec.strategy, runs: 0, requests: 0, operations: 0, answered: 0, hopsPerRequest: null, storeRoundTripsPerOperation: null, hashingOnMainShare: null, latencyP50Ms: null, latencyP99Ms: null };
  }
  if (outcome.kind === 'skipped') throw new Error('compare: unreachable');
  // A run written down (a shrink candidate, the witness) names itself; an unrecorded one is a
  // scan run, rebuilt from its index in the cell.
  const hungCase = outcome.unrecorded ? cellCaseAt(cellSettings(spec, options.row).settings, spec.runs, spec.seed, cellSearch(spec), outcome.runsStarted - 1) : (outcome.subject as Case | null);
  const plugins = options.row?.strategy.name === spec.strategy ? options.row.plugins : undefined;
  return {
    kind: 'verdict',
    strategy: spec.strategy,
    faults: spec.faults,
    runs: Math.min(spec.runs, Math.max(1, outcome.runsStarted)),
    violations: 0,
    runsDrawn: Math.max(1, outcome.runsStarted),
    firstFailingRun: null,
    requests: null,
    why: null,
    token: hungCase === null ? null : replayToken(hungCase, spec.property, '', plugins),
    error: `a run did not return within ${options.runTimeoutS} s (--run-timeout): the model or a plug-in is stuck`,
  };
}
