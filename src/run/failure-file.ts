import { messageOf } from '../error-message.js';

/**
 * A saved failure (`--save-failures DIR`): one JSON file per minimal counterexample, so a failure
 * found once stays found. The replay token is the case; the other fields are for people (and
 * are checked against the token on reading, so an edited file cannot tell a different story).
 * Schema (README "Failure files"), version 1:
 *   schemaVersion  1
 *   kind           "uiasim-failure"
 *   strategy, profile, faultProfile, property   what ran and what was violated
 *   requests, clients                           the counterexample's size
 *   faults         one sentence per fault of its plan
 *   why            the checker's sentence
 *   traceHash      the run's trace hash (a replay must reproduce it)
 *   token          the replay token (uiasim1....)
 *   timeline       the text timeline, one line per entry
 */
export const FAILURE_SCHEMA_VERSION = 1;
export const FAILURE_KIND = 'uiasim-failure';

export interface FailureFile {
  readonly schemaVersion: number;
  readonly kind: typeof FAILURE_KIND;
  readonly strategy: string;
  readonly profile: string;
  readonly faultProfile: string;
  readonly property: string;
  readonly requests: number;
  readonly clients: number;
  readonly faults: readonly string[];
  readonly why: string;
  readonly traceHash: string;
  readonly token: string;
  readonly timeline: readonly string[];
}

/** A failure file that cannot be read: not JSON, a field missing or of the wrong type, or a
 * schema version this uiasim does not know. The message names the file and the field. */
export class FailureFileError extends Error {}

export function serializeFailure(failure: Omit<FailureFile, 'schemaVersion' | 'kind'>): string {
  const file: FailureFile = { schemaVersion: FAILURE_SCHEMA_VERSION, kind: FAILURE_KIND, ...failure };
  return JSON.stringify(file, null, 2) + '\n';
}

/** `memory-1.8.steady.progress-never-lost.json`: one name per (strategy, fault profile, property);
 * `+` is kept, for a --routing case's `main-only+synapse-1.8.nginx` (src/cli/save-failures.ts). */
export function failureFileName(strategy: string, faultProfile: string, property: string): string {
  return `${[strategy, faultProfile, property].map((s) => s.replace(/[^A-Za-z0-9._+-]+/g, '_')).join('.')}.json`;
}

export function parseFailureFile(text: string, file: string): FailureFile {
  const fail = (field: string, problem: string): never => {
    throw new FailureFileError(`${file}: field ${field}: ${problem}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FailureFileError(`${file}: not a JSON failure file (${messageOf(error)})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FailureFileError(`${file}: not a JSON failure file (expected an object)`);
  const o = value as Record<string, unknown>;
  const version = o['schemaVersion'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) fail('schemaVersion', `expected a whole number >= 1, got ${JSON.stringify(version)}`);
  if (version !== FAILURE_SCHEMA_VERSION) {
    fail('schemaVersion', `this file has schema version ${String(version)}; this uiasim reads version ${FAILURE_SCHEMA_VERSION}${(version as number) > FAILURE_SCHEMA_VERSION ? ' (made by a newer uiasim)' : ''}`);
  }
  if (o['kind'] !== FAILURE_KIND) fail('kind', `expected "${FAILURE_KIND}", got ${JSON.stringify(o['kind'])}`);
  const str = (field: string): string => (typeof o[field] === 'string' ? (o[field] as string) : fail(field, `expected a string, got ${JSON.stringify(o[field])}`));
  const count = (field: string): number => {
    const n = o[field];
    return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : fail(field, `expected a whole number, got ${JSON.stringify(n)}`);
  };
  const strings = (field: string): string[] => {
    const a = o[field];
    if (!Array.isArray(a)) return fail(field, `expected an array of strings, got ${JSON.stringify(a)}`);
    return a.map((s, i) => (typeof s === 'string' ? s : fail(`${field}[${i}]`, `expected a string, got ${JSON.stringify(s)}`)));
  };
  return {
    schemaVersion: version as number,
    kind: FAILURE_KIND,
    strategy: str('strategy'),
    profile: str('profile'),
    faultProfile: str('faultProfile'),
    property: str('property'),
    requests: count('requests'),
    clients: count('clients'),
    faults: strings('faults'),
    why: str('why'),
    traceHash: str('traceHash'),
    token: str('token'),
    timeline: strings('timeline'),
  };
}
