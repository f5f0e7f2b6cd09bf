import fc from 'fast-check';
import type { RoutingMap } from '../src/router.js';
import type { StoreDefinition } from '../models/stores/contract.js';
import { WORKLOAD_NAMES } from '../models/clients/workload.js';
import { PluginDefinitionError } from '../models/plugin-error.js';
import { checkStoreDefinition } from '../models/stores/check-definition.js';
import { findStrategy, STRATEGY_NAMES, withPlugins } from '../models/strategies.js';
import type { Strategy } from '../models/strategies/strategy.js';
import { PROFILE_NAMES, type ProfileName } from '../models/synapse/profile.js';
import { checkRoutingMap } from '../models/topologies/routing-plugin.js';
import type { Case } from '../models/world.js';
import { caseArbitrary } from './case-arbitrary.js';
import { checkCase } from './check-case.js';
import { DEFAULT_FAULT_PROFILE, FAULT_PROFILES, findFaultProfile, type FaultProfile } from './fault-profiles.js';
import { pluginFile, replayToken } from './replay-token.js';
import { PROPERTY_NAMES, type PropertyName } from './violation.js';

/** A worker map as `routingProperty` takes it: a routing file's fields (docs/routing.md). */
export type RoutingMapOptions = Omit<RoutingMap, 'defaultUpstream'> & {
  /** Default: the main process. */
  readonly defaultUpstream?: string;
  readonly processes?: readonly { readonly name: string; readonly role: 'main' | 'worker' }[];
  readonly mounts?: 'synapse' | 'everything';
  readonly runBackgroundTasksOn?: string;
};

export interface PluginPropertyOptions {
  /** The fault profile (default `any-restart`). */
  readonly faults?: string;
  readonly property?: PropertyName;
  /** The clients' workload (default `registration`; `uiasim check` runs `mix`). */
  readonly workload?: string;
  /** The built-in strategy whose routing and profile the store runs with (default `sql`). */
  readonly strategy?: string;
  readonly profile?: ProfileName;
  /** A worker map of your own instead of the strategy's. */
  readonly routing?: RoutingMapOptions;
  /** Every process mounts every UIA endpoint (the map's `mounts: 'everything'` says the same). */
  readonly mountsEverything?: boolean;
  /** Paths of the plug-in files, recorded in the replay token a failure prints. Without the file a
   * plug-in came from, a failure prints no token: `uiasim replay` could not load the plug-in, and
   * a token naming only the base strategy would replay something else. */
  readonly storeFile?: string;
  readonly routingFile?: string;
}

/** The property was violated: the message carries the reason and the replay token. */
export class PropertyViolation extends Error {}

/**
 * Turns your session store (and/or your worker map) into a fast-check property for your own
 * test suite: `fc.assert(storeProperty(myStore), { numRuns: 500 })`. A violation throws with the
 * reason and a replay token for `uiasim replay`, after fast-check has shrunk it. Every option and
 * the plug-ins are checked here, before any run: a mistake throws at once, naming the field.
 */
export function storeProperty(store: StoreDefinition | undefined, options: PluginPropertyOptions = {}): fc.IPropertyWithHooks<[Case]> {
  return pluginProperty('storeProperty', store, options);
}

/** The same for a worker map alone, with a built-in strategy's store (default `sql`). */
export function routingProperty(routing: RoutingMapOptions, options: Omit<PluginPropertyOptions, 'routing'> = {}): fc.IPropertyWithHooks<[Case]> {
  return pluginProperty('routingProperty', undefined, { ...options, routing });
}

/** Both, errors named after the function the user called (`who`). */
function pluginProperty(who: string, store: StoreDefinition | undefined, options: PluginPropertyOptions): fc.IPropertyWithHooks<[Case]> {
  const fail = (message: string): never => {
    throw new Error(`${who}: ${message}`);
  };
  const pick = <T extends string>(kind: string, name: string, names: readonly T[]): T => (names.includes(name as T) ? (name as T) : fail(`unknown ${kind} ${name}; one of ${names.join(', ')}`));
  // Found: pick checked the names against these very lists.
  const base = findStrategy(pick('strategy', options.strategy ?? 'sql', STRATEGY_NAMES)) as Strategy;
  const faultProfile = findFaultProfile(pick('fault profile', options.faults ?? DEFAULT_FAULT_PROFILE, FAULT_PROFILES.map((f) => f.name))) as FaultProfile;
  const property = pick('property', options.property ?? 'progress-never-lost', PROPERTY_NAMES);
  const workload = pick('workload', options.workload ?? 'registration', WORKLOAD_NAMES);
  const strategy = pluginStrategy(base, store, options, fail);
  const profile = pick('profile', options.profile ?? strategy.profile, PROFILE_NAMES);
  const replayable = (store === undefined || options.storeFile !== undefined) && (options.routing === undefined || options.routingFile !== undefined);
  const plugins = {
    ...(options.storeFile === undefined ? {} : { store: pluginFile(options.storeFile) }),
    ...(options.routingFile === undefined ? {} : { routing: pluginFile(options.routingFile) }),
  };
  // Liveness draws persistent clients: the property is part of what the cases are for.
  const arbitrary = caseArbitrary({ strategy: strategy.name, profile, faultProfile, workload, property });
  return fc.property(arbitrary, (c) => {
    const { result, violation } = checkCase(c, property, { strategy });
    if (violation === null) return;
    // The token names the plug-in files (with their hashes): replay loads them again.
    const replay = replayable
      ? `npx uiasim replay ${replayToken(c, property, result.traceHash, plugins)}`
      : `no token: give ${who} the ${store !== undefined && options.storeFile === undefined ? 'storeFile' : 'routingFile'} option (the file the plug-in came from), for a token that loads it`;
    throw new PropertyViolation(`${property} violated after ${violation.requests} requests: ${violation.why}\nreplay: ${replay}`);
  });
}

/** The base strategy with the checked store and map swapped in; a wrong field fails, named
 * as the CLI names it for a file (`store: \`name\` must be ...`). */
function pluginStrategy(base: Strategy, store: StoreDefinition | undefined, options: PluginPropertyOptions, fail: (message: string) => never): Strategy {
  const checked = <T>(what: string, check: () => T): T => {
    try {
      return check();
    } catch (error) {
      if (error instanceof PluginDefinitionError) return fail(`${what}: ${error.message}`);
      throw error;
    }
  };
  const definition = store === undefined ? undefined : checked('store', () => checkStoreDefinition(store));
  const map = options.routing;
  const routing = map === undefined ? undefined : checked('routing map', () => checkRoutingMap(map));
  const mounted = routing === undefined ? undefined : { ...routing, mountsEverything: routing.mountsEverything || options.mountsEverything === true };
  return checked('plug-ins', () => withPlugins(base, definition, mounted));
}
