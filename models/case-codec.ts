import type { Fault } from '../src/faults.js';
import type { CaptchaBehaviour, CaptchaWindow } from './synapse/captcha-service.js';
import { DIRECT_STAGES, FALLBACK_CLIENT_STAGES, OPERATIONS, WORKLOAD_NAMES, type ClientAction, type ClientSpec, type Workload } from './clients/workload.js';
import { isProfileName } from './synapse/profile.js';
import { checkSwitch, SwitchError, type Switches } from './synapse/profile-set.js';
import type { Case, CaseExploration } from './world.js';

/** The model version in tokens: a token from another version replays with a warning.
 * 2: issue 3 (every UIA endpoint and stage, operations and workloads in the case); version-1
 * tokens still decode (a client without an operation registers). */
export const MODEL_VERSION = 2;
export const TOKEN_FORMAT = 1;

/** A decoded token or saved case with a field of the wrong shape. */
export class CaseFormatError extends Error {}

type Json = Record<string, unknown>;

function fail(path: string, expected: string): never {
  throw new CaseFormatError(`field ${path}: expected ${expected}`);
}

function obj(value: unknown, path: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object');
  return value as Json;
}

function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array');
  return value;
}

function int(value: unknown, path: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) fail(path, `an integer >= ${min}`);
  return value;
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'a boolean');
  return value;
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string');
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) fail(path, `one of ${choices.join(', ')}`);
  return value as T;
}

function optionalBool(value: unknown, path: string): { readonly present: false } | { readonly present: true; readonly value: boolean } {
  return value === undefined ? { present: false } : { present: true, value: bool(value, path) };
}

function action(value: unknown, path: string): ClientAction {
  const a = obj(value, path);
  const kind = oneOf(a['kind'], `${path}.kind`, ['start', 'direct', 'fallback', 'email', 'resubmit', 'pause', 'abandon', 'wrong-operation', 'other-user'] as const);
  switch (kind) {
    case 'start':
    case 'email':
    case 'abandon':
    case 'other-user':
      return { kind };
    case 'wrong-operation':
      return { kind, operation: oneOf(a['operation'], `${path}.operation`, OPERATIONS) };
    case 'resubmit': {
      const concurrent = optionalBool(a['concurrent'], `${path}.concurrent`);
      return concurrent.present ? { kind, concurrent: concurrent.value } : { kind };
    }
    case 'direct': {
      const stage = oneOf(a['stage'], `${path}.stage`, DIRECT_STAGES);
      const legacyUser = optionalBool(a['legacyUser'], `${path}.legacyUser`);
      return legacyUser.present ? { kind, stage, legacyUser: legacyUser.value } : { kind, stage };
    }
    case 'fallback': {
      const base = { kind, stage: oneOf(a['stage'], `${path}.stage`, FALLBACK_CLIENT_STAGES), loadsPage: bool(a['loadsPage'], `${path}.loadsPage`) };
      const concurrent = optionalBool(a['concurrent'], `${path}.concurrent`);
      return concurrent.present ? { ...base, concurrent: concurrent.value } : base;
    }
    case 'pause':
      return { kind, ms: int(a['ms'], `${path}.ms`) };
  }
}

function client(value: unknown, path: string): ClientSpec {
  const c = obj(value, path);
  if (typeof c['adoptsNewSession'] !== 'boolean') fail(`${path}.adoptsNewSession`, 'a boolean');
  return {
    ...(c['operation'] === undefined ? {} : { operation: oneOf(c['operation'], `${path}.operation`, OPERATIONS) }),
    actions: arr(c['actions'], `${path}.actions`).map((a, i) => action(a, `${path}.actions[${i}]`)),
    adoptsNewSession: c['adoptsNewSession'],
    retries: int(c['retries'], `${path}.retries`),
    requestTimeoutMs: int(c['requestTimeoutMs'], `${path}.requestTimeoutMs`, 1),
    thinkMs: int(c['thinkMs'], `${path}.thinkMs`),
    ...(c['persistent'] === undefined ? {} : { persistent: bool(c['persistent'], `${path}.persistent`) }),
  };
}

