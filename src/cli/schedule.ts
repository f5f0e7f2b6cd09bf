import { actorName } from '../../models/clients/workload.js';
import type { Case, RunResult } from '../../models/world.js';
import type { Violation } from '../../properties/violation.js';
import type { ObserveEvent } from '../trace.js';

/**
 * The schedule of a counterexample, as `check` prints it under its steps: the non-natural
 * choices of each tape, and the requests of one session that were in flight at once (the
 * interleaving a race needs, which the steps alone, ordered by send time, do not show).
 */
export function scheduleLines(c: Case, result: RunResult, violation: Violation): string[] {
  return [...tapeLines(c), ...inFlightLines(result, violation)];
}

/** Each tape with a choice other than the natural order (entry mod the options it had; past the
 * end, the natural order). */
export function tapeLines(c: Case): string[] {
  if (c.explore !== undefined) return [`  schedule: explored path, decisions [${c.explore.decisions.join(', ')}]`];
  const named: (readonly [string, readonly number[]])[] = c.tapes.actors.map((tape, actor) => [actorName(actor), tape] as const).filter(([, tape]) => tape.length > 0);
  if (c.tapes.shared.length > 0) named.push(['shared', c.tapes.shared]);
  if (named.length === 0) return ['  schedule: the natural order (every tape empty)'];
  return named.map(([who, tape]) => `  schedule: ${who} tape [${tape.join(', ')}]`);
}

/** Pairs of requests about one session, up to the violating one, where the later was sent before
 * the earlier was answered. Numbers are the steps' numbers. */
export function inFlightLines(result: RunResult, violation: Violation): string[] {
  const answeredAtMs = new Map<number, number>();
  for (const e of result.observations) if (e.phase === 'received') answeredAtMs.set(e.msgId, e.atMs);
  const sent: ObserveEvent[] = [];
  for (const e of result.observations) {
    if (e.phase !== 'sent') continue;
    sent.push(e);
    if (e.msgId === violation.event.msgId) break;
  }
  const lines: string[] = [];
  const describe = (n: number, e: ObserveEvent): string => {
    const answered = answeredAtMs.get(e.msgId);
    return `${n} (${actorName(e.actor)}, sent ${e.atMs} ms, ${answered === undefined ? 'never answered' : `answered ${answered} ms`})`;
  };
  for (let i = 0; i < sent.length; i++) {
    const first = sent[i] as ObserveEvent;
    if (first.key === '') continue;
    const firstAnsweredMs = answeredAtMs.get(first.msgId) ?? Infinity;
    for (let j = i + 1; j < sent.length; j++) {
      const second = sent[j] as ObserveEvent;
      if (second.atMs >= firstAnsweredMs) break;
      if (second.key === first.key && second.actor !== first.actor) lines.push(`  in flight at once: requests ${describe(i + 1, first)} and ${describe(j + 1, second)}`);
    }
  }
  return lines;
}
