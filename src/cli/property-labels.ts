import { ALL_PROPERTIES, isPropertyName, PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { UsageError } from './usage.js';

/** How the CLI speaks of each property's violations: the marker on the violating step (check,
 * replay), the word in a violated compare cell, and the phrase in its failure line. */
export interface PropertyLabels {
  readonly marker: string;
  readonly cell: string;
  readonly failure: string;
  /** What "cell n%" means, for compare's legend. */
  readonly share: string;
}

export const PROPERTY_LABELS: Readonly<Record<PropertyName, PropertyLabels>> = {
  'progress-never-lost': { marker: 'progress lost', cell: 'LOST', failure: 'lose progress', share: 'the share of runs that lost a stage' },
  'completed-only-grows': { marker: 'completed shrank', cell: 'SHRANK', failure: "show a session's completed list shrinking", share: "the share of runs in which a session's completed list shrank" },
  'no-phantom-stage': { marker: 'phantom stage', cell: 'PHANTOM', failure: 'show a stage that never passed for the session', share: 'the share of runs that showed a stage that never passed for its session' },
  'operation-binding': { marker: 'operation changed', cell: 'UNBOUND', failure: 'let a session authorise another operation', share: 'the share of runs in which a session authorised another operation' },
  'user-binding': { marker: 'wrong user', cell: 'WRONG USER', failure: 'run an operation for a user who did not authenticate', share: 'the share of runs in which an operation ran for a user who did not authenticate' },
  'exactly-once': { marker: 'not exactly once', cell: 'NOT ONCE', failure: 'register twice or answer a retry differently', share: 'the share of runs in which a session registered twice or a retry got another answer' },
  'expiry-honoured': { marker: 'expired session used', cell: 'STALE', failure: 'use a session past its expiry or after its sweep', share: 'the share of runs in which a session was used past its expiry or after its sweep' },
  liveness: { marker: 'never finished', cell: 'STUCK', failure: 'never finish', share: 'the share of runs in which a client following the protocol never finished its operation' },
};

/** A `--property` value: a property's name or `all`; anything else is a usage error naming both. */
export function propertyOption(name: string | undefined): PropertyName | typeof ALL_PROPERTIES {
  const value = name ?? 'progress-never-lost';
  if (value === ALL_PROPERTIES || isPropertyName(value)) return value;
  throw new UsageError(`unknown property '${value}'; valid choices: ${PROPERTY_NAMES.join(', ')}, or ${ALL_PROPERTIES} (each in turn)`);
}
