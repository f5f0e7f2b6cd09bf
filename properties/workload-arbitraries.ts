import fc from 'fast-check';
import {
  DIRECT_STAGES,
  FALLBACK_CLIENT_STAGES,
  operationsOf,
  type ClientAction,
  type ClientSpec,
  type DirectStage,
  type FallbackClientStage,
  type Operation,
} from '../models/clients/workload.js';

/** A user's pause: mostly seconds (solving a captcha, reading terms), sometimes minutes.
 * Pauses of hours to days, where expiry matters, belong to the slow-user fault profile: under
 * 1.13 every 5 minutes of virtual time costs a sweep round trip, so days would dominate the run
 * time of every other property. */
const pauseMs = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 200, max: 60_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 60_000, max: 30 * 60_000 }) },
);

/** The stages an operation's flows use most (uia §2.11 for registration; uia §2.5 password and SSO
 * for the account endpoints): drawn more often, while every stage stays possible (clients that
 * try a stage nobody offered exist too). */
function favourite(operation: Operation): { readonly direct: readonly DirectStage[]; readonly fallback: readonly FallbackClientStage[] } {
  return operation === 'register'
    ? { direct: ['m.login.dummy', 'm.login.terms', 'm.login.recaptcha', 'm.login.email.identity', 'm.login.registration_token'], fallback: ['m.login.recaptcha', 'm.login.terms', 'm.login.registration_token'] }
    : { direct: ['m.login.password'], fallback: ['m.login.sso'] };
}

function stageOf<T extends string>(favoured: readonly T[], all: readonly T[]): fc.Arbitrary<T> {
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...favoured) }, { weight: 1, arbitrary: fc.constantFrom(...all) });
}

/** Earlier alternatives are simpler: fast-check shrinks towards them. */
export function clientActionFor(operation: Operation): fc.Arbitrary<ClientAction> {
  const stages = favourite(operation);
  const direct = stageOf(stages.direct, DIRECT_STAGES).map((stage): ClientAction => ({ kind: 'direct', stage }));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<ClientAction>({ kind: 'start' }) },
    { weight: 3, arbitrary: fc.constant<ClientAction>({ kind: 'resubmit' }) },
    { weight: 6, arbitrary: direct },
    {
      weight: 5,
      arbitrary: fc
        .record({ stage: stageOf(stages.fallback, FALLBACK_CLIENT_STAGES), loadsPage: fc.boolean(), concurrent: fc.boolean() })
        .map(({ stage, loadsPage, concurrent }): ClientAction => (concurrent ? { kind: 'fallback', stage, loadsPage, concurrent } : { kind: 'fallback', stage, loadsPage })),
    },
    { weight: 1, arbitrary: fc.constant<ClientAction>({ kind: 'resubmit', concurrent: true }) },
    { weight: 1, arbitrary: fc.constant<ClientAction>({ kind: 'direct', stage: 'm.login.password', legacyUser: true }) },
    { weight: 1, arbitrary: fc.constant<ClientAction>({ kind: 'email' }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: pauseMs }) },
    { weight: 1, arbitrary: fc.constant<ClientAction>({ kind: 'abandon' }) },
  );
}

/** The session-reuse workload's adversarial steps (docs/synapse-uia.md#ref-2.5, #ref-2.9): the
 * session sent with one of the workload's other operations, or continued under the client's
 * second account. */
function reuseActionFor(operation: Operation, operations: readonly Operation[]): fc.Arbitrary<ClientAction> {
  const others = operations.filter((o) => o !== operation);
  const otherUser = fc.constant<ClientAction>({ kind: 'other-user' });
  if (others.length === 0) return otherUser;
  return fc.oneof(fc.constantFrom(...others).map((o): ClientAction => ({ kind: 'wrong-operation', operation: o })), otherUser);
}

/** The actions of a workload's clients: session-reuse mixes its adversarial steps into the
 * ordinary ones (a third of the actions), every other workload has none. */
