import type { RoutingMap } from '../../src/router.js';
import type { StoreDefinition } from '../stores/contract.js';
import type { HandlerDefect } from '../synapse/defects.js';
import type { ProfileName } from '../synapse/profile.js';

/** A row of the comparison: a store, a routing map and a default profile (docs/architecture.md "Words").
 * Every proposal made in #6705 keeps a row. */
export interface Strategy {
  readonly name: string;
  readonly summary: string;
  readonly store: StoreDefinition;
  readonly routing: RoutingMap;
  readonly profile: ProfileName;
  /** Every process mounts every UIA endpoint (otherwise the profile's worker mounts). */
  readonly mountsEverything?: boolean;
  /** Session IDs name the process that created them (for affinity routing). */
  readonly sessionIdsNameOwner?: boolean;
  /** uia §2.8: `run_background_tasks_on`, the process that sweeps expired sessions (main). */
  readonly backgroundTasksOn?: string;
  /** The deployment's processes (default: main, reader1, reader2). */
  readonly processes?: readonly { readonly name: string; readonly role: 'main' | 'worker' }[];
  /** Handler defects planted by a mutant (docs/compare.md#mutants); never set by a real row. */
  readonly defects?: readonly HandlerDefect[];
}
