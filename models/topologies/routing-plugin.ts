import { unknownHashVariable, type Pool, type RouteRule, type RoutingMap } from '../../src/router.js';
import { isRecord, mustBe, PluginDefinitionError } from '../plugin-error.js';
import { INFRASTRUCTURE_NODE_NAMES, PROCESS_NAMES } from './synapse-workers.js';

/** A user's worker map (docs/routing.md), checked: what the strategy's routing is swapped for. */
export interface RoutingPlugin {
  readonly routing: RoutingMap;
  /** Every process mounts every UIA endpoint, the fallback included. */
  readonly mountsEverything: boolean;
  /** The process that sweeps expired sessions (Synapse's run_background_tasks_on). */
  readonly backgroundTasksOn?: string;
  /** The deployment's processes, when not main, reader1 and reader2. */
  readonly processes?: readonly { readonly name: string; readonly role: 'main' | 'worker' }[];
}

const BALANCERS = ['round-robin', 'random', 'ip_hash', 'cookie', 'affinity', 'hash'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
/** The fields each part of a routing map may have (docs/routing.md): a misspelt one would
 * otherwise be ignored, and its default used without a word. */
const MAP_FIELDS = ['rules', 'pools', 'defaultUpstream', 'processes', 'mounts', 'runBackgroundTasksOn'];
const POOL_FIELDS = ['balancer', 'upstreams', 'affinity', 'hash'];
const RULE_FIELDS = ['path', 'method', 'pool'];
const PROCESS_FIELDS = ['name', 'role'];

function known(value: Record<string, unknown>, where: string, fields: readonly string[]): void {
  const stray = Object.keys(value).find((key) => !fields.includes(key));
  if (stray !== undefined) throw new PluginDefinitionError(`${where} has no field \`${stray}\` (its fields: ${fields.join(', ')})`);
}

/** Checks a routing map as a routing file or `routingProperty` gives it, every field before the
 * router sees it; throws PluginDefinitionError naming the first wrong one. */
export function checkRoutingMap(raw: unknown): RoutingPlugin {
  if (!isRecord(raw)) return mustBe('the export', 'an object');
  known(raw, 'the map', MAP_FIELDS);
  let declared: { name: string; role: 'main' | 'worker' }[] | undefined;
  if (raw['processes'] !== undefined) {
    const list = raw['processes'];
    if (!Array.isArray(list) || list.length === 0) mustBe('processes', 'a non-empty list of { name, role: "main" | "worker" }');
    declared = (list as unknown[]).map((p, i) => {
      if (!isRecord(p)) return mustBe(`processes[${i}]`, '{ name, role: "main" | "worker" }');
      known(p, `processes[${i}]`, PROCESS_FIELDS);
      if (typeof p['name'] !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(p['name']) || INFRASTRUCTURE_NODE_NAMES.includes(p['name'])) mustBe(`processes[${i}].name`, `a lower-case name other than ${INFRASTRUCTURE_NODE_NAMES.join(', ')}`);
      if (p['role'] !== 'main' && p['role'] !== 'worker') mustBe(`processes[${i}].role`, '"main" or "worker"');
      return { name: p['name'] as string, role: p['role'] as 'main' | 'worker' };
    });
    if (new Set(declared.map((p) => p.name)).size !== declared.length) mustBe('processes', 'a list of distinct names');
    if (declared.filter((p) => p.role === 'main').length !== 1) mustBe('processes', 'a list with exactly one main');
  }
  const processes = declared?.map((p) => p.name) ?? (PROCESS_NAMES as readonly string[]);
  const mainName = declared?.find((p) => p.role === 'main')?.name ?? 'main';
  const defaultUpstream = raw['defaultUpstream'] ?? mainName;
  if (typeof defaultUpstream !== 'string' || !processes.includes(defaultUpstream)) mustBe('defaultUpstream', `one of ${processes.join(', ')}`);
  const pools = raw['pools'];
  if (!isRecord(pools)) return mustBe('pools', 'an object of named pools');
  for (const [name, pool] of Object.entries(pools)) {
    if (!isRecord(pool)) return mustBe(`pools.${name}`, '{ balancer, upstreams, affinity?, hash? }');
    known(pool, `pools.${name}`, POOL_FIELDS);
    checkPool(name, pool, processes);
  }
  const rules = raw['rules'];
  if (!Array.isArray(rules)) return mustBe('rules', 'a list of { path, method?, pool }');
  rules.forEach((rule: unknown, i) => {
    if (!isRecord(rule)) return mustBe(`rules[${i}]`, '{ path, method?, pool }');
    known(rule, `rules[${i}]`, RULE_FIELDS);
    if (typeof rule['path'] !== 'string') mustBe(`rules[${i}].path`, 'a regular expression (a string)');
    try {
      new RegExp(rule['path'] as string);
    } catch {
      mustBe(`rules[${i}].path`, 'a valid regular expression');
    }
    if (rule['method'] !== undefined && !METHODS.includes(rule['method'] as string)) mustBe(`rules[${i}].method`, `one of ${METHODS.join(', ')}`);
    // Own pools only: a pool named `toString` is not one because every object has it.
    if (typeof rule['pool'] !== 'string' || !Object.hasOwn(pools, rule['pool'])) mustBe(`rules[${i}].pool`, 'the name of one of `pools`');
  });
  const mounts = raw['mounts'] ?? 'synapse';
  if (mounts !== 'synapse' && mounts !== 'everything') mustBe('mounts', '"synapse" (workers mount what Synapse mounts) or "everything"');
  const background = raw['runBackgroundTasksOn'];
  if (background !== undefined && (typeof background !== 'string' || !processes.includes(background))) mustBe('runBackgroundTasksOn', `one of ${processes.join(', ')}`);
  const routing: RoutingMap = { rules: rules as RouteRule[], pools: pools as Record<string, Pool>, defaultUpstream: defaultUpstream as string };
  return {
    routing,
    mountsEverything: mounts === 'everything',
    ...(background === undefined ? (declared === undefined ? {} : { backgroundTasksOn: mainName }) : { backgroundTasksOn: background as string }),
    ...(declared === undefined ? {} : { processes: declared }),
  };
}

function checkPool(name: string, pool: Record<string, unknown>, processes: readonly string[]): void {
  if (!BALANCERS.includes(pool['balancer'] as string)) mustBe(`pools.${name}.balancer`, `one of ${BALANCERS.join(', ')}`);
  const upstreams = pool['upstreams'];
  if (!Array.isArray(upstreams) || upstreams.length === 0 || upstreams.some((u) => !processes.includes(u as string))) mustBe(`pools.${name}.upstreams`, `a non-empty list of ${processes.join(', ')}`);
  const affinity = pool['affinity'];
  if (pool['balancer'] === 'affinity' && (!isRecord(affinity) || typeof affinity['separator'] !== 'string')) mustBe(`pools.${name}.affinity`, '{ query?, bodyPath?, separator }');
  const hash = pool['hash'];
  if (pool['balancer'] === 'hash' && (!isRecord(hash) || typeof hash['key'] !== 'string' || typeof hash['consistent'] !== 'boolean' || unknownHashVariable(hash['key']) !== undefined)) {
    mustBe(`pools.${name}.hash`, '{ key, consistent: boolean }, the key using $remote_addr, $uri, $request_uri, $args, $arg_NAME or $cookie_NAME');
  }
}
