import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { encodeToken } from '../src/run/token.js';
import { MODEL_VERSION, TOKEN_FORMAT, type TokenPayload, type TokenPluginFile } from '../models/case-codec.js';
import type { Case } from '../models/world.js';

export interface TokenPlugins {
  readonly base?: string;
  readonly store?: TokenPluginFile;
  readonly routing?: TokenPluginFile;
}

/** The replay token of a case (docs/architecture.md "Replay token"): the case, the property it violates,
 * the expected trace hash and the plug-in files it needs, with their hashes. */
export function replayToken(c: Case, property: string, traceHash: string, plugins?: TokenPlugins): string {
  const hasPlugins = plugins !== undefined && (plugins.store !== undefined || plugins.routing !== undefined);
  const payload: TokenPayload = { format: TOKEN_FORMAT, model: MODEL_VERSION, case: c, property, traceHash, ...(hasPlugins ? { plugins } : {}) };
  return encodeToken(payload);
}

/** A plug-in file as a token records it. */
export function pluginFile(file: string): TokenPluginFile {
  return { file, sha256: createHash('sha256').update(readFileSync(resolve(file))).digest('hex') };
}
