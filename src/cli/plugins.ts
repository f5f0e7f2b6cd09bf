import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { unknownHashVariable, type Pool, type RouteRule, type RoutingMap } from '../router.js';
import { NginxConfigError, parseNginxConfig } from '../routing/nginx.js';
import type { StoreDefinition } from '../../models/stores/contract.js';
import { STRATEGIES } from '../../models/strategies.js';
import { PROCESS_NAMES } from '../../models/topologies/synapse-workers.js';
import { pluginFile } from '../../properties/replay-token.js';
import { UsageError } from './usage.js';

/** A plug-in file as a token records it: the path given and the content's hash. */
export interface PluginFile {
  readonly file: string;
  readonly sha256: string;
}

export interface Plugins {
  /** The built-in strategy the plug-ins were combined with. */
  readonly base?: string;
  readonly store?: PluginFile;
  readonly routing?: PluginFile;
}

/** A user's worker map (README "Routing files"). */
export interface RoutingPlugin {
  readonly routing: RoutingMap;
  /** Every process mounts every UIA endpoint, the fallback included. */
  readonly mountsEverything: boolean;
  /** The process that sweeps expired sessions (Synapse's run_background_tasks_on). */
  readonly backgroundTasksOn?: string;
  /** The deployment's processes, when not main, reader1 and reader2. */
  readonly processes?: readonly { readonly name: string; readonly role: 'main' | 'worker' }[];
}

const BACKENDS = ['memory', 'kv', 'sql'];
/** Node names a deployment's process may not take. */
const RESERVED = ['db', 'router', 'faults', 'store'];
const PLACEMENTS = ['process', 'main', 'service'];
const BALANCERS = ['round-robin', 'random', 'ip_hash', 'cookie', 'affinity', 'hash'];

function digest(path: string): string {
  return pluginFile(path).sha256;
}

/** Imports a JavaScript or TypeScript module (TypeScript through tsx, loaded only then). */
async function importModule(file: string, what: string): Promise<Record<string, unknown>> {
  const path = resolve(file);
  try {
    readFileSync(path);
  } catch {
    throw new UsageError(`${what} file ${file} cannot be read`);
  }
  let module: Record<string, unknown>;
  try {
    if (/\.(c|m)?tsx?$/.test(path)) {
      const { tsImport } = await import('tsx/esm/api');
      module = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
    } else {
      module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    }
  } catch (error) {
    throw new UsageError(`${what} file ${file} ${await loadFailure(error, path, file)}`);
  }
  return ownExports(module);
}

/** Why a plug-in did not load, as the rest of one line: a syntax error at file:line:column, a
 * missing uia-sim package, or the loader's first line. */
async function loadFailure(error: unknown, path: string, file: string): Promise<string> {
  const message = error instanceof Error ? error.message : String(error);
  const located = (await syntaxErrorIn(path, file)) ?? syntaxErrorInMessage(message);
  if (located !== null) return `has a syntax error: ${located}`;
  const code = (error as { code?: unknown } | null)?.code;
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /['"]uia-sim['"/]/.test(message)) {
    return "imports uia-sim, which is not installed where the file is: install the package in the plug-in's project (docs/plugins.md, \"Installing\")";
  }
  return `failed to load: ${message.split('\n')[0] ?? ''}`;
}

/** file:line:column and the parser's message, from esbuild (the parser tsx loads TypeScript
 * with), or null when the file parses. Columns count from 1, as editors do. */
async function syntaxErrorIn(path: string, file: string): Promise<string | null> {
  const { transform } = await import('esbuild');
  const loader = /\.(c|m)?ts$/.test(path) ? 'ts' : /\.tsx$/.test(path) ? 'tsx' : /\.jsx$/.test(path) ? 'jsx' : 'js';
  try {
    await transform(readFileSync(path, 'utf8'), { loader, sourcefile: file });
    return null;
  } catch (error) {
    const first = (error as { errors?: { text: string; location: { line: number; column: number; lineText: string } | null }[] }).errors?.[0];
    if (first === undefined || first.location === null) return null;
    const { line, column, lineText } = first.location;
    // esbuild counts the column in UTF-8 bytes from 0.
    const character = Buffer.from(lineText, 'utf8').subarray(0, column).toString('utf8').length + 1;
    return `${file}:${line}:${character}: ${first.text}`;
  }
}

