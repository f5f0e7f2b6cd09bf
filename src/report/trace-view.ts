import type { ObserveEvent, TraceEvent } from '../trace.js';

/**
 * What the timeline and the sequence diagram draw, as plain data handed over by the CLI (the
 * composition root): the captured events and the words for them. Renderers know nothing of the
 * model, so everything model-specific (actor names, what a response means) arrives here.
 */
export interface TraceView {
  readonly events: readonly TraceEvent[];
  /** Node id -> name ("router", "reader1", "app A"). */
  readonly nodeNames: readonly string[];
  /** The nodes to draw, in order, with what they are. Nodes not listed (the fault injector) are not drawn. */
  readonly participants: readonly Participant[];
  /** Actor index of an `observe` event -> the person's name ("app A", "browser A"). */
  readonly actorNames: readonly string[];
  /** What a client-side actor sent or received, in words. */
  readonly describe: (event: ObserveEvent) => Described;
  /** Index in `events` of the first violating event, or null when the property holds. */
  readonly violationIndex: number | null;
  /** What the violating event is marked with ("progress lost"). */
  readonly marker: string;
  /** Faults the trace has no event for (a partition starts and heals), at virtual times. */
  readonly notes: readonly TimedNote[];
  /** A quiet stretch at least this long is shown as time passing; null: never. */
  readonly quietGapMs: number;
  /** Sessions may expire after this long (shown when a pause is longer); null: no expiry. */
  readonly sessionLifetimeMs: number | null;
}

export interface Participant {
  readonly name: string;
  readonly role: 'client' | 'router' | 'process' | 'store';
}

export interface Described {
  /** "POST /register (no session)", "401", "success page (200)". */
  readonly what: string;
  readonly session: string | null;
  /** The stages the response lists as completed or shown, or null when it lists none. */
  readonly completed: readonly string[] | null;
}

export interface TimedNote {
  readonly atMs: number;
  /** The nodes it is about (drawn over them in a diagram). */
  readonly over: readonly string[];
  readonly text: string;
}

/** A point in virtual time, exact to the millisecond: "6 ms", "12.345 s", "00:03:02.010",
 * "3 d 00:21:05.123" (a run can last days when users pause). */
export function formatMs(ms: number): string {
  if (ms < 10_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(3)} s`;
  const days = Math.floor(ms / 86_400_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const clock = `${two(Math.floor(ms / 3_600_000) % 24)}:${two(Math.floor(ms / 60_000) % 60)}:${two(Math.floor(ms / 1000) % 60)}.${String(ms % 1000).padStart(3, '0')}`;
  return days > 0 ? `${days} d ${clock}` : clock;
}

/** A length of time, coarse, for pauses and lifetimes: "2 d", "3 d 21 min", "5 min 3 s". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return formatMs(ms);
  const parts: [number, string][] = [
    [Math.floor(ms / 86_400_000), 'd'],
    [Math.floor(ms / 3_600_000) % 24, 'h'],
    [Math.floor(ms / 60_000) % 60, 'min'],
    [ms < 3_600_000 ? Math.floor(ms / 1000) % 60 : 0, 's'],
  ];
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`).join(' ');
}

/** Why a message was dropped, in words. */
export function dropReasonText(reason: 'partition' | 'fault' | 'stale' | 'down'): string {
  switch (reason) {
    case 'partition':
      return 'the link is partitioned';
    case 'fault':
      return 'the fault plan loses it';
    case 'stale':
      return 'it was meant for an earlier incarnation of its target';
    case 'down':
      return 'its target is down';
    default: {
      const unreachable: never = reason;
      throw new Error(`unknown drop reason ${String(unreachable)}`);
    }
  }
}

/** The time-passes note for a quiet stretch, or null when it is short. */
export function pauseText(view: TraceView, fromMs: number, toMs: number): string | null {
  const gap = toMs - fromMs;
  if (gap < view.quietGapMs) return null;
  const past = view.sessionLifetimeMs !== null && gap >= view.sessionLifetimeMs ? `, longer than the ${formatDuration(view.sessionLifetimeMs)} a session may live` : '';
  return `${formatDuration(gap)} pass${past}`;
}

/** A server-side fact (a `fact` trace event: a stage's checker passed, a session was created or
 * swept, an account created, an operation run) as the node's action, in words. The names are the
 * model's; an unknown one is shown as it is. */
export function factWords(e: Extract<TraceEvent, { kind: 'fact' }>): string {
  switch (e.name) {
    case 'session-created':
      return `creates the session (for ${e.detail})`;
    case 'stage-passed':
      return `checks ${e.detail}: passed`;
    case 'operation':
      return `performs ${e.detail}${e.tags[1] ? ` for ${e.tags[1]}` : ''}`;
    case 'account-created':
      return `creates the account ${e.detail}`;
    case 'sweep':
      return `expiry sweep: deletes ${e.tags[0] ?? '?'} session(s) created at or before ${formatMs(Number(e.detail))}`;
    default:
      return `${e.name} ${e.detail}`.trim();
  }
}
