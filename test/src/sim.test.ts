import { describe, expect, it } from 'vitest';
import { RandomChooser } from '../../src/chooser.js';
import { httpResponse } from '../../src/http.js';
import type { Message } from '../../src/message.js';
import { Network } from '../../src/network.js';
import { Rng } from '../../src/rng.js';
import { FaultInjector } from '../../src/fault-injector.js';
import { Sim, StepBudgetExceededError, type SimNode } from '../../src/sim.js';
import { RecorderNode, makeSim, request } from './helpers.js';

/** Answers every message with another one to `peer` after 1 ms, forever. */
class PingNode implements SimNode {
  readonly up = true;
  readonly incarnation = 1;
  peer = -1;
  count = 0;

  constructor(
    readonly sim: Sim,
    readonly id: number,
    readonly name: string,
    private readonly stopAfter = Infinity,
  ) {}

  receive(_message: Message): void {
    this.count++;
    if (this.count >= this.stopAfter) this.sim.stop();
    this.sim.send('result', this.id, this.peer, 0, -1, -1, this.count);
  }
}

function pingPong(stepBudget: number, stopAfter = Infinity) {
  const sim = makeSim({ stepBudget });
  sim.network = new Network(sim, { latencyBucketsMs: [1], connectTimeoutMs: 10 });
  const a = sim.addNode((id) => new PingNode(sim, id, 'a', stopAfter));
  const b = sim.addNode((id) => new PingNode(sim, id, 'b', stopAfter));
  a.peer = b.id;
  b.peer = a.id;
  sim.send('result', a.id, b.id, 0, -1, -1, 0);
  return { sim, a, b };
}