/** A syntax error tsx met in a file the plug-in imports ("<file>:3:16: ERROR: <message>"). */
function syntaxErrorInMessage(message: string): string | null {
  const found = /^(.+):(\d+):(\d+): ERROR: (.*)$/m.exec(message);
  if (found === null) return null;
  const [, where, line, column, text] = found;
  return `${where}:${line}:${Number(column) + 1}: ${text}`;
}

/** A module's own exports. A TypeScript file outside a `"type": "module"` project runs as
 * CommonJS under tsx: Node then shows its `module.exports` (marked `__esModule`) as the
 * default export, and that object holds the real ones, the real default export included. */
function ownExports(module: Record<string, unknown>): Record<string, unknown> {
  const wrapped = module['default'] as { __esModule?: unknown } | null | undefined;
  if (typeof wrapped === 'object' && wrapped !== null && wrapped.__esModule === true) return { ...(wrapped as Record<string, unknown>) };
  return module;
}

/** The export a plug-in offers: the named one, or `default`; missing, the line lists what the
 * file does export. */
function exported(module: Record<string, unknown>, name: string, file: string, what: string): unknown {
  const value = module[name] ?? module['default'];
  if (value !== undefined) return value;
  const names = Object.keys(module).filter((key) => key !== 'default' && key !== '__esModule').sort();
  throw new UsageError(
    `${what} file ${file} exports no \`${name}\` and no default export; ${names.length === 0 ? 'it exports nothing' : `its exports: ${names.join(', ')}`}`,
  );
}

/** Loads and checks a session store plug-in (the contract of models/stores/contract.ts). */
export async function loadStore(file: string): Promise<{ readonly store: StoreDefinition; readonly plugin: PluginFile }> {
  const module = await importModule(file, 'store');
  const store = exported(module, 'store', file, 'store') as Partial<StoreDefinition> | null;
  const bad = (field: string, expected: string): never => {
    throw new UsageError(`store file ${file}: \`${field}\` must be ${expected}`);
  };
  if (store === null || typeof store !== 'object') bad('the export', 'an object (a StoreDefinition)');
  const s = store as Partial<StoreDefinition>;
  if (typeof s.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(s.name)) bad('name', 'a lower-case name ([a-z0-9._-])');
  if (STRATEGIES.some((strategy) => strategy.name === s.name)) bad('name', `a name no built-in strategy has (${s.name} is one)`);
  if (!BACKENDS.includes(s.backend as string)) bad('backend', `one of ${BACKENDS.join(', ')}`);
  if (!PLACEMENTS.includes(s.placement as string)) bad('placement', `one of ${PLACEMENTS.join(', ')}`);
  if (s.durable !== undefined && typeof s.durable !== 'boolean') bad('durable', 'a boolean (documentation: what survives a restart is what service.restart() keeps)');
  if (typeof s.connect !== 'function') bad('connect', 'a function (context) => SessionStore');
  if (s.service !== undefined && (typeof s.service.name !== 'string' || typeof s.service.create !== 'function')) bad('service', '{ name: string, create(): StoreService }');
  // Synapse's own database node only speaks Synapse's statements: a service store brings its node.
  if (s.placement === 'service' && s.service === undefined) bad('service', "given for placement 'service': { name: string, create(): StoreService }");
  return { store: s as StoreDefinition, plugin: { file, sha256: digest(resolve(file)) } };
}

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

/** Loads and checks a routing plug-in: a module exporting `routing` (or a default export), or
 * the same map as JSON, YAML or an nginx config. */
