import type { Case, RunResult } from '../../models/world.js';
import type { PropertyName, Violation } from '../violation.js';
import { checkCompletedOnlyGrows } from './completed-only-grows.js';
import { checkExactlyOnce } from './exactly-once.js';
import { checkExpiryHonoured } from './expiry-honoured.js';
import { checkLiveness } from './liveness.js';
import { checkNoPhantomStage } from './no-phantom-stage.js';
import { checkOperationBinding } from './operation-binding.js';
import { checkProgressNeverLost } from './progress-never-lost.js';
import { checkUserBinding } from './user-binding.js';

/** A checker judges one run of a case: the first violation, or null. */
export type Checker = (c: Case, result: RunResult) => Violation | null;

/** Every property's checker (docs/architecture.md "Properties"), each in its own module. */
export const CHECKERS: Readonly<Record<PropertyName, Checker>> = {
  'progress-never-lost': (_c, r) => checkProgressNeverLost(r.observations, r.profile, r.nodeNames),
  'completed-only-grows': (_c, r) => checkCompletedOnlyGrows(r.observations, r.profile, r.nodeNames),
  'no-phantom-stage': (_c, r) => checkNoPhantomStage(r.observations, r.facts, r.nodeNames),
  'operation-binding': (_c, r) => checkOperationBinding(r.observations, r.facts, r.profile, r.nodeNames),
  'user-binding': (_c, r) => checkUserBinding(r.observations, r.facts, r.nodeNames),
  'exactly-once': (_c, r) => checkExactlyOnce(r.observations, r.facts, r.nodeNames),
  'expiry-honoured': (c, r) =>
    checkExpiryHonoured(
      r,
      c.faultPlan.faults.flatMap((f) => (f.kind === 'partition' ? [{ fromMs: f.fromMs, untilMs: f.untilMs }] : [])),
    ),
  liveness: checkLiveness,
};

/** One line per property, for `uiasim list` and reports. */
export const PROPERTY_SUMMARIES: Readonly<Record<PropertyName, string>> = {
  'progress-never-lost': 'a stage shown to a client is never forgotten, except by legitimate expiry',
  'completed-only-grows': "a session's completed list, as 401s show it, never loses a stage in real-time order",
  'no-phantom-stage': 'a stage is shown for a session only if its checker passed for that very session',
  'operation-binding': 'from 1.13, a session authorises only the (uri, method) it was created for',
  'user-binding': 'an operation runs only for the user who authenticated',
  'exactly-once': 'a completed registration creates one account; retries return the same user_id',
  'expiry-honoured': 'no session is usable past its expiry plus one sweep interval, nor after it is swept',
  liveness: 'a client that follows the protocol registers once the last fault has healed',
};

export { checkCompletedOnlyGrows, checkExactlyOnce, checkExpiryHonoured, checkLiveness, checkNoPhantomStage, checkOperationBinding, checkProgressNeverLost, checkUserBinding };
