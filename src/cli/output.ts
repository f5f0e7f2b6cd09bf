import { PROFILES, type ProfileName } from '../../models/synapse/profile.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { PROPERTY_LABELS } from './property-labels.js';
import { describeSwitches } from './switches.js';
import type { Switches } from '../../models/synapse/profile-set.js';
import type { Case, RunResult } from '../../models/world.js';
import { describeFault } from '../faults.js';

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

/** An explored path's faults and workload, as the settings lines name them: the scope's, with
 * its faults placed by the explorer (not a fault profile's plan). */
export const EXPLORED_FAULTS = 'placed by the explorer';
export const EXPLORED_WORKLOAD = "the scope's";

/** What the settings lines of a case name as its faults and workload. */
export function caseLabels(c: Case): { readonly faults: string; readonly workload: string } {
  return c.explore === undefined ? { faults: c.faultProfile, workload: c.workload.name ?? 'registration' } : { faults: EXPLORED_FAULTS, workload: EXPLORED_WORKLOAD };
}

/** The crashes the explorer placed on the path, from the run's lifecycle events, as a
 * counterexample lists its faults. */
export function placedFaults(result: RunResult): string[] {
  return result.lifecycle
    .filter((e) => e.kind === 'crash')
    .map((e) => `${result.nodeNames[e.node] ?? `node ${e.node}`} crashes at ${e.atMs} ms (placed by the explorer) and restarts later`);
}

/** A case's faults as replay and regress list them: its plan's, or for an explored path the
 * crashes the explorer placed in the run (its plan is empty). */
export function caseFaults(c: Case, result: RunResult): string[] {
  return c.explore === undefined ? c.faultPlan.faults.map(describeFault) : placedFaults(result);
}
