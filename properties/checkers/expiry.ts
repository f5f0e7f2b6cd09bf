import type { Profile } from '../../models/synapse/profile.js';
import type { ObserveEvent } from '../../src/trace.js';
import { isNotServed } from './trace-view.js';

/**
 * When a session may legitimately be gone, judged from the client's own times (docs/architecture.md
 * "Properties", progress-never-lost): 1.13+ when the response arrives 48 h or more after the
 * send time of the request that created the session (absolute, uia §2.8); 1.8 when no request
 * that reached the session on the answering process was sent for 48 h (sliding and per process,
 * uia §2.2). A restart is never a legitimate expiry. Shared by the checkers that forgive a loss
 * or a shrink on expiry (progress-never-lost, completed-only-grows).
 *
 * Feed every response in trace order: `noteCreation` first, then judge with `expired`, then
 * `noteTouch`.
 */
export class SessionClocks {
  private readonly createdAtMs = new Map<string, number>();
  /** 1.8's sliding expiry is per process: `${session}@${process}` -> the send time of the last
   * request about the session that process answered itself (not a 404, 5xx or silence, which
   * may never have reached the session). */
  private readonly lastTouchedAtMs = new Map<string, number>();
  /** 1.8: `${session}@${process}` -> the observation index of the first answer in which that
   * process, asked about the session, named another one: it no longer held the session, which
   * cannot come back there (1.8's fresh sessions get fresh random IDs, uia §2.2). */
  private readonly goneAtIndex = new Map<string, number>();

  constructor(private readonly profile: Profile) {}

  /** A session is created by the request whose 401 first names it: one sent without a session,
   * or (1.8) one about an unknown session that silently got a fresh one. */
  noteCreation(request: ObserveEvent, response: ObserveEvent): void {
    if (response.status === 401 && response.key !== '' && !this.createdAtMs.has(response.key)) this.createdAtMs.set(response.key, request.atMs);
  }

  /** Whether session `x` may legitimately be gone when `response` (to `request`) arrives. */
  expired(x: string, request: ObserveEvent, response: ObserveEvent): boolean {
    const expiryMs = this.profile.expiry.expiryMs;
    // 1.13+: 48 h from the creating request, absolute (uia §2.8).
    if (this.profile.expiry.kind === 'absolute') {
      const createdMs = this.createdAtMs.get(x);
      return createdMs !== undefined && response.atMs >= createdMs + expiryMs;
    }
    // 1.8: 48 h without a request that reached the session on the answering process (sliding
    // and per process, uia §2.2). A process that never held it cannot have let it expire.
    const lastTouchMs = this.lastTouchedAtMs.get(`${x}@${response.servedBy}`);
    return lastTouchMs !== undefined && request.atMs >= lastTouchMs + expiryMs;
  }

  /** 1.8: the observation index at which `process` was first seen not to hold session `x` (it
   * answered a request about x naming another session), if it was. Progress shown for x after
   * that cannot have been stored where x lived on that process, so its expiry cannot excuse
   * losing it there: a success page for x then is a throwaway session's (#6705, uia §2.2). */
  goneSince(x: string, process: number): number | undefined {
    return this.goneAtIndex.get(`${x}@${process}`);
  }

  /** The process that answered about a session, with an answer of its own, touched it when the
   * request was sent (the 1.8 sliding clock, per process), unless its answer named another
   * session. A 401 naming a session (a new one, too) means the answering process holds it. */
  noteTouch(x: string, request: ObserveEvent, response: ObserveEvent, index: number): void {
    if (response.servedBy < 0 || isNotServed(response) || response.status >= 500) return;
    // A 4xx that names no session is no evidence that X was touched: 1.8 and 1.12 may have raised
    // it for a fresh session that replaced an expired X (uia §2.2): a bare 401 (1.8-1.26
    // re-raised the email stage's LoginError, uia §2.2 step 4), a 400 M_MISSING_PARAM for a stage
    // the version does not know. Taken as a touch, such a 400 restarted the clock of an X already
    // swept, and the 401 naming a fresh session right after was judged a loss (compare --workload
    // registration, pinned-1.12 under slow-user, seed 1). The price: one raised while X was held
    // (1.8's 400 M_USER_IN_USE once UIA completed, say) does not restart X's clock either, so a
    // loss soon after it could be excused as expiry: a missed violation, never a false one.
    if (response.status >= 400 && response.status < 500 && response.key === '') return;
    // A 401 naming another session means the process did not hold X (1.8 hands out a fresh
    // session for an unknown one, uia §2.2): the request found X gone and did not touch it.
    if (x !== '') {
      const xAt = `${x}@${response.servedBy}`;
      const foundXGone = response.status === 401 && response.key !== x;
      if (!foundXGone) this.lastTouchedAtMs.set(xAt, request.atMs);
      else if (this.profile.expiry.kind === 'sliding' && !this.goneAtIndex.has(xAt)) this.goneAtIndex.set(xAt, index);
    }
    if (response.status === 401 && response.key !== '' && response.key !== x) this.lastTouchedAtMs.set(`${response.key}@${response.servedBy}`, request.atMs);
  }
}
