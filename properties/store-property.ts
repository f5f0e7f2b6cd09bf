import fc from 'fast-check';
import type { RoutingMap } from '../src/router.js';
import type { StoreDefinition } from '../models/stores/contract.js';
import { findStrategy, withPlugins } from '../models/strategies.js';
import type { ProfileName } from '../models/synapse/profile.js';
import type { Case } from '../models/world.js';
import { caseArbitrary } from './case-arbitrary.js';
import { checkCase } from './check-case.js';
import { DEFAULT_FAULT_PROFILE, findFaultProfile } from './fault-profiles.js';
import { pluginFile, replayToken } from './replay-token.js';
import type { PropertyName } from './violation.js';

export interface PluginPropertyOptions {
  /** The fault profile (default `any-restart`). */
  readonly faults?: string;
  readonly property?: PropertyName;
  /** The built-in strategy whose routing and profile the store runs with (default `sql`). */
  readonly strategy?: string;
  readonly profile?: ProfileName;
  /** A worker map of your own instead of the strategy's. */
  readonly routing?: RoutingMap;
  readonly mountsEverything?: boolean;
  /** Paths of the plug-in files, recorded in the replay token a failure prints. */
  readonly storeFile?: string;
  readonly routingFile?: string;
}

/** The property was violated: the message carries the reason and the replay token. */
export class PropertyViolation extends Error {}

/**
 * Turns your session store (and/or your worker map) into a fast-check property for your own
 * test suite: `fc.assert(storeProperty(myStore), { numRuns: 500 })`. A violation throws with the
 * reason and a replay token for `uiasim replay`, after fast-check has shrunk it.
 */
export function storeProperty(store: StoreDefinition | undefined, options: PluginPropertyOptions = {}): fc.IPropertyWithHooks<[Case]> {
  const base = findStrategy(options.strategy ?? 'sql');
  if (base === undefined) throw new Error(`storeProperty: unknown strategy ${options.strategy}`);
  const faultProfile = findFaultProfile(options.faults ?? DEFAULT_FAULT_PROFILE);
  if (faultProfile === undefined) throw new Error(`storeProperty: unknown fault profile ${options.faults}`);
  const routing = options.routing === undefined ? undefined : { routing: options.routing, mountsEverything: options.mountsEverything === true };
  const strategy = withPlugins(base, store, routing);
  const property = options.property ?? 'progress-never-lost';
  const plugins = {
    ...(options.storeFile === undefined ? {} : { store: pluginFile(options.storeFile) }),
    ...(options.routingFile === undefined ? {} : { routing: pluginFile(options.routingFile) }),
  };
  const arbitrary = caseArbitrary({ strategy: strategy.name, profile: options.profile ?? strategy.profile, faultProfile, workload: 'registration' });
  return fc.property(arbitrary, (c) => {
    const { result, violation } = checkCase(c, property, { strategy });
    if (violation === null) return;
    // The token names the plug-in files (with their hashes): replay loads them again.
    const token = replayToken(c, property, result.traceHash, plugins);
    throw new PropertyViolation(`${property} violated after ${violation.requests} requests: ${violation.why}\nreplay: npx uiasim replay ${token}`);
  });
}

/** The same for a worker map alone, with a built-in strategy's store (default `sql`). */
export function routingProperty(routing: RoutingMap, options: Omit<PluginPropertyOptions, 'routing'> = {}): fc.IPropertyWithHooks<[Case]> {
  return storeProperty(undefined, { ...options, routing });
}
