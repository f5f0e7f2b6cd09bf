import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { NginxConfigError, parseNginxConfig } from '../routing/nginx.js';
import { checkRoutingMap, type RoutingPlugin } from '../../models/topologies/routing-plugin.js';
import { PROCESS_NAMES } from '../../models/topologies/synapse-workers.js';
import { pluginFile } from '../../properties/replay-token.js';
import { checkedAsBadInput, exported, importModule, type PluginFile } from './plugins.js';
import { UsageError } from './usage.js';
import { messageOf } from '../error-message.js';

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
      throw new UsageError(`routing file ${file} is not valid JSON: ${messageOf(error)}`);
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
 * the same map as JSON, YAML or an nginx config (models/topologies/routing-plugin.ts checks it). */
export async function loadRouting(file: string): Promise<{ readonly routing: RoutingPlugin; readonly plugin: PluginFile }> {
  const raw = await routingData(file);
  return { routing: checkedAsBadInput('routing', file, () => checkRoutingMap(raw)), plugin: pluginFile(file) };
}
