import { CaseFormatError, decodeClientSpec } from '../case-codec.js';
import { isProfileName } from '../synapse/profile.js';
import { DEFAULT_BOUNDS, NO_SCOPE_FAULTS, SCOPE_CLIENT_DEFAULTS, type Scope } from './scope.js';

const PROCESSES = ['main', 'reader1', 'reader2', 'db', 'store', 'captcha'];

function obj(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CaseFormatError(`field ${path}: expected an object`);
  return value as Record<string, unknown>;
}

function count(value: unknown, fallback: number, path: string, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new CaseFormatError(`field ${path}: expected an integer >= ${min}`);
  return value;
}

/** A scope written as JSON (docs/explore.md "Writing a scope"); `name` defaults to the file's. */
export function decodeScope(value: unknown, defaultName: string): Scope {
  const s = obj(value, 'scope');
  if (!Array.isArray(s['clients']) || s['clients'].length === 0) throw new CaseFormatError('field scope.clients: expected a non-empty array');
  // A client's fields but its actions default as the built-in scopes' do (SCOPE_CLIENT_DEFAULTS).
  const clients = s['clients'].map((c, i) => decodeClientSpec({ ...SCOPE_CLIENT_DEFAULTS, ...obj(c, `scope.clients[${i}]`) }, `scope.clients[${i}]`));
  const f = s['faults'] === undefined ? {} : obj(s['faults'], 'scope.faults');
  const processes = f['processes'] === undefined ? [] : f['processes'];
  if (!Array.isArray(processes) || processes.some((p) => typeof p !== 'string' || !PROCESSES.includes(p))) {
    throw new CaseFormatError(`field scope.faults.processes: expected an array of ${PROCESSES.join(', ')}`);
  }
  const b = s['bounds'] === undefined ? {} : obj(s['bounds'], 'scope.bounds');
  const profile = s['profile'];
  if (profile !== undefined && (typeof profile !== 'string' || !isProfileName(profile))) throw new CaseFormatError('field scope.profile: expected a known profile');
  const name = s['name'] === undefined ? defaultName : s['name'];
  if (typeof name !== 'string') throw new CaseFormatError('field scope.name: expected a string');
  return {
    name,
    summary: typeof s['summary'] === 'string' ? s['summary'] : `${clients.length} client(s) from a scope file`,
    clients,
    faults: {
      restarts: count(f['restarts'], NO_SCOPE_FAULTS.restarts, 'scope.faults.restarts'),
      processes: processes as string[],
      downMs: count(f['downMs'], NO_SCOPE_FAULTS.downMs, 'scope.faults.downMs', 1),
      lostResponses: count(f['lostResponses'], NO_SCOPE_FAULTS.lostResponses, 'scope.faults.lostResponses'),
    },
    bounds: {
      maxDecisions: count(b['maxDecisions'], DEFAULT_BOUNDS.maxDecisions, 'scope.bounds.maxDecisions'),
      raceWindowMs: count(b['raceWindowMs'], DEFAULT_BOUNDS.raceWindowMs, 'scope.bounds.raceWindowMs'),
    },
    ...(profile === undefined ? {} : { profile: profile as Scope['profile'] & string }),
    seed: count(s['seed'], 1, 'scope.seed'),
  };
}
