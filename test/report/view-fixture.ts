import type { TraceEvent } from '../../src/trace.js';
import type { TraceView } from '../../src/report/trace-view.js';

/** A small hand-made run with every kind of event: app A registers, reader1 crashes, a request
 * is lost, two days pass, a partition comes and goes, and the last 401 loses a stage. */
export const NODES = ['db', 'main', 'reader1', 'router', 'faults', 'app A', 'browser A'];
const [DB, MAIN, R1, ROUTER, , APP] = [0, 1, 2, 3, 4, 5];

export const EVENTS: TraceEvent[] = [
  { kind: 'observe', atMs: 0, actor: 0, msgId: 1, phase: 'sent', status: 0, servedBy: -1, key: '', detail: 'POST /register', tags: [] },
  { kind: 'deliver', atMs: 1, msgId: 1, msgKind: 'request', from: APP as number, to: ROUTER as number },
  { kind: 'deliver', atMs: 2, msgId: 2, msgKind: 'request', from: ROUTER as number, to: R1 as number },
  { kind: 'deliver', atMs: 3, msgId: 3, msgKind: 'command', from: R1 as number, to: DB as number },
  { kind: 'deliver', atMs: 4, msgId: 4, msgKind: 'result', from: DB as number, to: R1 as number },
  { kind: 'deliver', atMs: 4, msgId: 9, msgKind: 'timer', from: 4, to: 4 },
  { kind: 'deliver', atMs: 5, msgId: 5, msgKind: 'response', from: R1 as number, to: ROUTER as number },
  { kind: 'deliver', atMs: 6, msgId: 6, msgKind: 'response', from: ROUTER as number, to: APP as number },
  { kind: 'observe', atMs: 6, actor: 0, msgId: 1, phase: 'received', status: 401, servedBy: R1 as number, key: 'S1', detail: '', tags: ['m.login.terms'] },
  { kind: 'crash', atMs: 7, node: R1 as number, incarnation: 1 },
  { kind: 'observe', atMs: 8, actor: 0, msgId: 10, phase: 'sent', status: 0, servedBy: -1, key: 'S1', detail: 'POST /register', tags: [] },
  { kind: 'drop', atMs: 9, msgId: 10, reason: 'fault' },
  { kind: 'drop', atMs: 10, msgId: 77, reason: 'down' },
  { kind: 'restart', atMs: 1007, node: R1 as number, incarnation: 2 },
  { kind: 'observe', atMs: 172_900_000, actor: 0, msgId: 11, phase: 'sent', status: 0, servedBy: -1, key: 'S1', detail: 'POST /register', tags: [] },
  { kind: 'deliver', atMs: 172_900_001, msgId: 11, msgKind: 'request', from: APP as number, to: ROUTER as number },
  { kind: 'deliver', atMs: 172_900_002, msgId: 12, msgKind: 'request', from: ROUTER as number, to: MAIN as number },
  { kind: 'deliver', atMs: 172_900_003, msgId: 13, msgKind: 'response', from: MAIN as number, to: ROUTER as number },
  { kind: 'deliver', atMs: 172_900_004, msgId: 14, msgKind: 'response', from: ROUTER as number, to: APP as number },
  { kind: 'observe', atMs: 172_900_004, actor: 0, msgId: 11, phase: 'received', status: 401, servedBy: MAIN as number, key: 'S1', detail: '', tags: [] },
];

export const VIOLATION_INDEX = EVENTS.length - 1;

export function view(overrides: Partial<TraceView> = {}): TraceView {
  return {
    events: EVENTS,
    nodeNames: NODES,
    participants: [
      { name: 'app A', role: 'client' },
      { name: 'browser A', role: 'client' },
      { name: 'router', role: 'router' },
      { name: 'main', role: 'process' },
      { name: 'reader1', role: 'process' },
      { name: 'db', role: 'store' },
    ],
    actorNames: ['app A', 'browser A'],
    describe: (e) => ({ what: e.phase === 'sent' ? (e.key === '' ? 'POST /register (no session)' : 'POST /register auth {session}') : `${e.status}`, session: e.key === '' ? null : e.key, completed: e.phase === 'sent' ? null : e.tags }),
    violationIndex: VIOLATION_INDEX,
    marker: 'progress lost',
    notes: [
      { atMs: 20, over: ['reader1', 'db'], text: 'PARTITION: reader1 and db are cut off until 900 ms' },
      { atMs: 900, over: ['reader1', 'db'], text: 'partition healed' },
    ],
    quietGapMs: 60_000,
    sessionLifetimeMs: 48 * 3600 * 1000,
    ...overrides,
  };
}
