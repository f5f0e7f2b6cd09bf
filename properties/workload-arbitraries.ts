import fc from 'fast-check';
import type { ClientAction, ClientSpec } from '../models/clients/workload.js';
import { FALLBACK_STAGES, STAGES } from '../models/matrix/protocol.js';

/** A user's pause: mostly seconds (solving a captcha, reading terms), sometimes minutes.
 * Pauses of hours to days, where expiry matters, belong to the slow-user fault profile: under
 * 1.13 every 5 minutes of virtual time costs a sweep round trip, so days would dominate the run
 * time of every other property. */
const pauseMs = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 200, max: 60_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 60_000, max: 30 * 60_000 }) },
);

/** Earlier alternatives are simpler: fast-check shrinks towards them. */
export const clientAction: fc.Arbitrary<ClientAction> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'start' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('resubmit' as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('direct' as const), stage: fc.constantFrom(...STAGES) }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('fallback' as const), stage: fc.constantFrom(...FALLBACK_STAGES), loadsPage: fc.boolean(), concurrent: fc.boolean() }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: pauseMs }) },
);

/** Every client begins by starting a registration: an action list that starts with steps
 * needing a session would only skip them. */
const actions = fc
  .array(clientAction, { minLength: 0, maxLength: 15, size: 'medium' })
  .map((rest): ClientAction[] => [{ kind: 'start' }, ...rest]);

export const clientSpec: fc.Arbitrary<ClientSpec> = fc.record({
  actions,
  adoptsNewSession: fc.boolean(),
  retries: fc.integer({ min: 0, max: 2 }),
  requestTimeoutMs: fc.constantFrom(30_000, 10_000, 90_000),
  thinkMs: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 500, max: 20_000 }) }),
});

/** A decision tape: entries are reduced mod the number of options at each choice. */
export const tape = fc.array(fc.nat({ max: 15 }), { size: 'medium' });

/** A user who goes away for hours or days between steps (the slow-user column): expiry,
 * sliding or absolute, decides what survives. */
const slowPauseMs = fc.oneof(fc.integer({ min: 60_000, max: 6 * 3_600_000 }), fc.integer({ min: 6 * 3_600_000, max: 3 * 86_400_000 }));

export const slowClientSpec: fc.Arbitrary<ClientSpec> = fc.record({
  actions: fc
    .array(fc.oneof({ weight: 3, arbitrary: clientAction }, { weight: 2, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: slowPauseMs }) }), { maxLength: 10 })
    .map((rest): ClientAction[] => [{ kind: 'start' }, ...rest]),
  adoptsNewSession: fc.boolean(),
  retries: fc.integer({ min: 0, max: 2 }),
  requestTimeoutMs: fc.constantFrom(30_000, 10_000, 90_000),
  thinkMs: fc.integer({ min: 1_000, max: 60_000 }),
});
