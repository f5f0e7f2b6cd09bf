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

/** Runs each mutant is given, at seed 1 unless SEEDS says otherwise (first caught in brackets,
 * as measured; `sql` itself is not caught in 300 runs of any of these hunts). */
const RUNS: Readonly<Record<string, number>> = {
  'mutant-drops-stage-write': 10, // run 4
  'mutant-non-durable': 10, // run 4
  'mutant-stale-cache': 10, // run 4
  'mutant-early-sweep': 10, // run 5
  'mutant-colliding-ids': 40, // run 20
  'mutant-loses-serverdict': 40, // run 22 at seed 4
  'mutant-rmw-completed': 60, // run 28
};
const SEED = 1;
/** loses-serverdict's defect needs a lost final response and its retry: at seed 1 its first
 * catch (run 69) is also where `sql` shows #5450 (concurrent finals, an open Synapse bug), so
 * its hunt runs at a seed where the two are apart. */
const SEEDS: Readonly<Record<string, number>> = { 'mutant-loses-serverdict': 4 };

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
  const { property, faults, profile } = mutant.caughtBy;
  const runs = RUNS[mutant.store.name] ?? 0;
  describe(`${mutant.store.name}: ${mutant.defect}`, () => {
    const seed = SEEDS[mutant.store.name] ?? SEED;
    const hunt = { property: propertyNamed(property), faults, runs, seed, ...(profile === undefined ? {} : { profile }) };
    const cases = huntCases(hunt);

    it(`is caught by ${property} under ${faults} within ${runs} runs at seed ${seed}`, () => {
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
