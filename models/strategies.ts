import type { RoutingMap } from '../src/router.js';
import type { StoreDefinition } from './stores/contract.js';
import { mainRpcStore } from './stores/main-rpc.js';
import { memoryStore } from './stores/memory.js';
import { sqlCachedStore } from './stores/sql-cached.js';
import { redisBlobStore } from './stores/redis-blob.js';
import { redisHashStore } from './stores/redis-hash.js';
import { sqlStore } from './stores/sql.js';
import type { ProfileName } from './synapse/profile.js';
import {
  ROUTING_1_12_PINNED,
  ROUTING_1_8,
  ROUTING_ALL_TO_MAIN,
  ROUTING_SESSION_HASH,
  ROUTING_SHARDED,
  ROUTING_STICKY_COOKIE,
  ROUTING_STICKY_IP,
} from './topologies/synapse-workers.js';

/** A row of the comparison: a store, a routing map and a default profile (DESIGN.md "Words").
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
  /** ref 2.8: `run_background_tasks_on`, the process that sweeps expired sessions (main). */
  readonly backgroundTasksOn?: string;
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
    name: 'pinned-1.12',
    summary: 'the 1.12 documented workaround (#7048): /register and the fallback pinned to one client_reader',
    store: memoryStore,
    routing: ROUTING_1_12_PINNED,
    profile: '1.12',
  },
  {
    name: 'main-only',
    summary: "each process's own session dict; every UIA request to main",
    store: memoryStore,
    routing: ROUTING_ALL_TO_MAIN,
    profile: '1.8',
  },
  {
    name: 'sticky-ip',
    summary: "each process's own session dict; every process mounts every UIA endpoint; affinity by client IP",
    store: memoryStore,
    routing: ROUTING_STICKY_IP,
    profile: '1.8',
    mountsEverything: true,
  },
  {
    name: 'sticky-cookie',
    summary: "each process's own session dict; every process mounts every UIA endpoint; affinity by a router cookie",
    store: memoryStore,
    routing: ROUTING_STICKY_COOKIE,
    profile: '1.8',
    mountsEverything: true,
  },
  {
    name: 'main-rpc',
    summary: "sessions in main's memory; workers reach them over an internal HTTP API on main",
    store: mainRpcStore,
    routing: ROUTING_SHARDED,
    profile: 'head',
  },
  {
    name: 'redis-blob',
    summary: 'the whole session as one Redis value with a 48 h TTL, read-modify-write; Redis without persistence',
    store: redisBlobStore,
    routing: ROUTING_SHARDED,
    profile: 'head',
  },
  {
    name: 'redis-hash',
    summary: 'one Redis hash field per stage (HSET), EXPIRE after creation; Redis without persistence',
    store: redisHashStore,
    routing: ROUTING_SHARDED,
    profile: 'head',
  },
  {
    name: 'sql',
    summary: 'Synapse since 1.13 (#7302): sessions in the shared database; /register round-robin over both workers',
    store: sqlStore,
    routing: ROUTING_SHARDED,
    profile: 'head',
  },
  {
    name: 'sql-cached',
    summary: 'SQL behind a worker-side cache, invalidated over the replication stream with a lag',
    store: sqlCachedStore,
    routing: ROUTING_SHARDED,
    profile: 'head',
  },
  {
    name: 'session-hash',
    summary: "each process's own session dict; session IDs name their process and the router routes by them",
    store: memoryStore,
    routing: ROUTING_SESSION_HASH,
    profile: '1.8',
    mountsEverything: true,
    sessionIdsNameOwner: true,
  },
];

export const STRATEGY_NAMES = STRATEGIES.map((s) => s.name);

export function findStrategy(name: string): Strategy | undefined {
  return STRATEGIES.find((s) => s.name === name);
}

/** A built-in strategy with a user's store and/or worker map swapped in. A plug-in store names
 * the row (so it is compared side by side with the built-in ones). */
export function withPlugins(
  base: Strategy,
  store: StoreDefinition | undefined,
  routing: { readonly routing: RoutingMap; readonly mountsEverything: boolean; readonly backgroundTasksOn?: string } | undefined,
): Strategy {
  return {
    ...base,
    ...(store === undefined ? {} : { name: store.name, summary: `plug-in store ${store.name}`, store }),
    ...(routing === undefined ? {} : { routing: routing.routing, mountsEverything: routing.mountsEverything }),
    ...(routing?.backgroundTasksOn === undefined ? {} : { backgroundTasksOn: routing.backgroundTasksOn }),
  };
}
