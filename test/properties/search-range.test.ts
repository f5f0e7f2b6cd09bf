import { describe, expect, it } from 'vitest';
import { findStrategy, type Strategy } from '../../models/strategies.js';
import { CoverageTally } from '../../properties/coverage.js';
import { findFaultProfile, type FaultProfile } from '../../properties/fault-profiles.js';
import type { PropertySettings } from '../../properties/property.js';
import { search } from '../../properties/search.js';
import { caseAtRun, scanRange, shrinkRun } from '../../properties/search-range.js';
import type { Case } from '../../models/world.js';

function settingsOf(strategyName: string, faults: string): PropertySettings {
  const strategy = findStrategy(strategyName) as Strategy;
  return { strategy: strategy.name, profile: strategy.profile, faultProfile: findFaultProfile(faults) as FaultProfile, workload: 'mix', property: 'progress-never-lost', runOptions: { strategy } };
}

/** A search cut into ranges of `size`: the first range with an event decides, as `check` does. */
function searchInRanges(settings: PropertySettings, runs: number, seed: number, size: number) {
  const tally = new CoverageTally();
  for (let start = 0; start < runs; start += size) {
    const scan = scanRange(settings, seed, start, Math.min(runs, start + size));
    tally.addParts(scan.coverage);
    if (scan.event === null) continue;
    if (scan.event.kind !== 'violated') return { verdict: 'error', runs: scan.event.index + 1 };
    const shrunk = shrinkRun(settings, seed, scan.event.index);
    return { verdict: 'violated', runs: scan.event.index + 1, case: shrunk.case, shrinks: shrunk.shrinks, attempts: shrunk.minimizeAttempts, traceHash: shrunk.result.traceHash, coverage: tally.stats() };
  }
  return { verdict: 'holds', runs, coverage: tally.stats() };
}

describe('scanRange + shrinkRun: search cut into ranges gives the answer of one search', () => {
  it.each([
    ['memory-1.8', 'any-restart', 1],
    ['memory-1.8', 'steady', 7],
  ])('%s under %s, seed %i: the same first failing run, shrunk case, shrink counts and coverage', (strategy, faults, seed) => {
    const settings = settingsOf(strategy, faults);
    const whole = search(settings, 150, seed);
    const cut = searchInRanges(settings, 150, seed, 4);
    if (whole.verdict === 'violated') {
      expect(cut).toEqual({ verdict: 'violated', runs: whole.failingRun, case: whole.case, shrinks: whole.shrinks, attempts: whole.minimizeAttempts, traceHash: whole.result.traceHash, coverage: whole.coverage });
    } else {
      expect(whole.verdict).toBe('holds');
      expect(cut).toEqual({ verdict: 'holds', runs: 150, coverage: whole.verdict === 'holds' ? whole.coverage : null });
    }
  });

  it('sql holds over 200 runs: the coverage of 7 ranges adds up to that of one search', () => {
    const settings = settingsOf('sql', 'any-restart');
    const whole = search(settings, 200, 5);
    expect(whole.verdict).toBe('holds');
    expect(searchInRanges(settings, 200, 5, 29)).toEqual({ verdict: 'holds', runs: 200, coverage: whole.verdict === 'holds' ? whole.coverage : null });
  });

  it('caseAtRun(i) is the case run i was given (a hung run is named by its index)', () => {
    const settings = settingsOf('sql', 'any-restart');
    const seen: Case[] = [];
    search({ ...settings, onRun: (c) => seen.push(c) }, 40, 9);
    for (const i of [0, 1, 17, 39]) expect(caseAtRun(settings, 9, i)).toEqual(seen[i]);
  });
});
