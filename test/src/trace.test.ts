import { describe, expect, it } from 'vitest';
import type { MessageKind } from '../../src/message.js';
import { hashEvents, Trace, type DropReason, type TraceEvent } from '../../src/trace.js';

const BASE: readonly TraceEvent[] = [
  { kind: 'deliver', atMs: 10, msgId: 1, msgKind: 'request', from: 0, to: 3 },
  { kind: 'drop', atMs: 20, msgId: 2, reason: 'partition' },
  { kind: 'crash', atMs: 30, node: 3, incarnation: 1 },
  { kind: 'restart', atMs: 40, node: 3, incarnation: 2 },
  { kind: 'observe', atMs: 50, actor: 0, msgId: 4, phase: 'received', status: 200, servedBy: 3, key: 'abc', detail: 'POST /register', tags: ['m.login.dummy', 'm.login.recaptcha'] },
  { kind: 'fact', atMs: 60, node: 3, name: 'stage-passed', key: 'abc', detail: 'm.login.dummy', tags: ['true'] },
];

const MESSAGE_KINDS: readonly MessageKind[] = ['request', 'response', 'command', 'result', 'reset', 'timer'];
const DROP_REASONS: readonly DropReason[] = ['partition', 'fault', 'stale', 'down'];

/** Writes events through the hot-path methods, as the engine does. */
function writeAll(trace: Trace, events: readonly TraceEvent[]): void {
  for (const e of events) {
    switch (e.kind) {
      case 'deliver':
        trace.deliver(e.atMs, e.msgId, e.msgKind, e.from, e.to);
        break;
      case 'drop':
        trace.drop(e.atMs, e.msgId, e.reason);
        break;
      case 'crash':
      case 'restart':
        trace.lifecycle(e.kind, e.atMs, e.node, e.incarnation);
        break;
      case 'observe':
        trace.observe(e.atMs, e.actor, e.msgId, e.phase, e.status, e.servedBy, e.key, e.detail, e.tags);
        break;
      case 'fact':
        trace.fact(e.atMs, e.node, e.name, e.key, e.detail, e.tags);
        break;
    }
  }
}

/** Every single-field change of `event` we can think of, each labelled. */
function variants(event: TraceEvent): [string, TraceEvent][] {
  const out: [string, TraceEvent][] = [];
  for (const [field, value] of Object.entries(event)) {
    if (typeof value === 'number') {
      for (const changed of [value + 1, value - 1, value + 2 ** 32, -value - 1]) out.push([`${field}=${changed}`, { ...event, [field]: changed } as TraceEvent]);
    } else if (typeof value === 'string' && (field === 'key' || field === 'detail' || field === 'name')) {
      for (const changed of [`${value}x`, value.slice(1), value.toUpperCase() === value ? value.toLowerCase() : value.toUpperCase()]) {
        if (changed !== value) out.push([`${field}=${changed}`, { ...event, [field]: changed } as TraceEvent]);
      }
    }
  }
  switch (event.kind) {
    case 'deliver':
      for (const k of MESSAGE_KINDS) if (k !== event.msgKind) out.push([`msgKind=${k}`, { ...event, msgKind: k }]);
      break;
    case 'drop':
      for (const r of DROP_REASONS) if (r !== event.reason) out.push([`reason=${r}`, { ...event, reason: r }]);
      break;
    case 'crash':
      out.push(['kind=restart', { ...event, kind: 'restart' }]);
      break;
    case 'restart':
      out.push(['kind=crash', { ...event, kind: 'crash' }]);
      break;
    case 'observe': {
      out.push(['phase flipped', { ...event, phase: event.phase === 'sent' ? 'received' : 'sent' }]);
      out.push(['tag added', { ...event, tags: [...event.tags, 'm.login.email.identity'] }]);
      out.push(['empty tag added', { ...event, tags: [...event.tags, ''] }]);
      out.push(['tag removed', { ...event, tags: event.tags.slice(1) }]);
      out.push(['tags emptied', { ...event, tags: [] }]);
      out.push(['tags reversed', { ...event, tags: [...event.tags].reverse() }]);
      out.push(['tag changed', { ...event, tags: [event.tags[0] ?? '', 'm.login.terms'] }]);
      out.push(['tags joined', { ...event, tags: [event.tags.join('')] }]);
      out.push(['char moved from key to detail', { ...event, key: event.key.slice(0, -1), detail: event.key.slice(-1) + event.detail }]);
      out.push(['key and detail swapped', { ...event, key: event.detail, detail: event.key }]);
      out.push(['char moved from detail to a tag', { ...event, detail: event.detail.slice(0, -1), tags: [event.detail.slice(-1), ...event.tags] }]);
      break;
    }
    case 'fact':
      out.push(['tag added', { ...event, tags: [...event.tags, 'x'] }]);
      out.push(['tags emptied', { ...event, tags: [] }]);
      out.push(['name and key swapped', { ...event, name: event.key, key: event.name }]);
      out.push(['char moved from key to detail', { ...event, key: event.key.slice(0, -1), detail: event.key.slice(-1) + event.detail }]);
      break;
  }
  return out;
}

