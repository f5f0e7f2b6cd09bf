import type { SessionStore, StoreContext, StoreDefinition, StoreService } from '../contract.js';
import type { HandlerDefect } from '../../synapse/defects.js';
import { UiAuthTables, type UiAuthCommand } from '../sql-tables.js';

/** The node a mutant's UI-auth tables live on; fault plans reach it as `store`. */
export const MUTANT_DATABASE = 'uiauth-db';

/** What a mutant is for: the property that must catch it, under which fault profile, and why
 * that property (and not another) is the one its defect breaks. Names are plain strings so the
 * model does not depend on properties/; the mutant suite checks them against PROPERTY_NAMES. */
export interface MutantCatch {
  readonly property: string;
  readonly faults: string;
  /** The Synapse profile the hunt runs (default `head`, the `sql` row's). */
  readonly profile?: '1.13' | 'head';
  /** The workload the hunt's clients run (default `registration`). */
  readonly workload?: 'registration' | 'session-reuse';
  readonly why: string;
}

export interface Mutant {
  readonly store: StoreDefinition;
  /** The one deliberate defect, in a sentence. */
  readonly defect: string;
  readonly caughtBy: MutantCatch;
  /** A defect in Synapse's handlers rather than the store (models/synapse/defects.ts): the
   * store is then `sql-faithful`'s construction under the mutant's name. */
  readonly handlerDefects?: readonly HandlerDefect[];
}

/**
 * A variant of the `sql` store (models/stores/sql.ts) on its own database node holding the
 * schema-delta-58 tables (uia §2.7). Its own node (rather than Synapse's `db`) makes every mutant
 * a valid `--store FILE` plug-in too, and lets one mutant be non-durable. `sql-faithful` below is
 * the same construction with no defect: the control that shows the node alone breaks nothing.
 */
export function mutantStore(name: string, connect: (context: StoreContext) => SessionStore, durable = true, newTables: () => UiAuthTables = () => new UiAuthTables()): StoreDefinition {
  return {
    name,
    backend: 'sql',
    placement: 'service',
    durable,
    service: {
      name: MUTANT_DATABASE,
      create: (): StoreService => {
        let tables = newTables();
        return {
          execute: (command: unknown) => tables.execute(command as UiAuthCommand),
          // A durable database keeps every committed row; a volatile one comes back empty.
          restart: () => {
            if (!durable) tables = newTables();
          },
        };
      },
    },
    connect,
  };
}

/** FNV-1a over a string: a deterministic "1 in N" that does not depend on the order of calls. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
