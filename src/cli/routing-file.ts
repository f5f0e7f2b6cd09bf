import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { unknownHashVariable, type Pool, type RouteRule, type RoutingMap } from '../router.js';
import { NginxConfigError, parseNginxConfig } from '../routing/nginx.js';
import { PROCESS_NAMES } from '../../models/topologies/synapse-workers.js';
import { digest, exported, importModule, type PluginFile, type RoutingPlugin } from './plugins.js';
import { UsageError } from './usage.js';

/** Node names a deployment's process may not take. */
const RESERVED = ['db', 'router', 'faults', 'store'];
const BALANCERS = ['round-robin', 'random', 'ip_hash', 'cookie', 'affinity', 'hash'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
/** The fields each part of a routing map may have (docs/routing.md): a misspelt one would
 * otherwise be ignored, and its default used without a word. */
const MAP_FIELDS = ['rules', 'pools', 'defaultUpstream', 'processes', 'mounts', 'runBackgroundTasksOn'];
const POOL_FIELDS = ['balancer', 'upstreams', 'affinity', 'hash'];
const RULE_FIELDS = ['path', 'method', 'pool'];
const PROCESS_FIELDS = ['name', 'role'];

/** A routing file's map as data: a module's `routing` export, a JSON or YAML document of the
 * same shape, or an nginx config (docs/routing.md). */
async function routingData(file: string): Promise<unknown> {
  if (!/\.(json|ya?ml|conf|nginx)$/i.test(file)) return exported(await importModule(file, 'routing'), 'routing', file, 'routing');
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch {
    throw new UsageError(`routing file ${file} cannot be read`);
  }
  if (/\.json$/i.test(file)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new UsageError(`routing file ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (/\.ya?ml$/i.test(file)) {
    try {
      return parseYaml(text) as unknown;
    } catch (error) {
      throw new UsageError(`routing file ${file} is not valid YAML: ${error instanceof Error ? (error.message.split('\n')[0] as string) : String(error)}`);
    }
  }
  try {
    const { routing, processes } = parseNginxConfig(text);
    // Processes other than the default three are declared, the default upstream as main.
    const custom = processes.some((name) => !(PROCESS_NAMES as readonly string[]).includes(name)) || routing.defaultUpstream !== 'main';
    return { ...routing, ...(custom ? { processes: processes.map((name, i) => ({ name, role: i === 0 ? 'main' : 'worker' })) } : {}) };
  } catch (error) {
    if (error instanceof NginxConfigError) throw new UsageError(`routing file ${file} ${error.message}`);
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Loads and checks a routing plug-in: a module exporting `routing` (or a default export), or
 * the same map as JSON, YAML or an nginx config. Every field is checked before the router sees
 * it: a wrong one is one line and exit 2, never a crash inside a run. */
export async function loadRouting(file: string): Promise<{ readonly routing: RoutingPlugin; readonly plugin: PluginFile }> {
  const raw = await routingData(file);
  const bad = (field: string, expected: string): never => {
    throw new UsageError(`routing file ${file}: \`${field}\` must be ${expected}`);
  };
  const known = (value: Record<string, unknown>, where: string, fields: readonly string[]): void => {
    const stray = Object.keys(value).find((key) => !fields.includes(key));
    if (stray !== undefined) throw new UsageError(`routing file ${file}: ${where} has no field \`${stray}\` (its fields: ${fields.join(', ')})`);
  };
  if (!isRecord(raw)) return bad('the export', 'an object');
  known(raw, 'the map', MAP_FIELDS);
  let declared: { name: string; role: 'main' | 'worker' }[] | undefined;
  if (raw['processes'] !== undefined) {
    const list = raw['processes'];
    if (!Array.isArray(list) || list.length === 0) bad('processes', 'a non-empty list of { name, role: "main" | "worker" }');
    declared = (list as unknown[]).map((p, i) => {
      if (!isRecord(p)) return bad(`processes[${i}]`, '{ name, role: "main" | "worker" }');
      known(p, `processes[${i}]`, PROCESS_FIELDS);
      if (typeof p['name'] !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(p['name']) || RESERVED.includes(p['name'])) bad(`processes[${i}].name`, `a lower-case name other than ${RESERVED.join(', ')}`);
      if (p['role'] !== 'main' && p['role'] !== 'worker') bad(`processes[${i}].role`, '"main" or "worker"');
      return { name: p['name'] as string, role: p['role'] as 'main' | 'worker' };
    });
    if (new Set(declared.map((p) => p.name)).size !== declared.length) bad('processes', 'a list of distinct names');
    if (declared.filter((p) => p.role === 'main').length !== 1) bad('processes', 'a list with exactly one main');
  }
  const processes = declared?.map((p) => p.name) ?? (PROCESS_NAMES as readonly string[]);
  const mainName = declared?.find((p) => p.role === 'main')?.name ?? 'main';
  const defaultUpstream = raw['defaultUpstream'] ?? mainName;
  if (typeof defaultUpstream !== 'string' || !processes.includes(defaultUpstream)) bad('defaultUpstream', `one of ${processes.join(', ')}`);
  const pools = raw['pools'];
  if (!isRecord(pools)) return bad('pools', 'an object of named pools');
  for (const [name, pool] of Object.entries(pools)) {
    if (!isRecord(pool)) return bad(`pools.${name}`, '{ balancer, upstreams, affinity?, hash? }');
    known(pool, `pools.${name}`, POOL_FIELDS);
    checkPool(name, pool, processes, bad);
  }
  const rules = raw['rules'];
  if (!Array.isArray(rules)) return bad('rules', 'a list of { path, method?, pool }');
  rules.forEach((rule: unknown, i) => {
    if (!isRecord(rule)) return bad(`rules[${i}]`, '{ path, method?, pool }');
    known(rule, `rules[${i}]`, RULE_FIELDS);
    if (typeof rule['path'] !== 'string') bad(`rules[${i}].path`, 'a regular expression (a string)');
    try {
      new RegExp(rule['path'] as string);
    } catch {
      bad(`rules[${i}].path`, 'a valid regular expression');
    }
    if (rule['method'] !== undefined && !METHODS.includes(rule['method'] as string)) bad(`rules[${i}].method`, `one of ${METHODS.join(', ')}`);
    // Own pools only: a pool named `toString` is not one because every object has it.
    if (typeof rule['pool'] !== 'string' || !Object.hasOwn(pools, rule['pool'])) bad(`rules[${i}].pool`, 'the name of one of `pools`');
  });
  const mounts = raw['mounts'] ?? 'synapse';
  if (mounts !== 'synapse' && mounts !== 'everything') bad('mounts', '"synapse" (workers mount what Synapse mounts) or "everything"');
  const background = raw['runBackgroundTasksOn'];
  if (background !== undefined && (typeof background !== 'string' || !processes.includes(background))) bad('runBackgroundTasksOn', `one of ${processes.join(', ')}`);
  const routing: RoutingMap = { rules: rules as RouteRule[], pools: pools as Record<string, Pool>, defaultUpstream: defaultUpstream as string };
  return {
    routing: {
      routing,
      mountsEverything: mounts === 'everything',
      ...(background === undefined ? (declared === undefined ? {} : { backgroundTasksOn: mainName }) : { backgroundTasksOn: background as string }),
      ...(declared === undefined ? {} : { processes: declared }),
    },
    plugin: { file, sha256: digest(resolve(file)) },
  };
}

function checkPool(name: string, pool: Record<string, unknown>, processes: readonly string[], bad: (field: string, expected: string) => never): void {
  if (!BALANCERS.includes(pool['balancer'] as string)) bad(`pools.${name}.balancer`, `one of ${BALANCERS.join(', ')}`);
  const upstreams = pool['upstreams'];
  if (!Array.isArray(upstreams) || upstreams.length === 0 || upstreams.some((u) => !processes.includes(u as string))) bad(`pools.${name}.upstreams`, `a non-empty list of ${processes.join(', ')}`);
  const affinity = pool['affinity'];
  if (pool['balancer'] === 'affinity' && (!isRecord(affinity) || typeof affinity['separator'] !== 'string')) bad(`pools.${name}.affinity`, '{ query?, bodyPath?, separator }');
  const hash = pool['hash'];
  if (pool['balancer'] === 'hash' && (!isRecord(hash) || typeof hash['key'] !== 'string' || typeof hash['consistent'] !== 'boolean' || unknownHashVariable(hash['key']) !== undefined)) {
    bad(`pools.${name}.hash`, '{ key, consistent: boolean }, the key using $remote_addr, $uri, $request_uri, $args, $arg_NAME or $cookie_NAME');
  }
}
