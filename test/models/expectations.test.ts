import { describe, expect, it } from 'vitest';
import { EXPECTATIONS, expectationFor, isExpected, PROGRESS_NEVER_LOST } from '../../models/expectations.js';
import { STRATEGY_NAMES } from '../../models/strategies.js';
import { COMPARISON_FAULT_PROFILES } from '../../properties/fault-profiles.js';

const COLUMNS = COMPARISON_FAULT_PROFILES.map((f) => f.name);

describe('models/expectations.ts', () => {
  it('has a verdict and a reason for every strategy x fault profile', () => {
    expect(Object.keys(PROGRESS_NEVER_LOST).sort()).toEqual([...STRATEGY_NAMES].sort());
    for (const strategy of STRATEGY_NAMES) {
      for (const column of COLUMNS) {
        const expectation = expectationFor('progress-never-lost', strategy, column);
        expect(expectation, `${strategy} x ${column}`).toBeDefined();
        expect(expectation?.reason.length, `${strategy} x ${column}`).toBeGreaterThan(10);
      }
    }
    expect(Object.keys(EXPECTATIONS)).toContain('liveness');
    for (const strategy of STRATEGY_NAMES) {
      for (const column of COLUMNS) expect(expectationFor('liveness', strategy, column)?.reason.length, `liveness ${strategy} x ${column}`).toBeGreaterThan(10);
    }
  });

  // The headline cells the comparison issue fixes, literally.
  const headline: [string, string, 'holds' | 'violated'][] = [
    ['memory-1.8', 'steady', 'violated'],
    ['main-only', 'steady', 'holds'],
    ['main-only', 'worker-restart', 'holds'],
    ['main-only', 'main-restart', 'violated'],
    ['sticky-ip', 'steady', 'holds'],
    ['sticky-ip', 'ip-change', 'violated'],
    ['sticky-ip', 'worker-restart', 'violated'],
    ['sticky-cookie', 'steady', 'violated'],
    ['main-rpc', 'main-restart', 'violated'],
    ['redis-blob', 'steady', 'violated'],
    ['redis-blob', 'store-restart', 'violated'],
    ['redis-hash', 'store-restart', 'violated'],
    ['sql-cached', 'steady', 'violated'],
    ['session-hash', 'worker-restart', 'violated'],
    ...COLUMNS.map((column): [string, string, 'holds'] => ['sql', column, 'holds']),
  ];
  it('headline: pinned-1.12 fails liveness under steady (the fallback 404s on a v1.12 worker)', () => {
    expect(expectationFor('liveness', 'pinned-1.12', 'steady')?.verdict).toBe('violated');
    expect(expectationFor('progress-never-lost', 'pinned-1.12', 'steady')?.verdict).toBe('holds');
  });

  for (const [strategy, column, verdict] of headline) {
    it(`headline: ${strategy} under ${column} ${verdict}`, () => {
      expect(expectationFor('progress-never-lost', strategy, column)?.verdict).toBe(verdict);
    });
  }

  it('judges observed verdicts', () => {
    expect(isExpected({ verdict: 'holds', reason: 'r' }, false)).toBe(true);
    expect(isExpected({ verdict: 'holds', reason: 'r' }, true)).toBe(false);
    expect(isExpected({ verdict: 'violated', reason: 'r' }, true)).toBe(true);
    expect(isExpected({ verdict: 'violated', reason: 'r' }, false)).toBe(false);
    expect(isExpected(undefined, false)).toBe(false);
  });
});
