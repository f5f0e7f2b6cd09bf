import { describe, expect, it } from 'vitest';
import type { CellSpec, VerdictSpec } from '../../src/cli/compare-cells.js';
import { computeTask, groupTasks, type CompareTask } from '../../src/cli/compare-group.js';
import { computeCells } from '../../src/cli/compare-run.js';
import type { superviseTasks, SuperviseOptions, TaskOutcome } from '../../src/cli/supervisor.js';

const cell = (strategy: string, property: VerdictSpec['property']): VerdictSpec => ({ kind: 'verdict', strategy, faults: 'steady', runs: 4, seed: 1, property, workload: 'mix', searchUntilRuns: 0 });

// memory-1.8's three cells differ only in their property: one task. sql's liveness cell draws
// cases of its own, and sql's costs are no verdict: tasks of their own.
const SPECS: CellSpec[] = [
  cell('memory-1.8', 'progress-never-lost'),
  cell('sql', 'liveness'),
  cell('memory-1.8', 'no-phantom-stage'),
  cell('memory-1.8', 'exactly-once'),
  { kind: 'costs', strategy: 'sql', runs: 4, seed: 1 },
];

/** A pool in this thread whose every group hangs at its first run, the rest computed. */
const groupsHang = (async <T, R>(options: SuperviseOptions<T, R>): Promise<TaskOutcome<R>[]> => {
  const outcomes: TaskOutcome<R>[] = [];
  for (let i = 0; i < options.tasks.length; i++) {
    const task = options.tasks[i] as CompareTask;
    const outcome: TaskOutcome<R> =
      options.skip?.(i) === true
        ? { kind: 'skipped' }
        : task.kind === 'verdict-group'
          ? { kind: 'hung', runsStarted: 1, subject: null, unrecorded: true }
          : { kind: 'done', result: computeTask(task) as R };
    outcomes.push(outcome);
    options.onOutcome?.(i, outcome);
  }
  return outcomes;
}) as typeof superviseTasks;

describe('compare: cells that differ only in their property are one task (src/cli/compare-group.ts)', () => {
  it('groups them in the order of their first cell, every other spec a task of its own', () => {
    const { tasks, places } = groupTasks(SPECS);
    expect(tasks.map((t) => (t.kind === 'verdict-group' ? t.cells.map((c) => c.property) : t.kind))).toEqual([['progress-never-lost', 'no-phantom-stage', 'exactly-once'], 'verdict', 'costs']);
    expect(places).toEqual([
      { task: 0, member: 0 },
      { task: 1, member: null },
      { task: 0, member: 1 },
      { task: 0, member: 2 },
      { task: 2, member: null },
    ]);
  });

  it('makes equal specs one task: the costs every matrix of --property all asks for', () => {
    const { tasks, places } = groupTasks([...SPECS, { kind: 'costs', strategy: 'sql', runs: 4, seed: 1 }, cell('memory-1.8', 'no-phantom-stage')]);
    expect(tasks).toHaveLength(3);
    expect(places.slice(-2)).toEqual([places[4], places[2]]);
  });

  it('a group that hangs runs its cells again one by one, and each gets its own summary', async () => {
    const together = await computeCells(SPECS, { jobs: 1, runTimeoutS: 1, row: undefined, plugins: {} }, () => undefined);
    let progress = 0;
    const redone = await computeCells(SPECS, { jobs: 1, runTimeoutS: 1, row: undefined, plugins: {}, supervise: groupsHang }, () => progress++);
    // Alone, no cell hangs: each is what the group computes.
    expect(redone).toEqual(together);
    expect(together.map((s) => (s.kind === 'verdict' ? s.error : null))).toEqual([null, null, null, null, null]);
    expect(progress).toBe(SPECS.length);
  });
});
