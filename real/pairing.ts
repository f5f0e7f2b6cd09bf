import type { ObserveEvent } from '../src/trace.js';

/** A request a real client has ready to send (driver.ts's queue entry, as far as pairing reads it). */
export interface Ready {
  readonly actor: number;
  readonly step: { readonly what: string; readonly tags: readonly string[]; readonly session: string };
}

/**
 * Which ready real request stands for the model's next `sent` observation (docs/real.md "replay
 * --real": a request is sent when the model sent it). One actor can have several requests ready
 * at once: a browser tab a client spawned (a fallback it does not wait for) and the client's own
 * later fallback both send as the same browser actor. In the model a think time keeps the
 * client's own GET behind the tab's form POST; on the real deployment pauses take no wall time,
 * so that GET is ready before the tab's POST. Taking the actor's first ready request then paired
 * the model's captcha POST with that GET (the
 * "fallback POST for the captcha" conform on real 1.13.0 marked DIFFER: a form page where the
 * model had the success page).
 *
 * So: the same actor sending the same request (what and stages) for the real session that
 * corresponds to the model's; else the same actor and request; else the actor's first ready
 * request (the real answers led the client another way: the rows show it). -1 when the actor
 * has none ready.
 */
export function pickReady(queue: readonly Ready[], sent: ObserveEvent, realSessionOf: (modelSession: string) => string | undefined): number {
  const alike = (r: Ready): boolean => r.actor === sent.actor && r.step.what === sent.detail && sameTags(r.step.tags, sent.tags);
  const session = sent.key === '' ? undefined : realSessionOf(sent.key);
  if (session !== undefined) {
    const exact = queue.findIndex((r) => alike(r) && r.step.session === session);
    if (exact >= 0) return exact;
  }
  const same = queue.findIndex(alike);
  return same >= 0 ? same : queue.findIndex((r) => r.actor === sent.actor);
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/**
 * Model session ID -> real session ID, learnt from paired answers: the model's answer to a
 * request names a session, and the real answer to the request paired with it names the real one.
 */
export class SessionCorrespondence {
  private readonly realOf = new Map<string, string>();

  learn(modelKey: string, realKey: string): void {
    if (modelKey !== '' && realKey !== '' && !this.realOf.has(modelKey)) this.realOf.set(modelKey, realKey);
  }

  readonly real = (modelKey: string): string | undefined => this.realOf.get(modelKey);
}