describe('Sim', () => {
  it('release() lets every node drop its references, forgets the nodes and runs no more', () => {
    const { sim, a } = pingPong(1_000, 3);
    const released: string[] = [];
    Object.assign(a, { release: () => released.push('a') });
    const faults = sim.addNode((id) => new FaultInjector(sim, id, 'faults'));
    sim.run();
    const steps = sim.stepCount;
    sim.release();
    expect(released).toEqual(['a']);
    expect(sim.nodes).toEqual([]);
    sim.run();
    expect(sim.stepCount).toBe(steps);
    // A released fault injector refers to no world: using it is a broken rule, not a silent no-op.
    expect(() => faults.schedule({ faults: [{ kind: 'crash', node: 'a', atMs: 1, downMs: 1 }] })).toThrow(/released/);
  });

  it('throws StepBudgetExceededError when a run needs more events than its budget', () => {
    const { sim } = pingPong(50);
    expect(() => sim.run()).toThrow(StepBudgetExceededError);
    expect(sim.stepCount).toBe(51);
    const again = pingPong(50);
    expect(() => again.sim.run()).toThrow(/step budget of 50 events at 50 ms/);
  });

  it('runs exactly `stepBudget` events without complaint', () => {
    const sim = makeSim({ stepBudget: 3 });
    const node = sim.addNode((id) => new RecorderNode(sim, id, 'n'));
    for (const t of [1, 2, 3]) sim.setTimer(node, t, 0, t);
    expect(() => sim.run()).not.toThrow();
    expect(node.received).toHaveLength(3);
    sim.setTimer(node, 1, 0, 4);
    expect(() => sim.run()).toThrow(StepBudgetExceededError);
  });

  it('ends the run when a node calls stop(), leaving the rest queued', () => {
    const { sim, a, b } = pingPong(1000, 3);
    sim.run();
    expect(sim.isStopped).toBe(true);
    expect(a.count + b.count).toBe(5); // b stops on its 3rd message, a has had 2
    expect(sim.stepCount).toBe(5);
    expect(sim.scheduler.size).toBe(1);
    sim.run(); // still stopped: nothing more happens
    expect(sim.stepCount).toBe(5);
  });

  it('returns when nothing is left to do, with the clock at the last event', () => {
    const sim = makeSim();
    const node = sim.addNode((id) => new RecorderNode(sim, id, 'n'));
    sim.setTimer(node, 250, 0, 'late');
    sim.setTimer(node, 100, 0, 'early');
    sim.run();
    expect(node.received.map((r) => [r.atMs, r.message.payload])).toEqual([
      [100, 'early'],
      [250, 'late'],
    ]);
    expect(sim.nowMs).toBe(250);
    expect(sim.isStopped).toBe(false);
  });

  it('finds nodes by id and by name, and throws for unknown ones', () => {
    const sim = makeSim();
    const node = sim.addNode((id) => new RecorderNode(sim, id, 'main'));
    expect(sim.node(0)).toBe(node);
    expect(sim.nodeByName('main')).toBe(node);
    expect(() => sim.nodeByName('reader9')).toThrow('sim: no node named reader9');
    expect(() => sim.node(1)).toThrow('sim: no node with id 1');
  });

  it('insists a node takes the id it was given', () => {
    const sim = makeSim();
    expect(() => sim.addNode(() => new RecorderNode(sim, 5, 'wrong'))).toThrow(/must take the id/);
  });

  it('delivers sent messages with fresh increasing ids, and traces each delivery', () => {
    const sim = makeSim();
    const a = sim.addNode((id) => new RecorderNode(sim, id, 'a'));
    const b = sim.addNode((id) => new RecorderNode(sim, id, 'b'));
    const m1 = sim.send('request', a.id, b.id, 0, -1, -1, request('/x'));
    const m2 = sim.send('response', b.id, a.id, 0, m1.id, -1, httpResponse(200, null));
    expect(m2.id).toBeGreaterThan(m1.id);
    expect(sim.newMessageId()).toBeGreaterThan(m2.id);
    sim.run();
    expect(b.received.map((r) => r.message)).toEqual([m1]);
    expect(a.received.map((r) => r.message)).toEqual([m2]);
    expect(sim.trace.events).toEqual([
      { kind: 'deliver', atMs: 0, msgId: m1.id, msgKind: 'request', from: a.id, to: b.id },
      { kind: 'deliver', atMs: 0, msgId: m2.id, msgKind: 'response', from: b.id, to: a.id },
    ]);
  });

  it('refuses a request or a command to a down node with a reset, and just drops anything else', () => {
    const sim = makeSim();
    const a = sim.addNode((id) => new RecorderNode(sim, id, 'a'));
    const down = sim.addNode((id) => new RecorderNode(sim, id, 'down'));
    down.up = false;
    const req = sim.send('request', a.id, down.id, 2, -1, -1, request('/x'));
    const cmd = sim.send('command', a.id, down.id, 3, -1, -1, null);
    const res = sim.send('response', a.id, down.id, 0, -1, -1, httpResponse(200, null));
    sim.setTimer(down, 5, 0, 'tick');
    sim.run();
    expect(down.received).toEqual([]);
    expect(a.received.map((r) => [r.message.kind, r.message.replyTo, r.message.from, r.message.owner])).toEqual([
      ['reset', req.id, down.id, 2],
      ['reset', cmd.id, down.id, 3],
    ]);
    expect(sim.trace.events?.filter((e) => e.kind === 'drop').map((e) => (e.kind === 'drop' ? [e.msgId, e.reason] : []))).toEqual([
      [req.id, 'down'],
      [cmd.id, 'down'],
      [res.id, 'down'],
      [expect.any(Number), 'down'],
    ]);
  });

  it('drops a message meant for another incarnation of its target as stale', () => {
    const sim = makeSim();
    const a = sim.addNode((id) => new RecorderNode(sim, id, 'a'));
    const b = sim.addNode((id) => new RecorderNode(sim, id, 'b'));
    b.incarnation = 2;
    const old = sim.send('result', a.id, b.id, 0, -1, 1, null);
    const current = sim.send('result', a.id, b.id, 0, -1, 2, null);
    const any = sim.send('result', a.id, b.id, 0, -1, -1, null);
    sim.run();
    expect(b.received.map((r) => r.message)).toEqual([current, any]);
    expect(sim.trace.events?.filter((e) => e.kind === 'drop')).toEqual([{ kind: 'drop', atMs: 0, msgId: old.id, reason: 'stale' }]);
  });

  it('makes a timer stale when its node restarts, and never delivers a cancelled timer', () => {
    const sim = makeSim();
    const node = sim.addNode((id) => new RecorderNode(sim, id, 'n'));
    sim.setTimer(node, 10, 0, 'first life');
    const cancelled = sim.setTimer(node, 20, 0, 'cancelled');
    sim.cancel(cancelled);
    node.incarnation = 2;
    sim.setTimer(node, 30, 0, 'second life');
    sim.run();
    expect(node.received.map((r) => r.message.payload)).toEqual(['second life']);
  });

  it('calls onResponseDelivered with the target of each delivered response only', () => {
    const sim = makeSim();
    const a = sim.addNode((id) => new RecorderNode(sim, id, 'a'));
    const b = sim.addNode((id) => new RecorderNode(sim, id, 'b'));
    const seen: number[] = [];
    sim.onResponseDelivered = (to) => seen.push(to);
    sim.send('response', a.id, b.id, 0, -1, -1, httpResponse(200, null));
    sim.send('request', b.id, a.id, 0, -1, -1, request('/'));
    sim.send('response', b.id, a.id, 0, -1, -1, httpResponse(200, null));
    sim.send('response', a.id, b.id, 0, -1, 7, httpResponse(200, null)); // stale: not delivered
    sim.run();
    expect(seen).toEqual([b.id, a.id]);
  });

  it('is deterministic: the same seed and choices give the same trace hash', () => {
    const runOnce = (seed: number): string => {
      const sim = new Sim({ seed, chooser: new RandomChooser(new Rng(seed, 'choices')), reorderWindowMs: 5, captureTrace: false, stepBudget: 10_000 });
      sim.network = new Network(sim, { latencyBucketsMs: [1, 3, 8], connectTimeoutMs: 100 });
      const nodes = [0, 1, 2].map((i) => sim.addNode((id) => new PingNode(sim, id, `p${i}`, 40)));
      nodes.forEach((n, i) => (n.peer = (i + 1) % nodes.length));
      for (const n of nodes) sim.send('result', n.id, n.peer, 0, -1, -1, 0);
      sim.run();
      return sim.trace.hash;
    };
    expect(runOnce(1)).toBe(runOnce(1));
    expect(runOnce(2)).toBe(runOnce(2));
    expect(runOnce(2)).not.toBe(runOnce(1));
  });
});
