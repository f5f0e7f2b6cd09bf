import { actorName } from '../../models/clients/workload.js';
import type { RunResult } from '../../models/world.js';
import type { Violation } from '../../properties/violation.js';
import type { ObserveEvent } from '../trace.js';

/** One client-side request of a run and what came back, as `check` and `replay` print it. */
export interface Step {
  readonly n: number;
  readonly atMs: number;
  readonly actor: string;
  readonly request: string;
  /** The session the request was about, or null. */
  readonly session: string | null;
  /** The process that served it, "router" for an answer of the router itself, null without answer. */
  readonly servedBy: string | null;
  readonly status: number | null;
  readonly response: string;
  readonly violation: boolean;
}

/** The client-side requests of a run, in the order they were sent; with a violation, every
 * request sent before the violating response arrived (one sent after the violating request but
 * answered first, a concurrent final say, is part of the story), then nothing more. */
export function stepsOf(result: RunResult, violation: Violation | null): Step[] {
  const answers = new Map<number, ObserveEvent>();
  for (const e of result.observations) if (e.phase === 'received') answers.set(e.msgId, e);
  const steps: Step[] = [];
  const until = violation === null ? result.observations.length : violation.observationIndex;
  for (let index = 0; index < until; index++) {
    const sent = result.observations[index] as ObserveEvent;
    if (sent.phase !== 'sent') continue;
    const answer = answers.get(sent.msgId);
    const isViolation = violation !== null && answer === violation.event;
    steps.push({
      n: steps.length + 1,
      atMs: sent.atMs,
      actor: actorName(sent.actor),
      request: describeRequest(sent),
      session: sent.key === '' ? null : sent.key,
      servedBy: answer === undefined ? null : answer.servedBy < 0 ? 'router' : (result.nodeNames[answer.servedBy] ?? `node ${answer.servedBy}`),
      status: answer === undefined ? null : answer.status,
      response: answer === undefined ? 'no response (the client timed out)' : describeResponse(answer),
      violation: isViolation,
    });
  }
  return steps;
}

export function describeRequest(sent: ObserveEvent): string {
  // An operation's own request ("POST /register", "DELETE /devices/DEVA2", ...): what it carries.
  if (/^(POST|DELETE|PUT) \/[^ ]*$/.test(sent.detail)) {
    if (sent.key === '') return `${sent.detail} (no session)`;
    const stage = sent.tags[0];
    return stage === undefined ? `${sent.detail} auth {session}` : `${sent.detail} auth {type: ${stage}, session}`;
  }
  return sent.detail.replace(/^(GET|POST) fallback /, '$1 fallback page for ');
}

function describeResponse(e: ObserveEvent): string {
  if (e.detail === 'page:form') return '200 the stage\'s form';
  if (e.detail === 'page:success') return `200 success page for ${e.key}`;
  if (e.detail === 'page:email-validated') return '200 email validated';
  if (e.detail.startsWith('page:')) return `${e.status} ${e.detail.slice('page:'.length)} page${e.key === '' ? '' : ` for ${e.key}`}`;
  if (e.status === 401 && e.key !== '') return `401 session ${e.key} completed [${e.tags.join(', ')}]${e.detail === '' ? '' : ` ${e.detail}`}`;
  if (e.status === 200 && e.detail.startsWith('@')) return `200 registered ${e.detail}`;
  if (e.status >= 200 && e.status < 300) return `${e.status} done`;
  if (e.status === 502) return '502 Bad Gateway';
  return `${e.status} ${e.detail}`.trimEnd();
}
