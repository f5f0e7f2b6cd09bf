import type { RunResult } from '../models/world.js';

/**
 * What one run reached (issue 4 item 4). A verdict of "not found" is only worth the situations
 * the runs got into: these are the ones the #6705 family of bugs needs.
 */
export interface RunCoverage {
  /** Sessions some request was about or some 401 named. */
  readonly sessions: number;
  /** Of those, the sessions served by two or more processes. */
  readonly sessionsSpanningProcesses: number;
  /** A process restarted between a stage being shown for a session and the next request about it. */
  readonly restartBetweenShownAndNext: boolean;
  /** Two requests about one session were in flight at once (sent before the other's answer). */
  readonly concurrentRequestsOfOneSession: boolean;
  /** A request about a session was sent once the session had expired (uia §2.8: 48 h from its
   * creating request from 1.13, 48 h without a request in 1.8). */
  readonly sessionCrossedExpiry: boolean;
  /** Client-side requests sent. */
  readonly requests: number;
  /** The run's trace hash: distinct hashes are distinct interleavings. */
  readonly traceHash: string;
}

export function coverageOf(result: RunResult): RunCoverage {
  const served = new Map<string, Set<number>>();
  const lastShownAtMs = new Map<string, number>();
  const requestSession = new Map<number, string>();
  const sentAtMs = new Map<number, number>();
  /** Per session, the requests about it still awaiting an answer. */
  const inFlight = new Map<string, Set<number>>();
  /** Per actor, its last request: an actor that sends again has given up on the previous one. */
  const lastOfActor = new Map<number, number>();
  const createdAtMs = new Map<string, number>();
  const lastSentAtMs = new Map<string, number>();
  const expiry = result.profile.expiry;
  const restartTimes = result.lifecycle.filter((e) => e.kind === 'restart').map((e) => e.atMs);
  let restartBetween = false;
  let concurrent = false;
  let crossedExpiry = false;
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
  const settle = (msgId: number): void => {
    const session = requestSession.get(msgId);
    if (session !== undefined) inFlight.get(session)?.delete(msgId);
  };

  for (const event of result.observations) {
    if (event.phase === 'sent') {
      requests++;
      requestSession.set(event.msgId, event.key);
      sentAtMs.set(event.msgId, event.atMs);
      const previous = lastOfActor.get(event.actor);
      if (previous !== undefined) settle(previous);
      lastOfActor.set(event.actor, event.msgId);
      if (event.key === '') continue;
      const shownAt = lastShownAtMs.get(event.key);
      if (shownAt !== undefined && restartTimes.some((t) => t > shownAt && t <= event.atMs)) restartBetween = true;
      let flying = inFlight.get(event.key);
      if (flying === undefined) {
        flying = new Set();
        inFlight.set(event.key, flying);
      }
      if (flying.size > 0) concurrent = true;
      flying.add(event.msgId);
      const since = expiry.kind === 'absolute' ? createdAtMs.get(event.key) : lastSentAtMs.get(event.key);
      if (since !== undefined && event.atMs >= since + expiry.expiryMs) crossedExpiry = true;
      lastSentAtMs.set(event.key, event.atMs);
      continue;
    }
    settle(event.msgId);
    const about = requestSession.get(event.msgId) ?? '';
    serve(about !== '' ? about : event.key, event.servedBy);
    // A 401 naming another session (1.8's silent replacement) names one more session.
    if (event.status === 401 && event.key !== '' && event.key !== about) serve(event.key, event.servedBy);
    // A session is created by the request whose 401 first names it (as progress-never-lost).
    if (event.status === 401 && event.key !== '' && !createdAtMs.has(event.key)) {
      createdAtMs.set(event.key, sentAtMs.get(event.msgId) ?? event.atMs);
    }
    const showsSomething = (event.status === 401 && event.tags.length > 0) || event.detail === 'page:success';
    const session = event.key !== '' ? event.key : about;
    if (showsSomething && session !== '') lastShownAtMs.set(session, event.atMs);
  }
  let spanning = 0;
  for (const set of served.values()) if (set.size >= 2) spanning++;
  return {
    sessions: served.size,
    sessionsSpanningProcesses: spanning,
    restartBetweenShownAndNext: restartBetween,
    concurrentRequestsOfOneSession: concurrent,
    sessionCrossedExpiry: crossedExpiry,
    requests,
    traceHash: result.traceHash,
  };
}

/** The coverage of many runs, as `check --stats` prints it and its JSON carries it. */
export interface CoverageStats {
  readonly runs: number;
  readonly sessions: number;
  /** Share of sessions served by two or more processes. */
  readonly sessionsSpanningProcesses: number;
  /** Shares of runs. */
  readonly restartBetweenShownAndNext: number;
  readonly concurrentRequestsOfOneSession: number;
  readonly sessionCrossedExpiry: number;
  /** Distinct trace hashes: the distinct interleavings the runs explored. */
  readonly distinctInterleavings: number;
}

/** A tally as plain data: what crosses a worker thread or goes into a shard file, so the
 * coverage of runs done apart adds up to that of the runs done in one place. */
export interface CoverageParts {
  readonly runs: number;
  readonly sessions: number;
  readonly spanning: number;
  readonly restartBetween: number;
  readonly concurrent: number;
  readonly crossedExpiry: number;
  /** The distinct trace hashes, sorted. */
  readonly hashes: readonly string[];
}

/** Adds up the coverage of runs, in the order they ran. */
export class CoverageTally {
  private runs = 0;
  private sessions = 0;
  private spanning = 0;
  private restartBetween = 0;
  private concurrent = 0;
  private crossedExpiry = 0;
  private readonly hashes = new Set<string>();

  add(coverage: RunCoverage): void {
    this.runs++;
    this.sessions += coverage.sessions;
    this.spanning += coverage.sessionsSpanningProcesses;
    if (coverage.restartBetweenShownAndNext) this.restartBetween++;
    if (coverage.concurrentRequestsOfOneSession) this.concurrent++;
    if (coverage.sessionCrossedExpiry) this.crossedExpiry++;
    this.hashes.add(coverage.traceHash);
  }

  parts(): CoverageParts {
    const { runs, sessions, spanning, restartBetween, concurrent, crossedExpiry } = this;
    return { runs, sessions, spanning, restartBetween, concurrent, crossedExpiry, hashes: [...this.hashes].sort() };
  }

  /** Adds the runs of another tally (a disjoint set of runs). */
  addParts(parts: CoverageParts): void {
    this.runs += parts.runs;
    this.sessions += parts.sessions;
    this.spanning += parts.spanning;
    this.restartBetween += parts.restartBetween;
    this.concurrent += parts.concurrent;
    this.crossedExpiry += parts.crossedExpiry;
    for (const hash of parts.hashes) this.hashes.add(hash);
  }

  stats(): CoverageStats {
    const ofRuns = (n: number): number => (this.runs === 0 ? 0 : n / this.runs);
    return {
      runs: this.runs,
      sessions: this.sessions,
      sessionsSpanningProcesses: this.sessions === 0 ? 0 : this.spanning / this.sessions,
      restartBetweenShownAndNext: ofRuns(this.restartBetween),
      concurrentRequestsOfOneSession: ofRuns(this.concurrent),
      sessionCrossedExpiry: ofRuns(this.crossedExpiry),
      distinctInterleavings: this.hashes.size,
    };
  }
}
