import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropsDummy } from '../../models/stores/mutants/drops-dummy.js';
import { forgetsBinding } from '../../models/stores/mutants/forgets-binding.js';
import { memoryStore } from '../../models/stores/memory.js';
import { findStrategy } from '../../models/strategies.js';
import { routingProperty, storeProperty } from '../../properties/store-property.js';
import type { PropertyName } from '../../properties/violation.js';
import type { RoutingMap } from '../../src/router.js';

/** fast-check's failure, or null: the property's own error is its `cause`. */
function failureOf(run: () => void): string | null {
  try {
    run();
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    return cause instanceof Error ? cause.message : String(error);
  }
  return null;
}

describe('storeProperty finds what `uiasim check --store` finds', () => {
  // Each was "holds" through the library while the CLI caught it: liveness drew no persistent
  // clients (the property was not passed to the cases), and the workload was fixed.
  it.each([dropsDummy, forgetsBinding])('$store.name: $caughtBy.property under $caughtBy.faults', (mutant) => {
    const { property, faults, workload } = mutant.caughtBy;
    const found = failureOf(() => fc.assert(storeProperty(mutant.store, { property: property as PropertyName, faults, ...(workload === undefined ? {} : { workload }) }), { numRuns: 100, seed: 1 }));
    expect(found).toMatch(new RegExp(`^${property} violated after \\d+ requests: .+\\nreplay: no token: give storeProperty the storeFile option`));
  });
});

describe('routingProperty takes a routing file\'s fields', () => {
  // Synapse 1.8's map with the fallback page on another worker than /register: per-process
  // sessions lose progress there, which a process that mounts only what Synapse mounts hides.
  const base = findStrategy('memory-1.8')?.routing as RoutingMap;
  const split = { ...base, rules: [...base.rules, { path: '^/_matrix/client/(r0|v3)/auth/', pool: 'fallback' }], pools: { ...base.pools, fallback: { balancer: 'round-robin' as const, upstreams: ['reader2'] } } };

  it("honours the map's own mounts: 'everything', as --routing does", () => {
    const options = { strategy: 'memory-1.8', faults: 'steady' };
    expect(failureOf(() => fc.assert(routingProperty({ ...split, mounts: 'everything' }, options), { numRuns: 100, seed: 1 }))).toMatch(/^progress-never-lost violated after/);
  });

  it('prints no token for a map that came from no file: the token would replay the built-in map', () => {
    const found = failureOf(() => fc.assert(routingProperty(split, { strategy: 'memory-1.8', faults: 'steady', mountsEverything: true }), { numRuns: 100, seed: 1 }));
    expect(found).toMatch(/\nreplay: no token: give routingProperty the routingFile option \(the file the plug-in came from\), for a token that loads it$/);
  });
});

describe('bad options and plug-ins throw at once, naming the field, before any run', () => {
  it.each([
    [() => storeProperty(memoryStore, { property: 'progress' as never }), 'storeProperty: unknown property progress; one of '],
    [() => storeProperty(memoryStore, { faults: 'nope' }), 'storeProperty: unknown fault profile nope; one of steady, '],
    [() => storeProperty(memoryStore, { workload: 'nope' }), 'storeProperty: unknown workload nope; one of '],
    [() => storeProperty(memoryStore, { profile: '1.9' as never }), 'storeProperty: unknown profile 1.9; one of '],
    [() => storeProperty(memoryStore, { strategy: 'nope' }), 'storeProperty: unknown strategy nope; one of memory-1.8, '],
    [() => storeProperty({ ...memoryStore, name: 'sql' }), 'storeProperty: store: `name` must be a name no built-in strategy has (sql is one)'],
    [() => storeProperty(null as never), 'storeProperty: store: `the export` must be an object (a StoreDefinition)'],
    [() => storeProperty({ ...memoryStore, name: 'kv-main', placement: 'service', service: { name: 'main', create: () => ({ execute: () => null }) } } as never), 'storeProperty: store: `service.name` must be a name no other node has'],
    [() => routingProperty({ rules: [{ path: '^/x', pool: 'nosuch' }], pools: {}, defaultUpstream: 'main' }), 'routingProperty: routing map: `rules[0].pool` must be the name of one of `pools`'],
    [() => routingProperty({ rules: [], pools: {}, defaultUpsteam: 'main' } as never), 'routingProperty: routing map: the map has no field `defaultUpsteam`'],
    [() => routingProperty({ rules: [], pools: {}, defaultUpstream: 'reader3' }), 'routingProperty: routing map: `defaultUpstream` must be one of main, reader1, reader2'],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});
