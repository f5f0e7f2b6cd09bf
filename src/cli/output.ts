import { PROFILES, type ProfileName } from '../../models/synapse/profile.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { PROPERTY_LABELS } from './property-labels.js';
import { describeSwitches } from './switches.js';
import type { Switches } from '../../models/synapse/profile-set.js';

// What every command's output shares (check, replay, the determinism watch and the trace view
// use it): its own module, so those commands need not import one another.

export interface CommandOutput {
  readonly stdout: string;
  readonly exitCode: number;
  /** Wall-clock notes for stderr (never on stdout: it must be reproducible). */
  readonly stderr?: string;
}

export const SCHEMA_VERSION = 1;

export function settingsLines(strategy: string, profile: ProfileName, faults: string, workload: string, seed?: number, switches?: Switches, routingFile?: string): string[] {
  const set = describeSwitches(switches);
  return [
    `strategy ${strategy} (profile ${profile}: ${PROFILES[profile].summary})`,
    // A --routing case keeps its base strategy's name: without this line it reads as the built-in one.
    ...(routingFile === undefined ? [] : [`routing ${routingFile} (in place of the strategy's worker map)`]),
    ...(set === undefined ? [] : [`set ${set}`]),
    `faults ${faults}, workload ${workload}${seed === undefined ? '' : `, seed ${seed}`}`,
  ];
}

/** What the violating step is marked with, per property. */
export const MARKERS: Readonly<Record<PropertyName, string>> = Object.fromEntries(PROPERTY_NAMES.map((p) => [p, PROPERTY_LABELS[p].marker])) as Record<PropertyName, string>;

/** How to run `replay` where this uiasim is: `npm run uiasim -- replay` in its own checkout (the
 * script the repository defines), `npx uiasim replay` where it is an installed package, which
 * has no such script. Fixed for a given install, so stdout stays the same bytes run to run. */
export const REPLAY_COMMAND = import.meta.url.includes('/node_modules/uia-sim/') ? 'npx uiasim replay' : 'npm run uiasim -- replay';


/** `1 run`, `2 runs`: a count with its noun. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
