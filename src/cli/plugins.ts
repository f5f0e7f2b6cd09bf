import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StoreDefinition } from '../../models/stores/contract.js';
import { PluginDefinitionError } from '../../models/plugin-error.js';
import { checkStoreDefinition } from '../../models/stores/check-definition.js';
import { pluginFile } from '../../properties/replay-token.js';
import { UsageError } from './usage.js';
import { messageOf } from '../error-message.js';

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

export type { RoutingPlugin } from '../../models/topologies/routing-plugin.js';


function digest(path: string): string {
  return pluginFile(path).sha256;
}

/** Imports a JavaScript or TypeScript module (TypeScript through tsx, loaded only then). */
export async function importModule(file: string, what: string): Promise<Record<string, unknown>> {
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
  const message = messageOf(error);
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
export function exported(module: Record<string, unknown>, name: string, file: string, what: string): unknown {
  // A named export that is there but null or undefined is the plug-in's mistake, checked as its
  // value (undefined: the export itself is refused as not an object).
  if (Object.hasOwn(module, name)) return module[name];
  const value = module['default'];
  if (value !== undefined) return value;
  const names = Object.keys(module).filter((key) => key !== 'default' && key !== '__esModule').sort();
  throw new UsageError(
    `${what} file ${file} exports no \`${name}\` and no default export; ${names.length === 0 ? 'it exports nothing' : `its exports: ${names.join(', ')}`}`,
  );
}

/** Loads and checks a session store plug-in (the contract of models/stores/contract.ts). */
export async function loadStore(file: string): Promise<{ readonly store: StoreDefinition; readonly plugin: PluginFile }> {
  const module = await importModule(file, 'store');
  return { store: checkedAsBadInput('store', file, () => checkStoreDefinition(exported(module, 'store', file, 'store'))), plugin: pluginFile(file) };
}

/** A plug-in file's check, its mistakes bad input naming the file (`store file F: ...`). */
export function checkedAsBadInput<T>(what: string, file: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof PluginDefinitionError) throw new UsageError(`${what} file ${file}: ${error.message}`);
    throw error;
  }
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