export async function loadRouting(file: string): Promise<{ readonly routing: RoutingPlugin; readonly plugin: PluginFile }> {
  const raw = (await routingData(file)) as Record<string, unknown> | null;
  const bad = (field: string, expected: string): never => {
    throw new UsageError(`routing file ${file}: \`${field}\` must be ${expected}`);
  };
  if (raw === null || typeof raw !== 'object') bad('the export', 'an object');
  const r = raw as Record<string, unknown>;
  let declared: { name: string; role: 'main' | 'worker' }[] | undefined;
  if (r['processes'] !== undefined) {
    const list = r['processes'];
    if (!Array.isArray(list) || list.length === 0) bad('processes', 'a non-empty list of { name, role: "main" | "worker" }');
    declared = (list as unknown[]).map((entry, i) => {
      const p = entry as { name?: unknown; role?: unknown };
      if (typeof p.name !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(p.name) || RESERVED.includes(p.name)) bad(`processes[${i}].name`, `a lower-case name other than ${RESERVED.join(', ')}`);
      if (p.role !== 'main' && p.role !== 'worker') bad(`processes[${i}].role`, '"main" or "worker"');
      return { name: p.name as string, role: p.role as 'main' | 'worker' };
    });
    if (new Set(declared.map((p) => p.name)).size !== declared.length) bad('processes', 'a list of distinct names');
    if (declared.filter((p) => p.role === 'main').length !== 1) bad('processes', 'a list with exactly one main');
  }
  const processes = declared?.map((p) => p.name) ?? (PROCESS_NAMES as readonly string[]);
  const mainName = declared?.find((p) => p.role === 'main')?.name ?? 'main';
  const defaultUpstream = r['defaultUpstream'] ?? mainName;
  if (typeof defaultUpstream !== 'string' || !processes.includes(defaultUpstream)) bad('defaultUpstream', `one of ${processes.join(', ')}`);
  const pools = r['pools'];
  if (pools === null || typeof pools !== 'object' || Array.isArray(pools)) bad('pools', 'an object of named pools');
  for (const [name, pool] of Object.entries(pools as Record<string, Partial<Pool>>)) {
    if (!BALANCERS.includes(pool.balancer as string)) bad(`pools.${name}.balancer`, `one of ${BALANCERS.join(', ')}`);
    if (!Array.isArray(pool.upstreams) || pool.upstreams.length === 0 || pool.upstreams.some((u) => !processes.includes(u))) {
      bad(`pools.${name}.upstreams`, `a non-empty list of ${processes.join(', ')}`);
    }
    if (pool.balancer === 'affinity' && (pool.affinity === undefined || typeof pool.affinity.separator !== 'string')) bad(`pools.${name}.affinity`, '{ query?, bodyPath?, separator }');
    if (pool.balancer === 'hash' && (typeof pool.hash?.key !== 'string' || typeof pool.hash.consistent !== 'boolean' || unknownHashVariable(pool.hash.key) !== undefined)) {
      bad(`pools.${name}.hash`, '{ key, consistent: boolean }, the key using $remote_addr, $uri, $request_uri, $args, $arg_NAME or $cookie_NAME');
    }
  }
  const rules = r['rules'];
  if (!Array.isArray(rules)) bad('rules', 'a list of { path, method?, pool }');
  (rules as Partial<RouteRule>[]).forEach((rule, i) => {
    if (typeof rule.path !== 'string') bad(`rules[${i}].path`, 'a regular expression (a string)');
    try {
      new RegExp(rule.path as string);
    } catch {
      bad(`rules[${i}].path`, 'a valid regular expression');
    }
    if (typeof rule.pool !== 'string' || (pools as Record<string, unknown>)[rule.pool] === undefined) bad(`rules[${i}].pool`, 'the name of one of `pools`');
  });
  const mounts = r['mounts'] ?? 'synapse';
  if (mounts !== 'synapse' && mounts !== 'everything') bad('mounts', '"synapse" (workers mount what Synapse mounts) or "everything"');
  const background = r['runBackgroundTasksOn'];
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


/** Checks that a plug-in file still has the content a token recorded. */
export function checkUnchanged(plugin: PluginFile, what: string): void {
  let now: string;
  try {
    now = digest(resolve(plugin.file));
  } catch {
    throw new UsageError(`this token needs the ${what} file ${plugin.file}, which cannot be read`);
  }
  if (now !== plugin.sha256) throw new UsageError(`the ${what} file ${plugin.file} changed since the token was made (sha256 ${plugin.sha256.slice(0, 12)}..., now ${now.slice(0, 12)}...)`);
}
