// Hand-built traces for the checkers: client observations and server facts, no simulation.
import { FACTS, type FactName } from '../../../models/synapse/facts.js';
import { PROFILES, type ProfileName } from '../../../models/synapse/profile.js';
import type { RunResult } from '../../../models/world.js';
import type { FactEvent, LifecycleEvent, ObserveEvent } from '../../../src/trace.js';

export const NODES = ['db', 'main', 'reader1', 'reader2', 'router', 'faults', 'app A', 'browser A', 'app B', 'browser B'];
export const MAIN = 1;
export const READER1 = 2;
export const READER2 = 3;
export const APP = 0;
export const BROWSER = 1;
export const APP_B = 2;
export const X = 'sessionXsessionXsessionX';
export const Y = 'sessionYsessionYsessionY';
export const S = 'm.login.recaptcha';
export const T = 'm.login.terms';
export const D = 'm.login.dummy';
export const HOUR = 60 * 60 * 1000;
export const REGISTER = 'POST /_matrix/client/r0/register';
export const UNKNOWN_X = `M_UNKNOWN: Unknown session ID: ${X}`;

/** Builds a trace: `send` returns the request's id for its `recv`; `fact` adds a server fact. */
export class Story {
  readonly observations: ObserveEvent[] = [];
  readonly facts: FactEvent[] = [];
  readonly lifecycle: LifecycleEvent[] = [];
  private nextId = 100;

  send(atMs: number, key: string, options: { actor?: number; what?: string; tags?: readonly string[] } = {}): number {
    const msgId = this.nextId++;
    this.observations.push({ kind: 'observe', atMs, actor: options.actor ?? APP, msgId, phase: 'sent', status: 0, servedBy: -1, key, detail: options.what ?? 'POST /register', tags: options.tags ?? [] });
    return msgId;
  }

  recv(atMs: number, msgId: number, status: number, options: { servedBy?: number; key?: string; detail?: string; tags?: readonly string[] } = {}): this {
    const request = this.observations.find((e) => e.msgId === msgId && e.phase === 'sent');
    this.observations.push({
      kind: 'observe',
      atMs,
      actor: request?.actor ?? APP,
      msgId,
      phase: 'received',
      status,
      servedBy: options.servedBy ?? READER1,
      key: options.key ?? '',
      detail: options.detail ?? '',
      tags: options.tags ?? [],
    });
    return this;
  }

  fact(atMs: number, name: FactName, key: string, detail: string, options: { tags?: readonly string[]; node?: number } = {}): this {
    this.facts.push({ kind: 'fact', atMs, node: options.node ?? READER1, name, key, detail, tags: options.tags ?? [] });
    return this;
  }

  lifecycleEvent(kind: 'crash' | 'restart', atMs: number, node: number): this {
    this.lifecycle.push({ kind, atMs, node, incarnation: kind === 'crash' ? 1 : 2 });
    return this;
  }

  /** A first request without a session, answered by a 401 naming X, created on `node`. */
  static opening(atMs = 0, node = READER1): Story {
    const story = new Story();
    story.fact(atMs + 2, FACTS.sessionCreated, X, REGISTER, { node });
    story.recv(atMs + 5, story.send(atMs, ''), 401, { key: X, servedBy: node });
    return story;
  }

  /** Opening, then stage `stage` passed directly and listed in the 401 answering request 2. */
  static passed(stage = S, atMs = 10, node = READER1): Story {
    const story = Story.opening(0, node);
    story.fact(atMs + 2, FACTS.stagePassed, X, stage, { tags: ['true'], node });
    story.recv(atMs + 5, story.send(atMs, X, { tags: [stage] }), 401, { key: X, tags: [stage], servedBy: node });
    return story;
  }

  result(profile: ProfileName = 'head'): RunResult {
    return {
      traceHash: '0',
      observations: this.observations,
      lifecycle: this.lifecycle,
      facts: [...this.facts].sort((a, b) => a.atMs - b.atMs),
      cpuMsByNode: [],
      events: null,
      nodeNames: NODES,
      profile: PROFILES[profile],
      steps: 0,
      endMs: 0,
      canonicalTapes: { actors: [], shared: [] },
      roundStartsMs: [],
    };
  }
}
