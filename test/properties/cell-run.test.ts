import { afterEach, describe, expect, it } from 'vitest';
import { findStrategy, withPlugins, type Strategy } from '../../models/strategies.js';
import { EXTRA_BATCH } from '../../properties/cell.js';
import { runCell, runCells, type CellPlan } from '../../properties/cell-run.js';
import { listenToRunStarts } from '../../properties/check-case.js';
import { findFaultProfile, type FaultProfile } from '../../properties/fault-profiles.js';
import type { PropertySettings } from '../../properties/property.js';
import type { PropertyName } from '../../properties/violation.js';
import { loadStore } from '../../src/cli/plugins.js';

function settingsOf(strategy: Strategy, property: PropertyName): PropertySettings {
  return { strategy: strategy.name, profile: strategy.profile, faultProfile: findFaultProfile('steady') as FaultProfile, workload: 'mix', property, runOptions: { strategy } };
}

/** The scan runs (unrecorded) started while `work` runs. */
function scanRunsOf<T>(work: () => T): { readonly value: T; readonly scanRuns: number } {
  let scanRuns = 0;
  listenToRunStarts((_c, unrecorded) => {
    if (unrecorded) scanRuns++;
  });
  return { value: work(), scanRuns };
}

afterEach(() => listenToRunStarts(null));

describe('runCells: cells that differ only in their property share one scan (compare --property all)', () => {
  it("gives every cell exactly its own runCell outcome, with each case run once for all of them", () => {
    // memory-1.8 under steady, 4 runs, seed 1 (measured): progress-never-lost and
    // no-phantom-stage are violated within the 4 runs, exactly-once only at run 605 of its
    // search, completed-only-grows not within its cap, and operation-binding searches nothing.
    // Two caps, so the batch past the first 500 has two sizes (200 and 150).
    const strategy = findStrategy('memory-1.8') as Strategy;
    const plans: CellPlan[] = [
      { settings: settingsOf(strategy, 'progress-never-lost'), search: { untilViolationRuns: 4 + EXTRA_BATCH + 200 } },
      { settings: settingsOf(strategy, 'exactly-once'), search: { untilViolationRuns: 4 + EXTRA_BATCH + 200 } },
      { settings: settingsOf(strategy, 'completed-only-grows'), search: { untilViolationRuns: 4 + EXTRA_BATCH + 150 } },
      { settings: settingsOf(strategy, 'no-phantom-stage') },
      { settings: settingsOf(strategy, 'operation-binding') },
    ];
    const together = scanRunsOf(() => runCells(plans, 4, 1));
    const alone = plans.map((plan) => scanRunsOf(() => runCell(plan.settings, 4, 1, plan.search)));
    expect(together.value).toEqual(alone.map((a) => a.value));
    expect(together.value.map((o) => [o.violations, o.firstFailingRun, o.runsDrawn])).toEqual([
      [1, 4, 4],
      [0, 605, 605],
      [0, null, 654],
      [2, 3, 4],
      [0, null, 4],
    ]);
    expect(together.value.map((o) => o.minimal !== null)).toEqual([true, true, false, true, false]);
    // Each case ran once: as many scan runs as the longest cell drew, not the sum.
    expect(alone.map((a) => a.scanRuns)).toEqual([4, 605, 654, 4, 4]);
    expect(together.scanRuns).toBe(654);
  });

  it('a run that throws ends every cell it was in at that run, as each would alone', async () => {
    // A plug-in store that throws when the terms stage is written: run 2 of this column.
    const { store } = await loadStore('test/fixtures/plugins/throwing-store.js');
    const strategy = withPlugins(findStrategy('sql') as Strategy, store, undefined);
    const plans: CellPlan[] = (['progress-never-lost', 'no-phantom-stage', 'exactly-once'] as const).map((p) => ({ settings: settingsOf(strategy, p) }));
    const together = runCells(plans, 6, 1);
    expect(together).toEqual(plans.map((plan) => runCell(plan.settings, 6, 1)));
    expect(together.map((o) => [o.runs, o.runsDrawn, o.error?.run, o.error?.message])).toEqual(Array(3).fill([2, 2, 2, 'throws-on-terms: the disk is full']));
  });

  it('refuses to share a scan with liveness, whose cases are its own', () => {
    const strategy = findStrategy('sql') as Strategy;
    expect(() => runCells([{ settings: settingsOf(strategy, 'progress-never-lost') }, { settings: settingsOf(strategy, 'liveness') }], 1, 1)).toThrow(/liveness draws cases of its own/);
  });
});
