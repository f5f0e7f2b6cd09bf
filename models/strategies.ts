import type { RoutingMap } from '../src/router.js';
import type { StoreDefinition } from './stores/contract.js';
import { memoryStore } from './stores/memory.js';
import { sqlStore } from './stores/sql.js';
import type { ProfileName } from './synapse/profile.js';
import { ROUTING_1_8, ROUTING_SHARDED } from './topologies/synapse-workers.js';

/** A row of the comparison: a store, a routing map and a default profile (DESIGN.md "Words"). */
export interface Strategy {
  readonly name: string;
  readonly summary: string;
  readonly store: StoreDefinition;
  readonly routing: RoutingMap;
  readonly profile: ProfileName;
}

export const STRATEGIES: readonly Strategy[] = [
  {
    name: 'memory-1.8',
    summary: "Synapse 1.8: each process's own session dict; /register to one client_reader, fallback to main (#6705)",
    store: memoryStore,
    routing: ROUTING_1_8,
    profile: '1.8',
  },
  {
    name: 'sql',
    summary: 'Synapse 1.13 (#7302): sessions in the shared database; /register round-robin over both workers',
    store: sqlStore,
    routing: ROUTING_SHARDED,
    profile: '1.13',
  },
];

export const STRATEGY_NAMES = STRATEGIES.map((s) => s.name);

export function findStrategy(name: string): Strategy | undefined {
  return STRATEGIES.find((s) => s.name === name);
}