function fault(value: unknown, path: string): Fault {
  const f = obj(value, path);
  const kind = oneOf(f['kind'], `${path}.kind`, ['crash', 'partition', 'drop', 'ip-change'] as const);
  switch (kind) {
    case 'crash': {
      const base = { kind, node: str(f['node'], `${path}.node`), atMs: int(f['atMs'], `${path}.atMs`), downMs: int(f['downMs'], `${path}.downMs`) };
      return f['after'] === undefined ? base : { ...base, after: anchor(f['after'], `${path}.after`) };
    }
    case 'ip-change': {
      const base = { kind, actor: str(f['actor'], `${path}.actor`), atMs: int(f['atMs'], `${path}.atMs`), ip: str(f['ip'], `${path}.ip`) };
      return f['after'] === undefined ? base : { ...base, after: anchor(f['after'], `${path}.after`) };
    }
    case 'partition':
      return { kind, a: str(f['a'], `${path}.a`), b: str(f['b'], `${path}.b`), fromMs: int(f['fromMs'], `${path}.fromMs`), untilMs: int(f['untilMs'], `${path}.untilMs`) };
    case 'drop':
      return { kind, actor: str(f['actor'], `${path}.actor`), direction: oneOf(f['direction'], `${path}.direction`, ['request', 'response'] as const), nth: int(f['nth'], `${path}.nth`, 1) };
  }
}

function anchor(value: unknown, path: string): { actor: string; nthResponse: number } {
  const after = obj(value, path);
  return { actor: str(after['actor'], `${path}.actor`), nthResponse: int(after['nthResponse'], `${path}.nthResponse`, 1) };
}

function captcha(value: unknown, path: string): CaptchaBehaviour {
  const windows = arr(obj(value, path)['windows'], `${path}.windows`).map((w, i): CaptchaWindow => {
    const at = `${path}.windows[${i}]`;
    const window = obj(w, at);
    const base = { fromMs: int(window['fromMs'], `${at}.fromMs`), untilMs: int(window['untilMs'], `${at}.untilMs`), mode: oneOf(window['mode'], `${at}.mode`, ['slow', 'failing'] as const) };
    return window['delayMs'] === undefined ? base : { ...base, delayMs: int(window['delayMs'], `${at}.delayMs`) };
  });
  return { windows };
}

/** `--set` switches (absent in tokens made before them, which decode as before). */
function switches(value: unknown, path: string): Switches {
  const out: Record<string, boolean | number | string> = {};
  for (const [name, v] of Object.entries(obj(value, path))) {
    try {
      out[name] = checkSwitch(name, v);
    } catch (error) {
      if (error instanceof SwitchError) fail(`${path}.${name}`, error.message);
      throw error;
    }
  }
  return out;
}

function tape(value: unknown, path: string): number[] {
  return arr(value, path).map((v, i) => int(v, `${path}[${i}]`));
}

function decodeWorkload(workload: Json, path: string): Workload {
  const clients = arr(workload['clients'], `${path}.clients`).map((x, i) => client(x, `${path}.clients[${i}]`));
  return workload['name'] === undefined ? { clients } : { name: oneOf(workload['name'], `${path}.name`, WORKLOAD_NAMES), clients };
}

function exploration(value: unknown, path: string): CaseExploration {
  const e = obj(value, path);
  return {
    decisions: tape(e['decisions'], `${path}.decisions`),
    raceWindowMs: int(e['raceWindowMs'], `${path}.raceWindowMs`),
    crashes: int(e['crashes'], `${path}.crashes`),
    crashable: arr(e['crashable'], `${path}.crashable`).map((n, i) => str(n, `${path}.crashable[${i}]`)),
    downMs: int(e['downMs'], `${path}.downMs`, 1),
    lostResponses: int(e['lostResponses'], `${path}.lostResponses`),
  };
}

