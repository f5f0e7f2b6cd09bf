import { describe, expect, it } from 'vitest';
import { expectationFor } from '../../models/expectations.js';
import { findStrategy } from '../../models/strategies.js';
import { columnCases } from '../../properties/cell.js';
import { checkCase } from '../../properties/check-case.js';
import { findFaultProfile } from '../../properties/fault-profiles.js';
import { replayToken } from '../../properties/replay-token.js';
import { computeCell, type VerdictSpec } from '../../src/cli/compare-cells.js';
import { judgeCells, printCompareText, type CompareSettings } from '../../src/cli/compare-print.js';

// models/expectations/row.ts: a witness is a counterexample of its cell that must keep violating
// when the search finds nothing; one that no longer violates makes the cell a surprise.
const PROPERTY = 'completed-only-grows' as const;
const recorded = expectationFor(PROPERTY, 'sql-cached', 'slow-user')?.witness;
if (recorded === undefined) throw new Error('sql-cached under slow-user records no witness');

const spec = (witness: string, strategy = 'sql-cached'): VerdictSpec => ({
  kind: 'verdict',
  strategy,
  faults: 'slow-user',
  runs: 5,
  seed: 1,
  property: PROPERTY,
  workload: 'mix',
  searchUntilRuns: 0,
  witness,
});

const settings: CompareSettings = {
  property: PROPERTY,
  workload: 'mix',
  runs: 5,
  seed: 1,
  searchCapRuns: 5,
  strategies: ['sql-cached'],
  faultProfiles: ['slow-user'],
  pluginRow: null,
  costsRuns: 5,
};

/** A case of the same cell that passes: a witness that does not (or no longer) violates. */
function passingToken(): string {
  const strategy = findStrategy('sql-cached');
  const slowUser = findFaultProfile('slow-user');
  if (strategy === undefined || slowUser === undefined) throw new Error('no sql-cached or slow-user');
  const cases = columnCases({ strategy: strategy.name, profile: strategy.profile, faultProfile: slowUser, workload: 'mix', property: PROPERTY }, 20, 1);
  const passing = cases.find((c) => checkCase(c, PROPERTY, { strategy }).violation === null);
  if (passing === undefined) throw new Error('no passing case in 20');
  return replayToken(passing, PROPERTY, '');
}

describe('a cell expected violated with a witness', () => {
  it('found nothing in its runs: the recorded witness is replayed, still violates, and the cell is as expected (SHRANK rare)', () => {
    const summary = computeCell(spec(recorded));
    expect(summary.firstFailingRun).toBeNull();
    expect(summary.witness).toBe('violated');
    expect(summary.requests).toBe(6);
    expect(summary.why).toContain('without m.login.terms');
    const cells = judgeCells(settings, [summary]);
    expect(cells[0]?.judgement).toBe('expected');
    const printed = printCompareText(settings, cells, [], { markdown: false, failOnUnexpected: true, failuresFile: 'f.txt' });
    expect(printed.stdout).toMatch(/^sql-cached +SHRANK rare \[1\]$/m);
    expect(printed.stdout).toContain('"SHRANK rare": not found in that search, but the counterexample its expectation records still violates');
    expect(printed.stdout).toContain('[1] 6 req, witness');
    expect(printed.exitCode).toBe(0);
    expect(printed.failuresText).toContain('the witness models/expectations records still violates');
  }, 60_000);

  it('a witness that no longer violates makes the cell a surprise, and says so', () => {
    const summary = computeCell(spec(passingToken()));
    expect(summary.witness).toBe('holds');
    const cells = judgeCells(settings, [summary]);
    expect(cells[0]?.judgement).toBe('unexpected');
    const printed = printCompareText(settings, cells, [], { markdown: false, failOnUnexpected: true, failuresFile: 'f.txt' });
    expect(printed.stdout).toMatch(/^sql-cached +ok \(!\)$/m);
    expect(printed.stdout).toContain('not found in 5 runs, and the witness it records no longer violates');
    expect(printed.exitCode).toBe(1);
  }, 60_000);

  it('a witness recorded for another strategy is a broken expectation table: it throws, naming the rule', () => {
    expect(() => computeCell(spec(recorded, 'redis-blob'))).toThrow(/the witness of redis-blob under slow-user \(completed-only-grows\) was recorded for sql-cached/);
  });

  it('a cell whose search finds the violation does not replay its witness (steady: SHRANK 7% at seed 1)', () => {
    const summary = computeCell({ ...spec(passingToken()), faults: 'steady', runs: 100, searchUntilRuns: 2_000 });
    expect(summary.firstFailingRun).not.toBeNull();
    expect(summary.witness).toBeUndefined();
  }, 120_000);
});
