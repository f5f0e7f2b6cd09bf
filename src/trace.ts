import { MESSAGE_KIND_CODES, type MessageKind } from './message.js';

export type DropReason = 'partition' | 'fault' | 'stale' | 'down';
const DROP_REASON_CODES: Readonly<Record<DropReason, number>> = { partition: 1, fault: 2, stale: 3, down: 4 };
export type ObservePhase = 'sent' | 'received';

/**
 * The typed record of a run. The engine writes network and lifecycle events; models write
 * `observe` events for what client-side actors send and receive (the generic fields `key`,
 * `detail` and `tags` carry, for UIA, the session ID, the request or errcode, and the stages).
 */
export type TraceEvent =
  | { readonly kind: 'deliver'; readonly atMs: number; readonly msgId: number; readonly msgKind: MessageKind; readonly from: number; readonly to: number }
  | { readonly kind: 'drop'; readonly atMs: number; readonly msgId: number; readonly reason: DropReason }
  /** `nextMessageId`: the id the next message sent gets; every message with a smaller one was
   * sent before this event (real/crash-order.ts tells by it which answers were already on their
   * way at a crash). Not part of the trace hash: it follows from the events before. */
  | { readonly kind: 'crash'; readonly atMs: number; readonly node: number; readonly incarnation: number; readonly nextMessageId?: number }
  | { readonly kind: 'restart'; readonly atMs: number; readonly node: number; readonly incarnation: number; readonly nextMessageId?: number }
  | {
      readonly kind: 'observe';
      readonly atMs: number;
      readonly actor: number;
      readonly msgId: number;
      readonly phase: ObservePhase;
      readonly status: number;
      readonly servedBy: number;
      readonly key: string;
      readonly detail: string;
      readonly tags: readonly string[];
    }
  /** What a model's server did that no client sees (a stage's checker passed, an account was
   * created, sessions were swept): the checkers that judge the server, not the client's view,
   * read these. `name` says what happened, `key` about what (for UIA, the session). */
  | {
      readonly kind: 'fact';
      readonly atMs: number;
      readonly node: number;
      readonly name: string;
      readonly key: string;
      readonly detail: string;
      readonly tags: readonly string[];
    };

export type ObserveEvent = Extract<TraceEvent, { kind: 'observe' }>;
export type LifecycleEvent = Extract<TraceEvent, { kind: 'crash' | 'restart' }>;
export type FactEvent = Extract<TraceEvent, { kind: 'fact' }>;

const KIND_CODES = { deliver: 1, drop: 2, crash: 3, restart: 4, observe: 5, fact: 6 } as const;

/**
 * String digests, shared by every Trace: a digest is a pure function of its string, and most
 * strings (fact names, details, tags, errcodes) recur in every run, so a per-run cache
 * re-digested them all in each run. Session IDs are random per run and would fill it without
 * end, so it is emptied when it reaches DIGEST_CACHE_LIMIT entries (it is only ever looked up,
 * never iterated, so what it holds cannot change a hash). The two 32-bit lanes of entry `i` sit
 * at `2i` and `2i + 1` of one Int32Array: no tuple per string.
 */
const DIGEST_CACHE_LIMIT = 4096;
const digestIndex = new Map<string, number>();
const digestLanes = new Int32Array(2 * DIGEST_CACHE_LIMIT);

/**
 * Hashes the trace incrementally (two independent 32-bit FNV-style lanes, 64 bits in all), so
 * the hot loop keeps no event objects unless `capture` is on (replay and display re-run a case
 * with capture, which determinism makes free). Every field of every event is folded in, so
 * changing any of them changes the hash.
 */
export class Trace {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193;
  /** The events, when captured; null in the hot path. */
  readonly events: TraceEvent[] | null;
  /** Observations and lifecycle events are few and the checkers need them: always kept. */
  readonly observations: ObserveEvent[] = [];
  readonly lifecycleEvents: LifecycleEvent[] = [];
  /** Facts are a few per request: always kept, like observations. */
  readonly facts: FactEvent[] = [];
  private eventCount = 0;

  /** `hashing` off: the events are kept as with it on, but nothing is folded into the hash,
   * and reading `hash` throws. For runs whose hash nobody reads (a comparison's scans, the
   * 1-minimal pass's tries): hashing is about 5% of a run (docs/performance.md). */
  constructor(
    capture: boolean,
    private readonly hashing = true,
  ) {
    this.events = capture ? [] : null;
  }

  get length(): number {
    return this.eventCount;
  }

  /** The running hash as 16 hex digits. */
  get hash(): string {
    if (!this.hashing) throw new Error('trace: this run was not hashed (RunOptions.hashTrace false), so its hash cannot be read');
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }

  deliver(atMs: number, msgId: number, msgKind: MessageKind, from: number, to: number): void {
    this.eventCount++;
    if (this.hashing) {
      this.num(KIND_CODES.deliver);
      this.num(atMs);
      this.num(msgId);
      this.num(MESSAGE_KIND_CODES[msgKind]);
      this.num(from);
      this.num(to);
    }
    if (this.events !== null) this.events.push({ kind: 'deliver', atMs, msgId, msgKind, from, to });
  }