/** A client of a scope file (models/scopes/), checked like a token's. */
export function decodeClientSpec(value: unknown, path: string): ClientSpec {
  return client(value, path);
}

/** Checks every field of a decoded case; throws CaseFormatError naming the first bad one. */
export function decodeCase(value: unknown, path = 'case'): Case {
  const c = obj(value, path);
  const profile = str(c['profile'], `${path}.profile`);
  if (!isProfileName(profile)) fail(`${path}.profile`, 'a known profile');
  const workload = obj(c['workload'], `${path}.workload`);
  const plan = obj(c['faultPlan'], `${path}.faultPlan`);
  const tapes = obj(c['tapes'], `${path}.tapes`);
  return {
    strategy: str(c['strategy'], `${path}.strategy`),
    profile,
    faultProfile: str(c['faultProfile'], `${path}.faultProfile`),
    workload: decodeWorkload(workload, `${path}.workload`),
    faultPlan: { faults: arr(plan['faults'], `${path}.faultPlan.faults`).map((x, i) => fault(x, `${path}.faultPlan.faults[${i}]`)) },
    tapes: {
      actors: arr(tapes['actors'], `${path}.tapes.actors`).map((t, i) => tape(t, `${path}.tapes.actors[${i}]`)),
      shared: tape(tapes['shared'], `${path}.tapes.shared`),
    },
    seed: int(c['seed'], `${path}.seed`),
    ...(c['captcha'] === undefined ? {} : { captcha: captcha(c['captcha'], `${path}.captcha`) }),
    ...(c['switches'] === undefined ? {} : { switches: switches(c['switches'], `${path}.switches`) }),
    ...(c['explore'] === undefined ? {} : { explore: exploration(c['explore'], `${path}.explore`) }),
  };
}

/** A plug-in file a token's case needs, with the hash of the content it was made with. */
export interface TokenPluginFile {
  readonly file: string;
  readonly sha256: string;
}

/** The plug-in files a token's case ran with (none for a built-in strategy). */
export function pluginFilesOf(payload: TokenPayload): string[] {
  const plugins = payload.plugins;
  return [plugins?.store?.file, plugins?.routing?.file].filter((file): file is string => file !== undefined);
}

/** What a replay token carries besides the case. */
export interface TokenPayload {
  readonly format: number;
  readonly model: number;
  readonly case: Case;
  readonly property: string;
  readonly traceHash: string;
  /** Plug-in files, and the built-in strategy whose routing and profile a plug-in store ran with. */
  readonly plugins?: { readonly base?: string; readonly store?: TokenPluginFile; readonly routing?: TokenPluginFile };
}

function pluginFile(value: unknown, path: string): TokenPluginFile {
  const p = obj(value, path);
  return { file: str(p['file'], `${path}.file`), sha256: str(p['sha256'], `${path}.sha256`) };
}

export function decodeTokenPayload(value: unknown): TokenPayload {
  const p = obj(value, 'token');
  const format = int(p['format'], 'token.format', 1);
  if (format !== TOKEN_FORMAT) fail('token.format', `format ${TOKEN_FORMAT} (this token has ${format})`);
  const payload: TokenPayload = {
    format,
    model: int(p['model'], 'token.model', 1),
    case: decodeCase(p['case']),
    property: str(p['property'], 'token.property'),
    traceHash: str(p['traceHash'], 'token.traceHash'),
  };
  if (p['plugins'] === undefined) return payload;
  const plugins = obj(p['plugins'], 'token.plugins');
  return {
    ...payload,
    plugins: {
      ...(plugins['base'] === undefined ? {} : { base: str(plugins['base'], 'token.plugins.base') }),
      ...(plugins['store'] === undefined ? {} : { store: pluginFile(plugins['store'], 'token.plugins.store') }),
      ...(plugins['routing'] === undefined ? {} : { routing: pluginFile(plugins['routing'], 'token.plugins.routing') }),
    },
  };
}
