import { actorName } from '../../models/clients/workload.js';
import type { Strategy } from '../../models/strategies.js';
import { DEFAULT_PROCESSES, type Case, type RunResult } from '../../models/world.js';
import { ROUTER, STORE } from '../../models/topologies/synapse-workers.js';
import type { PropertyName, Violation } from '../../properties/violation.js';
import type { Fault } from '../faults.js';
import { formatMs, type Described, type Participant, type TimedNote, type TraceView } from '../report/trace-view.js';
import type { ObserveEvent } from '../trace.js';
import { MARKERS } from './output.js';
import { describeRequest } from './steps.js';


/** A pause of a minute or more is shown as time passing (users think for seconds; slow-user
 * pauses for hours to days). */
const QUIET_GAP_MS = 60_000;

/** The renderers' view of a captured run: the model's words for its events, handed over as data. */
export function traceViewOf(c: Case, strategy: Strategy, result: RunResult, violation: Violation | null, property: PropertyName): TraceView {
  const events = result.events;
  if (events === null) throw new Error('trace view: the run was not captured');
  const actorNames = c.workload.clients.flatMap((_, i) => [actorName(2 * i), actorName(2 * i + 1)]);
  const processes = (strategy.processes ?? DEFAULT_PROCESSES).map((p) => p.name);
  const known = new Set([...actorNames, ROUTER, ...processes, 'faults']);
  const participants: Participant[] = [
    ...actorNames.filter((n) => result.nodeNames.includes(n)).map((name): Participant => ({ name, role: 'client' })),
    { name: ROUTER, role: 'router' },
    ...processes.map((name): Participant => ({ name, role: 'process' })),
    ...result.nodeNames.filter((n) => !known.has(n)).map((name): Participant => ({ name, role: 'store' })),
  ];
  const storeName = strategy.store.service?.name ?? 'db';
  const violationIndex = violation === null ? null : events.indexOf(violation.event);
  return {
    events,
    nodeNames: result.nodeNames,
    participants,
    actorNames,
    describe: describeObservation,
    violationIndex: violationIndex === -1 ? null : violationIndex,
    marker: MARKERS[property],
    notes: c.faultPlan.faults.flatMap((f) => faultNotes(f, (n) => (n === STORE ? storeName : n))),
    quietGapMs: QUIET_GAP_MS,
    sessionLifetimeMs: result.profile.expiry.expiryMs,
  };
}

export function describeObservation(e: ObserveEvent): Described {
  const session = e.key === '' ? null : e.key;
  if (e.phase === 'sent') return { what: describeRequest(e), session, completed: null };
  if (e.detail === 'page:form') return { what: "the stage's form (200)", session, completed: null };
  if (e.detail === 'page:success') return { what: 'the success page (200)', session, completed: e.tags };
  if (e.status === 401) return { what: e.detail === '' ? '401' : `401 ${e.detail}`, session, completed: e.tags };
  if (e.detail.startsWith('page:')) return { what: `the ${e.detail.slice('page:'.length)} page (${e.status})`, session, completed: e.tags.length > 0 ? e.tags : null };
  if (e.status === 200 && e.detail.startsWith('@')) return { what: `200 registered ${e.detail}`, session, completed: null };
  if (e.status >= 200 && e.status < 300) return { what: `${e.status} done`, session, completed: null };
  if (e.status === 502) return { what: '502 Bad Gateway', session, completed: null };
  return { what: `${e.status} ${e.detail}`.trimEnd(), session, completed: null };
}

/** Faults the trace has no event for: partitions starting and healing, address changes at a
 * fixed time. (Crashes and restarts are trace events; lost messages too.) */
function faultNotes(f: Fault, alias: (name: string) => string): TimedNote[] {
  switch (f.kind) {
    case 'partition': {
      const [a, b] = [alias(f.a), alias(f.b)];
      return [
        { atMs: f.fromMs, over: [a, b], text: `PARTITION: ${a} and ${b} are cut off until ${formatMs(f.untilMs)}` },
        { atMs: f.untilMs, over: [a, b], text: `partition healed: ${a} and ${b} reach each other again` },
      ];
    }
    case 'ip-change':
      // An anchored move has no fixed time; the fault line above the timeline says when.
      return f.after === undefined ? [{ atMs: f.atMs, over: [f.actor], text: `${f.actor} moves to address ${f.ip}` }] : [];
    case 'crash':
    case 'drop':
      return [];
    default: {
      const unreachable: never = f;
      throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
    }
  }
}
