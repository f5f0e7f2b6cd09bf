import type { TraceEvent } from '../src/trace.js';

/** How the model answered one client request: who gave the answer (-1 for a reset or a
 * timeout), at which of the model's events its client took it, with which status. */
export interface ModelAnswer {
  readonly by: number;
  readonly at: number;
  readonly status: number;
}

/** Each model request's answer, by the request's message id. */
export function modelAnswersOf(events: readonly TraceEvent[]): Map<number, ModelAnswer> {
  const answers = new Map<number, ModelAnswer>();
  events.forEach((e, i) => {
    if (e.kind === 'observe' && e.phase === 'received') answers.set(e.msgId, { by: e.servedBy, at: i, status: e.status });
  });
  return answers;
}

/** The index of `node`'s next restart after event `from` (the end if none). */
export function nextRestart(events: readonly TraceEvent[], node: number, from: number): number {
  for (let i = from + 1; i < events.length; i++) {
    const e = events[i] as TraceEvent;
    if (e.kind === 'restart' && e.node === node) return i;
  }
  return events.length;
}

/** How many answers `node` had handed to `router` before event `before` that its clients had not
 * taken yet: answers given before a crash at `before`, on their way to the client. */
function answersOnTheirWay(events: readonly TraceEvent[], node: number, router: number, before: number): number {
  let given = 0;
  let taken = 0;
  for (let i = 0; i < before; i++) {
    const e = events[i] as TraceEvent;
    if (e.kind === 'deliver' && e.msgKind === 'response' && e.from === node && e.to === router) given++;
    else if (e.kind === 'observe' && e.phase === 'received' && e.servedBy === node) taken++;
  }
  return given - taken;
}

/** Whether `crashed` had answered a command of `node` whose result arrives only after its crash
 * at `at` (and before its restart): work done for `node` before the crash. */
function workedBeforeCrash(events: readonly TraceEvent[], crashed: number, node: number, at: number, restartAt: number): boolean {
  for (let i = at + 1; i < restartAt; i++) {
    const e = events[i] as TraceEvent;
    if (e.kind === 'deliver' && e.msgKind === 'result' && e.from === crashed && e.to === node) return true;
  }
  return false;
}

export interface CrashContext {
  readonly events: readonly TraceEvent[];
  readonly answers: ReadonlyMap<number, ModelAnswer>;
  /** The model's Synapse processes (node ids), which answer clients through `router`. */
  readonly processes: readonly number[];
  readonly router: number;
}

/**
 * Of the requests in flight on the real deployment (`pending`, model message ids in the order
 * they were sent), those whose real answers must arrive before the crash at `events[crashAt]` is
 * applied, in the order to await them. The real crash follows the model's order: what the model
 * had done before its crash is done before the real one.
 *
 * - A request the crashed process answered in the model and its client took before the process
 *   was back: the answer was given before the crash (the client may take it later).
 * - A request another process had answered before the crash, its answer on its way: its work,
 *   the database's part included, was done before it. A process's answers reach its clients in
 *   the order it gave them. Without this a database stop could come before a read or write the
 *   model's process had made and answered (conform --real 1.12 --faults store-restart: a 500
 *   on real where the model had a 401).
 * - The next request of a process the crashed node had answered a command for (the result still
 *   on its way), unless the model answers it with an error: a write made just before the crash
 *   (conform --real 1.13 --faults store-restart: main's captcha stage, a 500 on real where the
 *   model showed the success page). An error answer needed the crashed node after its crash.
 */
export function answeredBeforeCrash(context: CrashContext, crashAt: number, pending: readonly number[]): number[] {
  const { events, answers, processes, router } = context;
  const crash = events[crashAt];
  if (crash?.kind !== 'crash') throw new Error(`crash order: event ${crashAt} is not a crash`);
  const restartAt = nextRestart(events, crash.node, crashAt);
  const answerOf = (msgId: number): ModelAnswer | undefined => answers.get(msgId);
  const settle = pending.filter((msgId) => {
    const answer = answerOf(msgId);
    return answer !== undefined && answer.by === crash.node && answer.at < restartAt;
  });
  for (const node of processes) {
    if (node === crash.node) continue;
    const waiting = pending.filter((msgId) => answerOf(msgId)?.by === node && (answerOf(msgId)?.at ?? -1) > crashAt);
    waiting.sort((a, b) => (answerOf(a)?.at ?? 0) - (answerOf(b)?.at ?? 0));
    let count = answersOnTheirWay(events, node, router, crashAt);
    const following = waiting[count];
    if (following !== undefined && workedBeforeCrash(events, crash.node, node, crashAt, restartAt) && (answerOf(following)?.status ?? 500) < 500) count++;
    settle.push(...waiting.slice(0, count));
  }
  return settle;
}
