import { isRecord, mustBe } from '../plugin-error.js';
import { STRATEGIES } from '../strategies.js';
import { INFRASTRUCTURE_NODE_NAMES, PROCESS_NAMES } from '../topologies/synapse-workers.js';
import type { StoreDefinition } from './contract.js';

const BACKENDS = ['memory', 'kv', 'sql'];
const PLACEMENTS = ['process', 'main', 'service'];
/** Node names a store's own service may not take: a crash of `main` would restart the store. The
 * default deployment's processes are refused even beside a routing file of other processes (the
 * store is checked before it meets one); withPlugins refuses that file's own. */
const TAKEN_NODE_NAMES: readonly string[] = [...INFRASTRUCTURE_NODE_NAMES, ...PROCESS_NAMES];

/** Checks a session store plug-in against the contract (models/stores/contract.ts); throws
 * PluginDefinitionError naming the first wrong field. */
export function checkStoreDefinition(value: unknown): StoreDefinition {
  if (!isRecord(value)) return mustBe('the export', 'an object (a StoreDefinition)');
  const s = value as Partial<StoreDefinition>;
  if (typeof s.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(s.name)) mustBe('name', 'a lower-case name ([a-z0-9._-])');
  if (STRATEGIES.some((strategy) => strategy.name === s.name)) mustBe('name', `a name no built-in strategy has (${s.name} is one)`);
  if (!BACKENDS.includes(s.backend as string)) mustBe('backend', `one of ${BACKENDS.join(', ')}`);
  if (!PLACEMENTS.includes(s.placement as string)) mustBe('placement', `one of ${PLACEMENTS.join(', ')}`);
  if (s.durable !== undefined && typeof s.durable !== 'boolean') mustBe('durable', 'a boolean (documentation: what survives a restart is what service.restart() keeps)');
  if (typeof s.connect !== 'function') mustBe('connect', 'a function (context) => SessionStore');
  const service = s.service as unknown;
  if (service !== undefined && (!isRecord(service) || typeof service['name'] !== 'string' || typeof service['create'] !== 'function')) mustBe('service', '{ name: string, create(): StoreService }');
  if (s.service !== undefined && TAKEN_NODE_NAMES.includes(s.service.name)) mustBe('service.name', `a name no other node has (not ${TAKEN_NODE_NAMES.join(', ')})`);
  // Synapse's own database node only speaks Synapse's statements: a service store brings its node.
  if (s.placement === 'service' && s.service === undefined) mustBe('service', "given for placement 'service': { name: string, create(): StoreService }");
  return s as StoreDefinition;
}
