import type { TraceEvent } from '../src/trace.js';

/** How the model answered one client request: who gave the answer (-1: the router itself, a
 * 502), at which of the model's events its client took it, with which status. A request reset
 * or timed out has no answer. */
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

/** The id of the router's message carrying the answer the client took at event `at` (the
 * delivery just before the client's observation), or Infinity. The router sends it the moment
 * the process's answer reaches it, so the id orders answers by when the process handed them. */
function handedId(events: readonly TraceEvent[], at: number): number {
  const delivery = events[at - 1];
  return delivery?.kind === 'deliver' && delivery.msgKind === 'response' ? delivery.msgId : Number.POSITIVE_INFINITY;
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
  /** The model's Synapse processes (node ids), which answer clients through the router. */
  readonly processes: readonly number[];
}

/**
 * Of the requests in flight on the real deployment (`pending`, model message ids in the order
 * they were sent), those whose real answers must arrive before the crash at `events[crashAt]` is
 * applied, in the order to await them. The real crash follows the model's order: what the model
 * had done before its crash is done before the real one.
 *
 * - A request the crashed process answered in the model and its client took before the process
 *   was back: the answer was given before the crash (the client may take it later).
 * - A request another process had answered before the crash: the router had sent the answer on
 *   (its message's id is below the crash's `nextMessageId`). Its work, the database's part
 *   included, was done before the crash. Without this a database stop could come before a read
 *   or write the model's process had made and answered (conform --real 1.12 --faults
 *   store-restart: a 500 on real where the model had a 401).
 * - The first answer a process hands over after the crash, when the crashed node had answered
 *   it a command whose result was still on its way, unless that answer is a 5xx (which needed
 *   the crashed node after its crash): the request whose write was made just before the crash,
 *   if the process served one request then (conform --real 1.13 --faults store-restart: main's
 *   captcha stage, a 500 on real where the model showed the success page). With several requests
 *   on that process at once it may be another one: the trace does not say which request a
 *   command was for.
 */
export function answeredBeforeCrash(context: CrashContext, crashAt: number, pending: readonly number[]): number[] {
  const { events, answers, processes } = context;
  const crash = events[crashAt];
  if (crash?.kind !== 'crash') throw new Error(`crash order: event ${crashAt} is not a crash`);
  if (crash.nextMessageId === undefined) throw new Error('crash order: the model run recorded no message ids at its crashes');
  const sentBefore = crash.nextMessageId;
  const restartAt = nextRestart(events, crash.node, crashAt);
  const settle = pending.filter((msgId) => {
    const answer = answers.get(msgId);
    return answer !== undefined && answer.by === crash.node && answer.at < restartAt;
  });
  for (const node of processes) {
    if (node === crash.node) continue;
    const waiting = pending.filter((msgId) => answers.get(msgId)?.by === node && (answers.get(msgId)?.at ?? -1) > crashAt);
    const handed = (msgId: number): number => handedId(events, answers.get(msgId)?.at ?? 0);
    waiting.sort((a, b) => handed(a) - handed(b));
    const before = waiting.filter((msgId) => handed(msgId) < sentBefore);
    settle.push(...before);
    const next = waiting[before.length];
    if (next !== undefined && workedBeforeCrash(events, crash.node, node, crashAt, restartAt) && (answers.get(next)?.status ?? 500) < 500) settle.push(next);
  }
  return settle;
}
