import type { ObserveEvent } from '../src/trace.js';
import { actorName, clientOfActor } from '../models/clients/workload.js';
import type { Case, RunResult } from '../models/world.js';
import { CHECKERS } from '../properties/checkers/index.js';
import type { PropertyName } from '../properties/violation.js';
import type { RealRun } from './driver.js';

/** What one side saw of one request: the fields a model answer and a real one are compared by. */
export interface Answer {
  readonly status: string;
  readonly errcode: string;
  readonly completed: string;
  /** `same` session as the request carried, `new` one, or `-` (the answer names none). */
  readonly session: string;
  readonly user: string;
  /** Who answered (shown, not compared: nginx's ip_hash is not the model's hash). */
  readonly servedBy: string;
}

export interface Row {
  readonly request: number;
  readonly actor: string;
  readonly what: string;
  readonly model: Answer | null;
  readonly real: Answer | null;
  readonly agree: boolean;
  /** The model had this request in flight together with another: the real processes may take
   * them in the other order, so a difference here is a race, not a disagreement (docs/architecture.md
   * "Real deployments": such cases show a distribution). */
  readonly raced: boolean;
  /** An earlier request of the same client got different answers in a race: from there the
   * client's two runs have parted (one side has a session, a stage or an account the other has
   * not), so a difference here follows from the race (a request sent on one side only, or sent
   * with another session), not a disagreement. */
  readonly afterRace: boolean;
}

/** agree, DIFFER, race (a difference on a request in flight together with another), or after
 * race (a difference on a later request of a client whose answers raced). */
export function rowMark(row: Row): 'agree' | 'DIFFER' | 'race' | 'after race' {
  return row.agree ? 'agree' : row.raced ? 'race' : row.afterRace ? 'after race' : 'DIFFER';
}

/** Index ranges [sent, received] of each request; an unanswered one stays open to the end. */
function racedRequests(observations: readonly ObserveEvent[]): Set<number> {
  const spans: [number, number][] = [];
  observations.forEach((o, i) => {
    if (o.phase !== 'sent') return;
    const end = observations.findIndex((r, j) => j > i && r.phase === 'received' && r.msgId === o.msgId && r.actor === o.actor);
    spans.push([i, end < 0 ? observations.length : end]);
  });
  const raced = new Set<number>();
  for (const [a, b] of spans) for (const [c, d] of spans) if (a !== c && a < d && c < b) raced.add(a);
  return raced;
}

const FIELDS = ['status', 'errcode', 'completed', 'session', 'user'] as const;

/** Two answers agree field by field; the completed list as a set: from 1.13 Synapse reads it
 * from `ui_auth_sessions_credentials` without an ORDER BY, so its order is the database's (real
 * 1.13.0 answered [m.login.dummy, m.login.recaptcha] where the model lists completion order). */
function sameAnswer(m: Answer, r: Answer): boolean {
  return FIELDS.every((f) => (f === 'completed' ? asSet(m.completed) === asSet(r.completed) : m[f] === r[f]));
}

function asSet(completed: string): string {
  return completed.replace(/^\[|\]$/g, '').split(', ').sort().join(', ');
}

function answerOf(observations: readonly ObserveEvent[], sentIndex: number, nodeNames: readonly string[]): Answer {
  const sent = observations[sentIndex] as ObserveEvent;
  const received = observations.find((o, i) => i > sentIndex && o.phase === 'received' && o.msgId === sent.msgId && o.actor === sent.actor);
  if (received === undefined) return { status: 'no answer', errcode: '', completed: '', session: '-', user: '', servedBy: '' };
  const page = received.detail.startsWith('page:');
  const isUser = received.status >= 200 && received.status < 300 && received.detail.startsWith('@');
  const errcode = page ? received.detail : isUser ? '' : (received.detail.split(':')[0] ?? '');
  const session = received.key === '' ? '-' : received.key === sent.key ? 'same' : 'new';
  return {
    status: String(received.status),
    errcode,
    completed: received.status === 401 || page ? `[${received.tags.join(', ')}]` : '',
    session,
    user: isUser ? received.detail : '',
    servedBy: received.servedBy < 0 ? 'nginx' : (nodeNames[received.servedBy] ?? '?'),
  };
}

