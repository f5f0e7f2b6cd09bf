// The mutant suite (issue 4 item 3): each variant of `sql` with one deliberate defect must be
// caught by the property named for it, within a stated number of runs at a fixed seed, with the
// arbitraries the real strategies use; and `sql` itself, and `sql-faithful` (the mutants' own
// construction without a defect), must not be caught by the same runs. A checker that goes
// blind, or that flags everything, fails this suite.
import { describe, expect, it } from 'vitest';
import { MUTANTS, sqlFaithfulStore } from '../../models/stores/mutants/index.js';
import { PROPERTY_NAMES } from '../../properties/violation.js';
import { loadStore } from '../../src/cli/plugins.js';
import { firstCaught, huntCases, propertyNamed } from './hunt.js';

/** Runs each mutant is given, at seed 1 (first caught in brackets, as measured). */
const RUNS: Readonly<Record<string, number>> = {
  'mutant-drops-stage-write': 20, // run 7
  'mutant-non-durable': 10, // run 2
  'mutant-stale-cache': 50, // run 27
  'mutant-early-sweep': 20, // run 4
  'mutant-colliding-ids': 30, // run 13
  'mutant-loses-serverdict': 10, // run 1
  'mutant-rmw-completed': 150, // run 78
};
const SEED = 1;

describe('the mutant suite names real properties and states its runs', () => {
  it('every mutant names a property of properties/violation.ts and has a stated number of runs', () => {
    for (const mutant of MUTANTS) {
      expect(PROPERTY_NAMES, mutant.store.name).toContain(mutant.caughtBy.property);
      expect(RUNS[mutant.store.name], mutant.store.name).toBeGreaterThan(0);
    }
    expect(Object.keys(RUNS).sort()).toEqual(MUTANTS.map((m) => m.store.name).sort());
  });
});

for (const mutant of MUTANTS) {
  const { property, faults } = mutant.caughtBy;
  const runs = RUNS[mutant.store.name] ?? 0;
  describe(`${mutant.store.name}: ${mutant.defect}`, () => {
    const hunt = { property: propertyNamed(property), faults, runs, seed: SEED };
    const cases = huntCases(hunt);

    it(`is caught by ${property} under ${faults} within ${runs} runs at seed ${SEED}`, () => {
      const caught = firstCaught(mutant.store, hunt, cases);
      expect(caught, `${mutant.store.name} was not caught: is ${property} blind? (${mutant.caughtBy.why})`).not.toBeNull();
      expect(caught?.violation.property).toBe(property);
      expect(caught?.run).toBeLessThanOrEqual(runs);
    });

    it(`sql and sql-faithful are not caught by ${property} under ${faults} in the same ${runs} runs`, () => {
      expect(firstCaught(undefined, hunt, cases)?.violation.why ?? null).toBeNull();
      expect(firstCaught(sqlFaithfulStore, hunt, cases)?.violation.why ?? null).toBeNull();
    });
  });
}

describe('every mutant is also a --store plug-in', () => {
  it('each mutant module loads and passes the plug-in checks of `check --store`', async () => {
    for (const file of ['drops-stage-write', 'non-durable', 'stale-cache', 'early-sweep', 'colliding-ids', 'loses-serverdict', 'rmw-completed', 'sql-faithful']) {
      const { store } = await loadStore(`models/stores/mutants/${file}.ts`);
      expect(store.name).toBe(file === 'sql-faithful' ? 'sql-faithful' : `mutant-${file}`);
      expect(store.service?.name).toBe('uiauth-db');
    }
  }, 60_000);
});
