import { afterEach, describe, expect, it } from 'vitest';
import { findStrategy, type Strategy } from '../../models/strategies.js';
import type { Case } from '../../models/world.js';
import { cellCaseAt, columnCases, EXTRA_BATCH } from '../../properties/cell.js';
import { runCell } from '../../properties/cell-run.js';
import { listenToRunStarts, noteRunStart, unrecordedRuns } from '../../properties/check-case.js';
import { findFaultProfile, type FaultProfile } from '../../properties/fault-profiles.js';
import type { PropertySettings } from '../../properties/property.js';

function settingsOf(strategyName: string, faults: string): PropertySettings {
  const strategy = findStrategy(strategyName) as Strategy;
  return { strategy: strategy.name, profile: strategy.profile, faultProfile: findFaultProfile(faults) as FaultProfile, workload: 'mix', property: 'progress-never-lost', runOptions: { strategy } };
}

/** Every run a cell starts, in order, with whether it was marked unrecorded. */
function listen(): { readonly c: Case; readonly unrecorded: boolean }[] {
  const started: { c: Case; unrecorded: boolean }[] = [];
  listenToRunStarts((c, unrecorded) => started.push({ c, unrecorded }));
  return started;
}

afterEach(() => listenToRunStarts(null));

describe('a cell run that never returned is named from its index (the watchdog beacon writes no case for a scan run)', () => {
  it('cellCaseAt gives the case every scan run was given, in the first N and in the batches searched past them', () => {
    // sql holds under steady, so the search draws past N: 3 runs, then a batch of 500, then 2.
    const settings = settingsOf('sql', 'steady');
    const search = { untilViolationRuns: 3 + EXTRA_BATCH + 2 };
    const started = listen();
    const outcome = runCell(settings, 3, 5, search);
    expect(outcome.firstFailingRun).toBeNull();
    expect(started).toHaveLength(3 + EXTRA_BATCH + 2);
    expect(started.every((s) => s.unrecorded)).toBe(true);
    for (const index of [0, 2, 3, 4, 3 + EXTRA_BATCH - 1, 3 + EXTRA_BATCH, 3 + EXTRA_BATCH + 1]) {
      expect(cellCaseAt(settings, 3, 5, search, index)).toEqual(started[index]?.c);
    }
    // Another index gives another case (the comparison above can fail).
    expect(cellCaseAt(settings, 3, 5, search, 1)).not.toEqual(started[0]?.c);
    expect(() => cellCaseAt(settings, 3, 5, search, 3 + EXTRA_BATCH + 2)).toThrow(/outside the cell's 505 runs/);
  });

  it("a violated cell's shrink candidates are written down: they cannot be rebuilt from an index", () => {
    const settings = settingsOf('memory-1.8', 'steady');
    const started = listen();
    const outcome = runCell(settings, 10, 1);
    expect(outcome.minimal).not.toBeNull();
    expect(started.slice(0, 10).every((s) => s.unrecorded)).toBe(true);
    expect(started.length).toBeGreaterThan(10);
    expect(started.slice(10).every((s) => !s.unrecorded)).toBe(true);
  });

  it('unrecordedRuns restores the mark when its work throws', () => {
    const started = listen();
    const someCase = cellCaseAt(settingsOf('sql', 'steady'), 1, 1, {}, 0);
    expect(() =>
      unrecordedRuns(() => {
        noteRunStart(someCase);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    noteRunStart(someCase);
    expect(started.map((s) => s.unrecorded)).toEqual([true, false]);
  });
});

describe("columnCases: a column's cases, drawn once per thread for every row", () => {
  it('labels them with the asking strategy, whichever row drew them first, and shares them frozen', () => {
    const sql = settingsOf('sql', 'worker-restart');
    const redis = settingsOf('redis-hash', 'worker-restart');
    const forSql = columnCases(sql, 20, 42);
    const forRedis = columnCases(redis, 20, 42);
    expect(forSql.map((c) => c.strategy)).toEqual(Array(20).fill('sql'));
    expect(forRedis.map((c) => c.strategy)).toEqual(Array(20).fill('redis-hash'));
    expect(forRedis.map((c) => ({ ...c, strategy: 'sql' }))).toEqual(forSql);
    expect(forRedis[3]?.tapes).toBe(forSql[3]?.tapes);
    expect(Object.isFrozen(forSql[3]?.workload)).toBe(true);
    // All the way down: arrays' elements (a client's actions, the tapes) too.
    expect(Object.isFrozen(forSql[3]?.workload.clients[0]?.actions[0])).toBe(true);
    expect(Object.isFrozen(forSql[3]?.tapes.actors[0])).toBe(true);
    expect(Object.isFrozen(forSql[3]?.faultPlan.faults)).toBe(true);
    // Another seed or batch is another column.
    expect(columnCases(sql, 20, 43)).not.toEqual(forSql);
    expect(columnCases(sql, 20, 42, 1)).not.toEqual(forSql);
  });
});
