import { describe, expect, it } from 'vitest';
import type { Case } from '../../models/world.js';
import { findStrategy, type Strategy } from '../../models/strategies.js';
import { answeredBeforeCrash, modelAnswersOf, type CrashContext } from '../../real/crash-order.js';
import { SYNAPSE_PROCESSES } from '../../real/deployment.js';
import { realModelStrategy } from '../../real/model-side.js';
import type { RealVersion } from '../../real/versions.js';
import { captureCase } from '../../src/cli/replay.js';
import type { TraceEvent } from '../../src/trace.js';
import { CAPTCHA_WRITE_BEFORE_DATABASE_STOP, DATABASE_DOWN_THEN_BACK, DATABASE_STOP_AFTER_ANSWER } from '../fixtures/real/database-restart.js';

// Which real answers the driver awaits before it applies a model crash (real/crash-order.ts),
// on the model runs of conform's shrunk disagreements (test/real/v1.12.test.ts and
// v1.13-sql.test.ts replay them on real Synapse). No Synapse needed here.

/** The case's model run as the driver follows it, and its first crash. */
function modelRun(c: Case, version: RealVersion) {
  const strategy = realModelStrategy(findStrategy(c.strategy) as Strategy, version);
  const { events, nodeNames } = captureCase(c, ['progress-never-lost'], strategy).verdict.result;
  if (events === null) throw new Error('not captured');
  const crashAt = events.findIndex((e) => e.kind === 'crash');
  const context: CrashContext = { events, answers: modelAnswersOf(events), processes: SYNAPSE_PROCESSES.map((n) => nodeNames.indexOf(n)) };
  // What the driver has in flight at the crash: every request sent before it and not yet taken.
  const before = events.slice(0, crashAt);
  const taken = new Set(before.flatMap((e) => (e.kind === 'observe' && e.phase === 'received' ? [e.msgId] : [])));
  const pending = before.flatMap((e) => (e.kind === 'observe' && e.phase === 'sent' && !taken.has(e.msgId) ? [e.msgId] : []));
  /** The model's events as "who -> whom" lines (requests, responses and results), the crash and what clients see. */
  const lines = events.flatMap((e: TraceEvent) => {
    if (e.kind === 'crash') return [`crash ${nodeNames[e.node]}`];
    if (e.kind === 'deliver' && e.msgKind !== 'timer') return [`${e.msgKind} ${nodeNames[e.from]} -> ${nodeNames[e.to]}`];
    if (e.kind === 'observe') return [`${e.phase} ${e.phase === 'received' ? e.status : e.detail}`];
    return [];
  });
  return { context, crashAt, pending, lines };
}

const lifecycle = (kind: 'crash' | 'restart', atMs: number, node: number, nextMessageId: number): TraceEvent => ({ kind, atMs, node, incarnation: 1, nextMessageId });
const received = (msgId: number, atMs: number, servedBy: number, status: number): TraceEvent => ({ kind: 'observe', atMs, actor: 0, msgId, phase: 'received', status, servedBy, key: '', detail: '', tags: [] });
/** The router's message with an answer, delivered to the client (node 9). */
const deliver = (msgId: number, atMs: number): TraceEvent => ({ kind: 'deliver', atMs, msgId, msgKind: 'response', from: 3, to: 9 });

describe('real answers awaited before a crash', () => {
  it("the database crashes while reader1's answer is on its way: that answer first (1.12)", () => {
    const run = modelRun(DATABASE_STOP_AFTER_ANSWER, '1.12');
    expect(run.lines).toEqual(['sent POST /register', 'request app A -> router', 'request router -> reader1', 'command reader1 -> db', 'result db -> reader1', 'response reader1 -> router', 'crash db', 'response router -> app A', 'received 401']);
    expect(run.pending).toHaveLength(1);
    expect(answeredBeforeCrash(run.context, run.crashAt, run.pending)).toEqual(run.pending);
  });

  it('the database crashes before reader1 reads it: nothing is awaited, the 500 follows the crash (1.12)', () => {
    const run = modelRun(DATABASE_DOWN_THEN_BACK, '1.12');
    expect(run.lines.slice(0, 4)).toEqual(['sent POST /register', 'crash db', 'request app A -> router', 'request router -> reader1']);
    expect(run.lines).toContain('received 500');
    expect(run.pending).toHaveLength(1);
    expect(answeredBeforeCrash(run.context, run.crashAt, run.pending)).toEqual([]);
  });

  it("the database crashes as the result of main's captcha write is on its way: main's success page first (1.13)", () => {
    const run = modelRun(CAPTCHA_WRITE_BEFORE_DATABASE_STOP, '1.13');
    const crash = run.lines.indexOf('crash db');
    expect(run.lines.slice(crash - 2, crash + 4)).toEqual(['result captcha -> main', 'command main -> db', 'crash db', 'result db -> main', 'response main -> router', 'response router -> browser A']);
    expect(run.lines.at(-1)).toBe('received 200');
    expect(run.pending).toHaveLength(1);
    expect(answeredBeforeCrash(run.context, run.crashAt, run.pending)).toEqual(run.pending);
  });

  it('a process whose next answer after the crash is an error is not awaited, though the database had answered it a command', () => {
    const run = modelRun(CAPTCHA_WRITE_BEFORE_DATABASE_STOP, '1.13');
    const [msgId] = run.pending as [number];
    const answer = run.context.answers.get(msgId);
    if (answer === undefined) throw new Error('no answer');
    const answers = new Map(run.context.answers).set(msgId, { ...answer, status: 500 });
    expect(answeredBeforeCrash({ ...run.context, answers }, run.crashAt, run.pending)).toEqual([]);
  });

  it('a request the crashed process itself answered, taken before it is back, is awaited; one taken after is not', () => {
    // Synthetic: reader1 (node 1) answers request 7 and crashes; request 8 is answered by it
    // after its restart.
    const events: TraceEvent[] = [lifecycle('crash', 10, 1, 20), received(7, 11, 1, 401), lifecycle('restart', 20, 1, 30), received(8, 30, 1, 401)];
    const context: CrashContext = { events, answers: modelAnswersOf(events), processes: [0, 1, 2] };
    expect(answeredBeforeCrash(context, 0, [7, 8])).toEqual([7]);
  });

  it('answers are told apart by when the router sent them on, not by when their clients took them', () => {
    // Synthetic, as under pinned-1.12 with four clients (latencies differ per message): reader1
    // (node 1) hands request 7's answer to the router, which sends it on as message 20; the
    // database (node 0) crashes (the next message would be 21); reader1 answers request 8 after
    // the crash with a 500 (message 22), which its client takes first.
    const events: TraceEvent[] = [
      lifecycle('crash', 20, 0, 21),
      deliver(22, 27),
      received(8, 27, 1, 500),
      deliver(20, 38),
      received(7, 38, 1, 401),
    ];
    const context: CrashContext = { events, answers: modelAnswersOf(events), processes: [1, 2] };
    expect(answeredBeforeCrash(context, 0, [7, 8])).toEqual([7]);
  });
});