function actionFor(workload: string, operation: Operation, operations: readonly Operation[]): fc.Arbitrary<ClientAction> {
  if (workload !== 'session-reuse') return clientActionFor(operation);
  return fc.oneof({ weight: 2, arbitrary: clientActionFor(operation) }, { weight: 1, arbitrary: reuseActionFor(operation, operations) });
}

/** The foundation's registration actions, for callers that name no operation. */
export const clientAction: fc.Arbitrary<ClientAction> = clientActionFor('register');

const START: ClientAction = { kind: 'start' };

/** Every client begins by starting its operation: an action list that starts with steps
 * needing a session would only skip them. */
function specFor(operation: Operation, action: fc.Arbitrary<ClientAction>, maxLength: number, thinkMs: fc.Arbitrary<number>): fc.Arbitrary<ClientSpec> {
  return fc.record({
    operation: fc.constant(operation),
    actions: fc.array(action, { minLength: 0, maxLength, size: 'medium' }).map((rest): ClientAction[] => [START, ...rest]),
    adoptsNewSession: fc.boolean(),
    retries: fc.integer({ min: 0, max: 2 }),
    requestTimeoutMs: fc.constantFrom(30_000, 10_000, 90_000),
    thinkMs,
  });
}

/** One arbitrary per operation, combined with `oneof` (not `chain`, whose values fast-check
 * shrinks poorly): a client shrinks within its operation, and towards the first. In a mix,
 * registration weighs as much as the account operations together: its flows have several
 * stages, fallback pages and out-of-band steps (uia §2.11), where most of the losses of #6705
 * live, and the comparison's headline cells are about it. */
function perOperation(operations: readonly Operation[], specOf: (operation: Operation) => fc.Arbitrary<ClientSpec>): fc.Arbitrary<ClientSpec> {
  const first = operations[0];
  if (operations.length === 1 && first !== undefined) return specOf(first);
  const others = operations.filter((o) => o !== 'register').length;
  const weightOf = (o: Operation): number => (o === 'register' && others < operations.length ? others : 1);
  return fc.oneof(...operations.map((o) => ({ weight: weightOf(o), arbitrary: specOf(o) })));
}

const thinkMs = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 500, max: 20_000 }) });

/** The clients of a workload: one operation each, drawn from `operations` (the workload's, or
 * those of it the profile has; shrinking towards the first), with the behaviours mixed. */
export function clientSpecFor(workload: string, operations: readonly Operation[] = operationsOf(workload)): fc.Arbitrary<ClientSpec> {
  return perOperation(operations, (operation) => specFor(operation, actionFor(workload, operation, operations), 15, thinkMs));
}

/** The registration workload's clients (the foundation's `clientSpec`). */
export const clientSpec: fc.Arbitrary<ClientSpec> = clientSpecFor('registration');

/** A decision tape: entries are reduced mod the number of options at each choice. */
export const tape = fc.array(fc.nat({ max: 15 }), { size: 'medium' });

/** A user who goes away for hours or days between steps (the slow-user column): expiry,
 * sliding or absolute, decides what survives. */
const slowPauseMs = fc.oneof(fc.integer({ min: 60_000, max: 6 * 3_600_000 }), fc.integer({ min: 6 * 3_600_000, max: 3 * 86_400_000 }));

export function slowClientSpecFor(workload: string, operations: readonly Operation[] = operationsOf(workload)): fc.Arbitrary<ClientSpec> {
  return perOperation(operations, (operation) =>
    specFor(
      operation,
      fc.oneof({ weight: 3, arbitrary: actionFor(workload, operation, operations) }, { weight: 2, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: slowPauseMs }) }),
      10,
      fc.integer({ min: 1_000, max: 60_000 }),
    ),
  );
}

export const slowClientSpec: fc.Arbitrary<ClientSpec> = slowClientSpecFor('registration');
