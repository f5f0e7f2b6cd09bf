import { PluginDefinitionError } from './plugin-error.js';
import { checkedStore } from './stores/checked-store.js';
import type { StoreDefinition } from './stores/contract.js';
import { memory18Strategy } from './strategies/memory-1.8.js';
import { pinned112Strategy } from './strategies/pinned-1.12.js';
import { mainOnlyStrategy } from './strategies/main-only.js';
import { stickyIpStrategy } from './strategies/sticky-ip.js';
import { stickyCookieStrategy } from './strategies/sticky-cookie.js';
import { mainRpcStrategy } from './strategies/main-rpc.js';
import { redisBlobStrategy } from './strategies/redis-blob.js';
import { redisHashStrategy } from './strategies/redis-hash.js';
import { sqlStrategy } from './strategies/sql.js';
import { sqlCachedStrategy } from './strategies/sql-cached.js';
import { sessionHashStrategy } from './strategies/session-hash.js';
import type { Strategy } from './strategies/strategy.js';
import type { RoutingPlugin } from './topologies/routing-plugin.js';

export type { Strategy } from './strategies/strategy.js';

/** The rows, in the comparison's order; each strategy is a small module in models/strategies/. */
export const STRATEGIES: readonly Strategy[] = [
  memory18Strategy,
  pinned112Strategy,
  mainOnlyStrategy,
  stickyIpStrategy,
  stickyCookieStrategy,
  mainRpcStrategy,
  redisBlobStrategy,
  redisHashStrategy,
  sqlStrategy,
  sqlCachedStrategy,
  sessionHashStrategy,
];

export const STRATEGY_NAMES = STRATEGIES.map((s) => s.name);

export function findStrategy(name: string): Strategy | undefined {
  return STRATEGIES.find((s) => s.name === name);
}

/** A built-in strategy with a user's store and/or worker map swapped in. A plug-in store names
 * the row (so it is compared side by side with the built-in ones); its methods' yields are
 * checked (checked-store.ts). */
export function withPlugins(base: Strategy, store: StoreDefinition | undefined, routing: RoutingPlugin | undefined): Strategy {
  // A store's node named like a process of the routing would take that process's crashes.
  const serviceName = store?.service?.name;
  if (serviceName !== undefined && routing?.processes?.some((p) => p.name === serviceName) === true) {
    throw new PluginDefinitionError(`the store's service is named ${serviceName}, a process of the routing: give it another name`);
  }
  return {
    ...base,
    ...(store === undefined ? {} : { name: store.name, summary: `plug-in store ${store.name}`, store: checkedStore(store) }),
    ...(routing === undefined ? {} : { routing: routing.routing, mountsEverything: routing.mountsEverything }),
    ...(routing?.backgroundTasksOn === undefined ? {} : { backgroundTasksOn: routing.backgroundTasksOn }),
    ...(routing?.processes === undefined ? {} : { processes: routing.processes }),
  };
}