  drop(atMs: number, msgId: number, reason: DropReason): void {
    this.eventCount++;
    if (this.hashing) {
      this.num(KIND_CODES.drop);
      this.num(atMs);
      this.num(msgId);
      this.num(DROP_REASON_CODES[reason]);
    }
    if (this.events !== null) this.events.push({ kind: 'drop', atMs, msgId, reason });
  }

  lifecycle(kind: 'crash' | 'restart', atMs: number, node: number, incarnation: number, nextMessageId?: number): void {
    this.eventCount++;
    if (this.hashing) {
      this.num(KIND_CODES[kind]);
      this.num(atMs);
      this.num(node);
      this.num(incarnation);
    }
    const event: LifecycleEvent = nextMessageId === undefined ? { kind, atMs, node, incarnation } : { kind, atMs, node, incarnation, nextMessageId };
    this.lifecycleEvents.push(event);
    if (this.events !== null) this.events.push(event);
  }

  observe(
    atMs: number,
    actor: number,
    msgId: number,
    phase: ObservePhase,
    status: number,
    servedBy: number,
    key: string,
    detail: string,
    tags: readonly string[],
  ): void {
    this.eventCount++;
    if (this.hashing) {
      this.num(KIND_CODES.observe);
      this.num(atMs);
      this.num(actor);
      this.num(msgId);
      this.num(phase === 'sent' ? 1 : 2);
      this.num(status);
      this.num(servedBy);
      this.str(key);
      this.str(detail);
      this.num(tags.length);
      for (let i = 0; i < tags.length; i++) this.str(tags[i] as string);
    }
    const event: ObserveEvent = { kind: 'observe', atMs, actor, msgId, phase, status, servedBy, key, detail, tags };
    this.observations.push(event);
    if (this.events !== null) this.events.push(event);
  }

  fact(atMs: number, node: number, name: string, key: string, detail: string, tags: readonly string[]): void {
    this.eventCount++;
    if (this.hashing) {
      this.num(KIND_CODES.fact);
      this.num(atMs);
      this.num(node);
      this.str(name);
      this.str(key);
      this.str(detail);
      this.num(tags.length);
      for (let i = 0; i < tags.length; i++) this.str(tags[i] as string);
    }
    const event: FactEvent = { kind: 'fact', atMs, node, name, key, detail, tags };
    this.facts.push(event);
    if (this.events !== null) this.events.push(event);
  }

  /** Folds a whole event in; used to re-hash a list of events (it must agree with the hot path). */
  record(event: TraceEvent): void {
    switch (event.kind) {
      case 'deliver':
        return this.deliver(event.atMs, event.msgId, event.msgKind, event.from, event.to);
      case 'drop':
        return this.drop(event.atMs, event.msgId, event.reason);
      case 'crash':
      case 'restart':
        return this.lifecycle(event.kind, event.atMs, event.node, event.incarnation, event.nextMessageId);
      case 'observe':
        return this.observe(event.atMs, event.actor, event.msgId, event.phase, event.status, event.servedBy, event.key, event.detail, event.tags);
      case 'fact':
        return this.fact(event.atMs, event.node, event.name, event.key, event.detail, event.tags);
      default: {
        const unreachable: never = event;
        throw new Error(`trace: unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private num(n: number): void {
    // Integers up to 2^53: one word for [0, 2^31), which is nearly every field; otherwise a
    // marker and the low and high 32 bits.
    if (n >= 0 && n <= 0x7fffffff) {
      this.word(n);
      return;
    }
    this.word(-1);
    this.word(n | 0);
    this.word((n / 4294967296) | 0);
  }

  /** Strings (session IDs, details) recur within and across runs: each distinct one is
   * digested once into two 32-bit lanes (cached in `digestLanes`), and the digest is folded in. */
  private str(s: string): void {
    let at = digestIndex.get(s);
    if (at === undefined) {
      if (digestIndex.size === DIGEST_CACHE_LIMIT) digestIndex.clear();
      at = 2 * digestIndex.size;
      let a = 0x811c9dc5 ^ s.length;
      let b = 0x27d4eb2f ^ s.length;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
      }
      digestLanes[at] = a;
      digestLanes[at + 1] = b;
      digestIndex.set(s, at);
    }
    this.word(digestLanes[at] as number);
    this.word(digestLanes[at + 1] as number);
  }

  private word(w: number): void {
    this.h1 = Math.imul(this.h1 ^ w, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ w, 0x5bd1e995) ^ (this.h2 >>> 15);
  }
}

/** The hash of a list of events, as the hot path would have computed it. */
export function hashEvents(events: readonly TraceEvent[]): string {
  const trace = new Trace(false);
  for (const event of events) trace.record(event);
  return trace.hash;
}