describe('Trace', () => {
  it('keeps a running hash equal to hashEvents of the captured events', () => {
    const trace = new Trace(true);
    expect(trace.hash).toBe(hashEvents([]));
    writeAll(trace, BASE);
    expect(trace.events).toEqual(BASE);
    expect(trace.hash).toBe(hashEvents(trace.events ?? []));
    expect(trace.length).toBe(BASE.length);
  });

  it('prints the hash as 16 hex digits', () => {
    const trace = new Trace(false);
    expect(trace.hash).toMatch(/^[0-9a-f]{16}$/);
    writeAll(trace, BASE);
    expect(trace.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives the same hash with capture off, and still keeps observations and lifecycle events', () => {
    const captured = new Trace(true);
    const hot = new Trace(false);
    writeAll(captured, BASE);
    writeAll(hot, BASE);
    expect(hot.events).toBeNull();
    expect(hot.hash).toBe(captured.hash);
    expect(hot.length).toBe(BASE.length);
    expect(hot.observations).toEqual(BASE.filter((e) => e.kind === 'observe'));
    expect(hot.lifecycleEvents).toEqual(BASE.filter((e) => e.kind === 'crash' || e.kind === 'restart'));
    expect(hot.facts).toEqual(BASE.filter((e) => e.kind === 'fact'));
  });

  it('with hashing off keeps every event as with it on, and refuses to give a hash', () => {
    const hashed = new Trace(true);
    const unhashed = new Trace(true, false);
    writeAll(hashed, BASE);
    writeAll(unhashed, BASE);
    expect(unhashed.events).toEqual(hashed.events);
    expect(unhashed.length).toBe(BASE.length);
    expect(unhashed.observations).toEqual(hashed.observations);
    expect(unhashed.lifecycleEvents).toEqual(hashed.lifecycleEvents);
    expect(unhashed.facts).toEqual(hashed.facts);
    expect(() => unhashed.hash).toThrow(/not hashed/);
  });

  it('changes hashEvents when any single field of any event changes', () => {
    const base = hashEvents(BASE);
    let checked = 0;
    for (let i = 0; i < BASE.length; i++) {
      for (const [label, changed] of variants(BASE[i] as TraceEvent)) {
        const events = BASE.map((e, j) => (j === i ? changed : e));
        expect(hashEvents(events), `event ${i} (${BASE[i]?.kind}) ${label}`).not.toBe(base);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('distinguishes every message kind and every drop reason', () => {
    const delivers = MESSAGE_KINDS.map((msgKind) => hashEvents([{ kind: 'deliver', atMs: 0, msgId: 0, msgKind, from: 0, to: 0 }]));
    expect(new Set(delivers).size).toBe(MESSAGE_KINDS.length);
    const drops = DROP_REASONS.map((reason) => hashEvents([{ kind: 'drop', atMs: 0, msgId: 0, reason }]));
    expect(new Set(drops).size).toBe(DROP_REASONS.length);
  });

  it('depends on event order', () => {
    const swapped = [BASE[1], BASE[0], ...BASE.slice(2)] as TraceEvent[];
    expect(hashEvents(swapped)).not.toBe(hashEvents(BASE));
    expect(hashEvents([...BASE].reverse())).not.toBe(hashEvents(BASE));
  });

  it('changes when an event is appended or removed', () => {
    expect(hashEvents(BASE.slice(0, -1))).not.toBe(hashEvents(BASE));
    expect(hashEvents([...BASE, BASE[0] as TraceEvent])).not.toBe(hashEvents(BASE));
  });

  it('folds in the high bits of large times (days of virtual time)', () => {
    const at = (atMs: number): string => hashEvents([{ kind: 'crash', atMs, node: 1, incarnation: 1 }]);
    expect(at(2 ** 32 + 5)).not.toBe(at(5));
    expect(at(30 * 86_400_000)).not.toBe(at(30 * 86_400_000 + 1));
  });

  it('cannot confuse a number of 2^32 or more with two small numbers across events', () => {
    const big = 2 ** 32 + 3;
    const a: TraceEvent[] = [
      { kind: 'crash', atMs: big, node: 1, incarnation: 3 },
      { kind: 'crash', atMs: 1, node: 2, incarnation: 9 },
    ];
    const b: TraceEvent[] = [
      { kind: 'crash', atMs: 3, node: 1, incarnation: 1 },
      { kind: 'crash', atMs: big, node: 2, incarnation: 9 },
    ];
    expect(hashEvents(a)).not.toBe(hashEvents(b));
  });

  it('captures events in the order written, with their fields', () => {
    const trace = new Trace(true);
    trace.deliver(1, 7, 'command', 2, 3);
    trace.drop(2, 8, 'stale');
    expect(trace.events).toEqual([
      { kind: 'deliver', atMs: 1, msgId: 7, msgKind: 'command', from: 2, to: 3 },
      { kind: 'drop', atMs: 2, msgId: 8, reason: 'stale' },
    ]);
    expect(trace.observations).toEqual([]);
    expect(trace.lifecycleEvents).toEqual([]);
  });
});
