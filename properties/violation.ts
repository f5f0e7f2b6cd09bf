import type { ObserveEvent } from '../src/trace.js';

/** What a checker reports: the property, the first violating event and one sentence why. */
export interface Violation {
  readonly property: PropertyName;
  /** Index in the run's observations of the response that shows the violation. */
  readonly observationIndex: number;
  readonly event: ObserveEvent;
  /** Client-side requests sent up to and including the one answered by `event`. */
  readonly requests: number;
  readonly why: string;
}

export const PROPERTY_NAMES = ['progress-never-lost', 'liveness'] as const;
export type PropertyName = (typeof PROPERTY_NAMES)[number];

export function isPropertyName(name: string): name is PropertyName {
  return (PROPERTY_NAMES as readonly string[]).includes(name);
}
