import type { RunResult } from '../models/world.js';

/** What one run reached (DESIGN.md; the coverage issue extends this list). */
export interface RunCoverage {
  /** Sessions some request was about or some 401 named. */
  readonly sessions: number;
  /** Of those, the sessions served by two or more processes. */
  readonly sessionsSpanningProcesses: number;
  /** A process restarted between a stage being shown for a session and the next request about it. */
  readonly restartBetweenShownAndNext: boolean;
  /** Client-side requests sent. */
  readonly requests: number;
}

export function coverageOf(result: RunResult): RunCoverage {
  const served = new Map<string, Set<number>>();
  const lastShownAtMs = new Map<string, number>();
  const requestSession = new Map<number, string>();
  const restartTimes = result.lifecycle.filter((e) => e.kind === 'restart').map((e) => e.atMs);
  let restartBetween = false;
  let requests = 0;

  const serve = (session: string, process: number): void => {
    if (session === '' || process < 0) return;
    let set = served.get(session);
    if (set === undefined) {
      set = new Set();
      served.set(session, set);
    }
    set.add(process);
  };

  for (const event of result.observations) {
    if (event.phase === 'sent') {
      requests++;
      requestSession.set(event.msgId, event.key);
      const shownAt = lastShownAtMs.get(event.key);
      if (shownAt !== undefined && restartTimes.some((t) => t > shownAt && t <= event.atMs)) restartBetween = true;
      continue;
    }
    const about = requestSession.get(event.msgId) ?? '';
    serve(about !== '' ? about : event.key, event.servedBy);
    // A 401 naming another session (1.8's silent replacement) names one more session.
    if (event.status === 401 && event.key !== '' && event.key !== about) serve(event.key, event.servedBy);
    const showsSomething = (event.status === 401 && event.tags.length > 0) || event.detail === 'page:success';
    const session = event.key !== '' ? event.key : about;
    if (showsSomething && session !== '') lastShownAtMs.set(session, event.atMs);
  }
  let spanning = 0;
  for (const set of served.values()) if (set.size >= 2) spanning++;
  return { sessions: served.size, sessionsSpanningProcesses: spanning, restartBetweenShownAndNext: restartBetween, requests };
}
