import fc from 'fast-check';
import { runCase, type RunResult } from '../models/world.js';
import { assertSharedCases, caseArbitrary } from './case-arbitrary.js';
import { judgeRun, noteRunStart, unrecordedRuns } from './check-case.js';
import { coverageOf, CoverageTally, type CoverageParts } from './coverage.js';
import type { PropertySettings } from './property.js';
import { errorEvent, StopAtError, type RangeEvent, type RangeScan } from './search-range.js';

/**
 * Runs [start, end) once for several properties, in their order (`check --property all`): every
 * property but liveness draws the very same cases (case-arbitrary.ts) and a run does not depend
 * on the property judging it, so each case runs once and every property without an event yet
 * judges it. The scan stops at the first property's first event, since nothing after it is
 * reported. Up to there, each property's scan is the one `scanRange` gives it alone: its first
 * event, and the coverage of the runs up to it (a violating run included, a run that threw not).
 */
export function scanRangeAll(settingsList: readonly PropertySettings[], seed: number, start: number, end: number): RangeScan[] {
  const lead = settingsList[0] as PropertySettings;
  assertSharedCases(settingsList.map((s) => s.property), 'scanRangeAll');
  const tally = new CoverageTally();
  const events: (RangeEvent | null)[] = settingsList.map(() => null);
  const coverages: (CoverageParts | null)[] = settingsList.map(() => null);
  let index = start - 1;
  if (end > start) {
    const property = fc.property(caseArbitrary(lead), (c) => {
      index++;
      noteRunStart(c);
      let result: RunResult;
      try {
        result = runCase(c, lead.runOptions);
      } catch (error) {
        // The run threw: an error for every property still scanning, the first one's included.
        const before = tally.parts();
        events.forEach((event, k) => {
          if (event !== null) return;
          events[k] = errorEvent(index, c, error);
          coverages[k] = before;
        });
        throw new StopAtError();
      }
      const verdicts = settingsList.map((settings, k): 'pass' | 'violated' | RangeEvent | null => {
        if (events[k] !== null) return null;
        try {
          return judgeRun(c, result, [settings.property]).violation === null ? 'pass' : 'violated';
        } catch (error) {
          return errorEvent(index, c, error);
        }
      });
      // A judge that threw does not count the run, as a run that threw in `scanRange`.
      const before = verdicts.some((v) => typeof v === 'object' && v !== null) ? tally.parts() : null;
      tally.add(coverageOf(result));
      verdicts.forEach((verdict, k) => {
        if (verdict === null || verdict === 'pass') return;
        events[k] = verdict === 'violated' ? { kind: 'violated', index } : verdict;
        coverages[k] = verdict === 'violated' ? tally.parts() : before;
      });
      if (events[0] !== null) throw new StopAtError();
      return true;
    });
    // Unrecorded: a run of a scan is rebuilt from its index (caseAtRun) if it never returns.
    unrecordedRuns(() => fc.check(property, { seed, path: String(start), numRuns: end - start, endOnFailure: true }));
  }
  const all = tally.parts();
  return settingsList.map((_, k) => ({ start, end, event: events[k] as RangeEvent | null, coverage: coverages[k] ?? all }));
}
