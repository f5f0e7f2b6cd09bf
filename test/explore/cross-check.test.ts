import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, NO_SCOPE_FAULTS, type Scope } from '../../models/scopes/scope.js';
import { findStrategy } from '../../models/strategies.js';
import { exploreScope } from '../../properties/explore.js';
import { findFaultProfile } from '../../properties/fault-profiles.js';
import { search } from '../../properties/search.js';

/** Random `check` and `explore` agree: what check's shrunk counterexample needs (its clients, no
 * faults) is a scope, and explore of that scope finds a violation no longer than check's. */
describe('explore finds what random check finds inside a scope, never longer', () => {
  for (const strategyName of ['memory-1.8', 'redis-blob'] as const) {
    it(strategyName, () => {
      const strategy = findStrategy(strategyName);
      const steady = findFaultProfile('steady');
      if (strategy === undefined || steady === undefined) throw new Error('missing fixture');
      const outcome = search({ strategy: strategy.name, profile: strategy.profile, faultProfile: steady, workload: 'registration', property: 'progress-never-lost', runOptions: { strategy } }, 100, 1);
      if (outcome.verdict !== 'violated') throw new Error(`check did not find the loss on ${strategyName}: ${outcome.verdict}`);
      expect(outcome.case.faultPlan.faults).toEqual([]);
      const scope: Scope = { name: 'from-check', summary: "check's counterexample's clients", clients: outcome.case.workload.clients, faults: NO_SCOPE_FAULTS, bounds: DEFAULT_BOUNDS, seed: outcome.case.seed };
      const explored = exploreScope(scope, strategy, outcome.case.profile, ['progress-never-lost'], { search: 'bfs', fingerprints: true, sleepSets: false, maxStates: 200_000 });
      const found = explored.outcome.counterexample?.verdict.violation;
      expect(found).toBeDefined();
      expect(found?.requests).toBeLessThanOrEqual(outcome.violation.requests);
    });
  }
});