/** Request by request, the model's answer beside the real one: the model's requests in its
 * order, then those only the real run sent. */
export function compareRuns(model: RunResult, real: RealRun): Row[] {
  const rows: Row[] = [];
  // The clients whose answers raced apart, each from its first such request on (rows are pushed
  // in listing order).
  const parted = new Set<number>();
  const push = (actor: number, row: Omit<Row, 'afterRace' | 'actor'>): void => {
    const client = clientOfActor(actor);
    rows.push({ ...row, actor: actorName(actor), afterRace: parted.has(client) });
    if (row.raced && !row.agree) parted.add(client);
  };
  const paired = new Set<number>();
  const raced = racedRequests(model.observations);
  const racedReal = racedRequests(real.result.observations);
  let request = 0;
  model.observations.forEach((o, i) => {
    if (o.phase !== 'sent') return;
    request++;
    const realIndex = real.pairs.get(i);
    if (realIndex !== undefined) paired.add(realIndex);
    const m = answerOf(model.observations, i, model.nodeNames);
    const r = realIndex === undefined ? null : answerOf(real.result.observations, realIndex, model.nodeNames);
    push(o.actor, { request, what: describe(o), model: m, real: r, agree: r !== null && sameAnswer(m, r), raced: raced.has(i) || (realIndex !== undefined && racedReal.has(realIndex)) });
  });
  real.result.observations.forEach((o, i) => {
    if (o.phase !== 'sent' || paired.has(i)) return;
    request++;
    push(o.actor, { request, what: describe(o), model: null, real: answerOf(real.result.observations, i, model.nodeNames), agree: false, raced: racedReal.has(i) });
  });
  return rows;
}

function describe(o: ObserveEvent): string {
  return o.tags.length > 0 ? `${o.detail} (${o.tags.join(', ')})` : o.detail;
}

export function formatAnswer(a: Answer | null): string {
  if (a === null) return 'not sent';
  return [a.status, a.errcode, a.completed, a.session === '-' ? '' : `${a.session} session`, a.user, `by ${a.servedBy}`].filter((s) => s !== '').join(' ');
}

/** Properties whose checkers read only what a client sees (and restarts): judged on the real run
 * too. The others need server-side facts the real run does not record. */
export const JUDGED_ON_REAL: readonly PropertyName[] = ['progress-never-lost', 'completed-only-grows', 'liveness'];

export interface Verdict {
  readonly property: PropertyName;
  /** 'holds', 'VIOLATED at request N', or 'not judged on the real system'. */
  readonly model: string;
  readonly real: string;
  readonly modelViolated: boolean;
  readonly realViolated: boolean | null;
  readonly realWhy?: string;
}

export function verdictOf(c: Case, result: RunResult, property: PropertyName): { readonly text: string; readonly violated: boolean; readonly why?: string } {
  const violation = (CHECKERS[property] as (c: Case, r: RunResult) => ReturnType<(typeof CHECKERS)[PropertyName]>)(c, result);
  if (violation === null) return { text: 'holds', violated: false };
  let requests = 0;
  for (let i = 0; i < violation.observationIndex; i++) if (result.observations[i]?.phase === 'sent') requests++;
  return { text: `VIOLATED at request ${requests}`, violated: true, why: violation.why };
}

export function verdicts(c: Case, model: RunResult, real: RealRun, properties: readonly PropertyName[]): Verdict[] {
  return properties.map((property) => {
    const m = verdictOf(c, model, property);
    if (!JUDGED_ON_REAL.includes(property)) return { property, model: m.text, real: 'not judged on the real system (needs server-side facts)', modelViolated: m.violated, realViolated: null };
    const r = verdictOf(c, real.result, property);
    return { property, model: m.text, real: r.text, modelViolated: m.violated, realViolated: r.violated, ...(r.why === undefined ? {} : { realWhy: r.why }) };
  });
}
