import { CaseFormatError, decodeClientSpec } from '../case-codec.js';
import type { ClientAction } from '../clients/workload.js';
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

/** The fields each part of a scope file may have: a misspelt one (`restart` for `restarts`)
 * would otherwise fall back to its default without a word, and the proof be of another scope. */
const SCOPE_FIELDS = ['name', 'summary', 'clients', 'faults', 'bounds', 'profile', 'seed'];
const FAULT_FIELDS = ['restarts', 'processes', 'downMs', 'lostResponses'];
const BOUND_FIELDS = ['maxDecisions', 'raceWindowMs'];
const CLIENT_FIELDS = ['operation', 'actions', 'adoptsNewSession', 'retries', 'requestTimeoutMs', 'thinkMs', 'persistent'];
const ACTION_FIELDS: Readonly<Record<ClientAction['kind'], readonly string[]>> = {
  start: [],
  direct: ['stage', 'legacyUser'],
  fallback: ['stage', 'loadsPage', 'concurrent'],
  email: [],
  resubmit: ['concurrent'],
  pause: ['ms'],
  abandon: [],
  'wrong-operation': ['operation'],
  'other-user': [],
};

function onlyKnown(value: Record<string, unknown>, known: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new CaseFormatError(`field ${path}.${key}: not a field of ${path.replace(/\[\d+\]$/, '[]')} (it has ${known.join(', ')})`);
  }
}

/** The unknown fields of a scope file's clients and their actions (the decoder checks the known ones). */
function checkClientFields(value: unknown, path: string): void {
  const c = obj(value, path);
  onlyKnown(c, CLIENT_FIELDS, path);
  if (!Array.isArray(c['actions'])) return;
  c['actions'].forEach((a, i) => {
    if (a === null || typeof a !== 'object' || Array.isArray(a)) return;
    const action = a as Record<string, unknown>;
    const fields = Object.hasOwn(ACTION_FIELDS, String(action['kind'])) ? ACTION_FIELDS[action['kind'] as ClientAction['kind']] : undefined;
    if (fields !== undefined) onlyKnown(action, ['kind', ...fields], `${path}.actions[${i}]`);
  });
}

/** A scope written as JSON (docs/explore.md "Writing a scope"); `name` defaults to the file's. */
export function decodeScope(value: unknown, defaultName: string): Scope {
  const s = obj(value, 'scope');
  onlyKnown(s, SCOPE_FIELDS, 'scope');
  if (!Array.isArray(s['clients']) || s['clients'].length === 0) throw new CaseFormatError('field scope.clients: expected a non-empty array');
  // A client's fields but its actions default as the built-in scopes' do (SCOPE_CLIENT_DEFAULTS).
  s['clients'].forEach((c, i) => checkClientFields(c, `scope.clients[${i}]`));
  const clients = s['clients'].map((c, i) => decodeClientSpec({ ...SCOPE_CLIENT_DEFAULTS, ...obj(c, `scope.clients[${i}]`) }, `scope.clients[${i}]`));
  const f = s['faults'] === undefined ? {} : obj(s['faults'], 'scope.faults');
  onlyKnown(f, FAULT_FIELDS, 'scope.faults');
  const processes = f['processes'] === undefined ? [] : f['processes'];
  if (!Array.isArray(processes) || processes.some((p) => typeof p !== 'string' || !PROCESSES.includes(p))) {
    throw new CaseFormatError(`field scope.faults.processes: expected an array of ${PROCESSES.join(', ')}`);
  }
  // Restarts with no process to restart would explore no fault at all: say so, not "holds".
  if (typeof f['restarts'] === 'number' && f['restarts'] > 0 && processes.length === 0) {
    throw new CaseFormatError(`field scope.faults.processes: restarts ${String(f['restarts'])} needs the processes that may restart (of ${PROCESSES.join(', ')})`);
  }
  const b = s['bounds'] === undefined ? {} : obj(s['bounds'], 'scope.bounds');
  onlyKnown(b, BOUND_FIELDS, 'scope.bounds');
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
