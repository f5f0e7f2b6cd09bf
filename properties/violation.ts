import type { FactEvent, ObserveEvent } from '../src/trace.js';

/** What a checker reports: the property, the first violating event and one sentence why. */
export interface Violation {
  readonly property: PropertyName;
  /** Index in the run's observations of the response that shows the violation. When the first
   * violating event is a server-side fact (`fact`), this is the first client observation that
   * shows it (or, when no client saw it, the first response after it). */
  readonly observationIndex: number;
  readonly event: ObserveEvent;
  /** Client-side requests sent up to and including the one answered by `event`. */
  readonly requests: number;
  readonly why: string;
  /** The server-side fact that is the violation itself, when it is one (a second account made
   * for one session, an operation run for the wrong user); `event` is where a client saw it. */
  readonly fact?: FactEvent;
}

/** The properties of docs/architecture.md "Properties", in its order; progress-never-lost is the headline. */
export const PROPERTY_NAMES = [
  'progress-never-lost',
  'completed-only-grows',
  'no-phantom-stage',
  'operation-binding',
  'user-binding',
  'exactly-once',
  'expiry-honoured',
  'liveness',
] as const;
export type PropertyName = (typeof PROPERTY_NAMES)[number];

/** `--property all`: every property, in PROPERTY_NAMES order. */
export const ALL_PROPERTIES = 'all';

export function isPropertyName(name: string): name is PropertyName {
  return (PROPERTY_NAMES as readonly string[]).includes(name);
}
