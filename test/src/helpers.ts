// Small building blocks for the engine's unit tests: a recording node, a script node that runs
// closures at virtual times, scripted choosers and a Sim factory with test defaults.
import { SHARED_OWNER, type Chooser } from '../../src/chooser.js';
import type { HttpMethod, HttpRequest } from '../../src/http.js';
import type { Message } from '../../src/message.js';
import { Sim, type SimNode, type SimOptions } from '../../src/sim.js';

export interface Received {
  readonly atMs: number;
  readonly message: Message;
}

/** A node that records every message it receives (with the time) and does nothing else. */
export class RecorderNode implements SimNode {
  up = true;
  incarnation = 1;
  readonly received: Received[] = [];

  constructor(
    readonly sim: Sim,
    readonly id: number,
    readonly name: string,
  ) {}

  receive(message: Message): void {
    this.received.push({ atMs: this.sim.nowMs, message });
  }

  /** The received messages of one kind. */
  ofKind(kind: Message['kind']): Received[] {
    return this.received.filter((r) => r.message.kind === kind);
  }
}

/** A node whose timers carry closures: `at(t, fn)` runs `fn` at virtual time `t`. */
export class ScriptNode implements SimNode {
  readonly up = true;
  readonly incarnation = 1;

  constructor(
    readonly sim: Sim,
    readonly id: number,
    readonly name: string,
  ) {}

  at(timeMs: number, action: () => void): void {
    this.sim.setTimer(this, timeMs - this.sim.nowMs, SHARED_OWNER, action);
  }

  receive(message: Message): void {
    if (message.kind !== 'timer') throw new Error(`script node got a ${message.kind}`);
    (message.payload as () => void)();
  }
}

/** A chooser that answers with `answer(n, owner)` and records every call. */
export class ScriptedChooser implements Chooser {
  readonly calls: { n: number; owner: number }[] = [];

  constructor(private readonly answer: (n: number, owner: number) => number = () => 0) {}

  pick(n: number, owner: number): number {
    this.calls.push({ n, owner });
    return this.answer(n, owner);
  }
}

export function makeSim(options: Partial<SimOptions> = {}): Sim {
  return new Sim({
    seed: 1,
    chooser: new ScriptedChooser(),
    reorderWindowMs: 0,
    captureTrace: true,
    stepBudget: 100_000,
    ...options,
  });
}

export function request(path: string, method: HttpMethod = 'GET', ip = '10.0.0.1', body: unknown = null): HttpRequest {
  return { method, path, query: '', body, ip, userAgent: 'test' };
}
