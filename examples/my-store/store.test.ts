// store.test.ts: the example's own suite; the simulator's properties run in vitest like any test.
import fc from 'fast-check';
import { routingProperty, storeProperty } from 'uia-sim/properties';
import { expect, test } from 'vitest';
import { routing } from './routing.js';
import { store } from './store.js';

test('the store keeps UIA progress across restarts of any process', () => {
  // A violation throws after shrinking, with the reason and a replay token for `npx uiasim replay`.
  fc.assert(storeProperty(store, { faults: 'any-restart', storeFile: 'store.ts' }), { numRuns: 100 });
});

test('the worker map keeps each session on one process, so per-process sessions (Synapse 1.8) hold', () => {
  const options = { strategy: 'memory-1.8', faults: 'steady', mountsEverything: true, routingFile: 'routing.ts' };
  fc.assert(routingProperty(routing, options), { numRuns: 100 });
});

test('the same map with the fallback page on another worker loses progress, and the property says so', () => {
  const split = {
    ...routing,
    rules: [routing.rules[0], { ...routing.rules[1], pool: 'fallback' }],
    pools: { ...routing.pools, fallback: { balancer: 'round-robin', upstreams: ['reader2'] } },
  } as const;
  const options = { strategy: 'memory-1.8', faults: 'steady', mountsEverything: true };
  let failure: unknown;
  try {
    fc.assert(routingProperty(split, options), { numRuns: 100, seed: 1 });
  } catch (error) {
    failure = error;
  }
  // fast-check's error carries the property's own as its `cause` (vitest prints it as "Caused by").
  const cause = failure instanceof Error ? failure.cause : undefined;
  // This map exists only here, in no file: a replay token would name memory-1.8's own map and
  // replay another case, so the failure says how to get one instead.
  expect(cause instanceof Error ? cause.message : String(cause)).toMatch(/^progress-never-lost violated after \d+ requests: [^\n]+\nreplay: no token: give routingProperty the routingFile option/);
});
