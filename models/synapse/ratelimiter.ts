/**
 * Synapse's `Ratelimiter` (a leaky bucket per key) as `rc_login.failed_attempts` uses it in
 * `validate_user_via_ui_auth` (uia §2.5). Its counters live in the process's memory (uia §3.4: a
 * restart clears them, and each process counts on its own).
 */
export interface RateLimit {
  readonly perSecond: number;
  readonly burstCount: number;
}

export type RatelimitVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

interface Bucket {
  readonly actionCount: number;
  readonly startMs: number;
}

export class Ratelimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limit: RateLimit) {}

  /** `can_do_action(key, update=...)`: is one more action allowed now? With `update`, an allowed
   * action is counted (a failed attempt recorded). */
  canDoAction(key: string, nowMs: number, update: boolean): RatelimitVerdict {
    const { perSecond, burstCount } = this.limit;
    const bucket = this.buckets.get(key) ?? { actionCount: 0, startMs: nowMs };
    // Actions performed, leaked at perSecond since the bucket started.
    const performed = Math.max(0, bucket.actionCount - ((nowMs - bucket.startMs) / 1000) * perSecond);
    if (performed + 1 > burstCount) {
      const retryAfterMs = Math.ceil(((performed + 1 - burstCount) / perSecond) * 1000);
      return { allowed: false, retryAfterMs };
    }
    if (update) this.buckets.set(key, { actionCount: performed + 1, startMs: nowMs });
    return { allowed: true };
  }
}
