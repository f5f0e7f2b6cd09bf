import { describe, expect, it } from 'vitest';
import { SHARED_OWNER, TapeChooser, type Chooser } from '../../src/chooser.js';
import type { FaultPlan } from '../../src/faults.js';
import { httpResponse } from '../../src/http.js';
import type { Message } from '../../src/message.js';
import { Network, type NetworkOptions } from '../../src/network.js';
import { RecorderNode, ScriptNode, ScriptedChooser, makeSim, request } from './helpers.js';

function world(options: Partial<NetworkOptions> = {}, chooser: Chooser = new ScriptedChooser()) {
  const sim = makeSim({ chooser });
  const a = sim.addNode((id) => new RecorderNode(sim, id, 'a'));
  const b = sim.addNode((id) => new RecorderNode(sim, id, 'b'));
  const c = sim.addNode((id) => new RecorderNode(sim, id, 'c'));
  const script = sim.addNode((id) => new ScriptNode(sim, id, 'script'));
  const network = new Network(sim, { latencyBucketsMs: [10], connectTimeoutMs: 1000, ...options });
  sim.network = network;
  const send = (kind: 'request' | 'response' | 'command' | 'result', from: number, to: number, owner = 0): Message =>
    kind === 'request'
      ? sim.send('request', from, to, owner, -1, -1, request('/x'))
      : kind === 'response'
        ? sim.send('response', from, to, owner, -1, -1, httpResponse(200, null))
        : sim.send(kind, from, to, owner, -1, -1, null);
  return { sim, a, b, c, script, network, send };
}

const drops = (events: readonly { kind: string }[] | null): unknown[] => (events ?? []).filter((e) => e.kind === 'drop');

describe('Network', () => {
  it('needs at least one latency bucket', () => {
    const sim = makeSim();
    expect(() => new Network(sim, { latencyBucketsMs: [], connectTimeoutMs: 1 })).toThrow(/latency bucket/);
  });

  it('picks the latency bucket with the chooser, on behalf of the message owner', () => {
    const chooser = new ScriptedChooser((_n, owner) => (owner === 0 ? 2 : owner === 1 ? 1 : 0));
    const { sim, b, send } = world({ latencyBucketsMs: [10, 20, 30] }, chooser);
    const m0 = send('request', 0, b.id, 0);
    const m1 = send('request', 0, b.id, 1);
    const shared = send('request', 0, b.id, SHARED_OWNER);
    expect(chooser.calls).toEqual([
      { n: 3, owner: 0 },
      { n: 3, owner: 1 },
      { n: 3, owner: SHARED_OWNER },
    ]);
    sim.run();
    expect(b.received.map((r) => [r.message, r.atMs])).toEqual([
      [shared, 10],
      [m1, 20],
      [m0, 30],
    ]);
  });

  it('reads latency choices from the owner tape', () => {
    const { sim, b, send } = world({ latencyBucketsMs: [10, 20, 30] }, new TapeChooser([[2], [1]], [0]));
    send('request', 0, b.id, 1);
    send('request', 0, b.id, 0);
    sim.run();
    expect(b.received.map((r) => r.atMs)).toEqual([20, 30]);
  });

  it('consumes no tape entry when there is a single latency bucket (it asks for pick(1))', () => {
    const tape = new TapeChooser([[2]]);
    const { sim, b, send } = world({ latencyBucketsMs: [7] }, tape);
    send('request', 0, b.id, 0);
    sim.run();
    expect(b.received.map((r) => r.atMs)).toEqual([7]);
    expect(tape.picks).toEqual([[], []]);
    expect(tape.pick(3, 0)).toBe(2);
  });

  it('does not carry a node timer: it fires after its own delay, not a latency', () => {
    const { sim, a } = world({ latencyBucketsMs: [100] });
    sim.setTimer(a, 5, 0, 'tick');
    sim.run();
    expect(a.received.map((r) => r.atMs)).toEqual([5]);
  });

  describe('partitions', () => {
    const cut: FaultPlan = { faults: [{ kind: 'partition', a: 'a', b: 'b', fromMs: 100, untilMs: 200 }] };

    it('drops messages both ways within [fromMs, untilMs) and only between the two nodes', () => {
      const { sim, a, b, c, script, network, send } = world();
      network.applyFaultPlan(cut);
      const sent = new Map<number, Message>();
      const at = (t: number, from: number, to: number): void => script.at(t, () => void sent.set(t * 10 + to, send('response', from, to)));
      at(50, a.id, b.id);
      at(99, b.id, a.id);
      at(100, b.id, a.id);
      at(150, a.id, b.id);
      at(150, a.id, c.id);
      at(150, c.id, a.id);
      at(199, b.id, a.id);
      at(200, a.id, b.id);
      sim.run();
      expect(b.received.map((r) => r.atMs)).toEqual([60, 210]);
      expect(a.received.map((r) => r.atMs)).toEqual([109, 160]);
      expect(c.received.map((r) => r.atMs)).toEqual([160]);
      const droppedIds = [sent.get(1000 + a.id), sent.get(1500 + b.id), sent.get(1990 + a.id)].map((m) => m?.id);
      expect(drops(sim.trace.events)).toEqual([
        { kind: 'drop', atMs: 100, msgId: droppedIds[0], reason: 'partition' },
        { kind: 'drop', atMs: 150, msgId: droppedIds[1], reason: 'partition' },
        { kind: 'drop', atMs: 199, msgId: droppedIds[2], reason: 'partition' },
      ]);
    });

    it('answers a request or command sent into a partition with a reset after connectTimeoutMs', () => {
      const { sim, a, b, script, network, send } = world({ connectTimeoutMs: 1000 });
      network.applyFaultPlan(cut);
      let req: Message | undefined;
      let cmd: Message | undefined;
      script.at(120, () => (req = send('request', a.id, b.id, 3)));
      script.at(130, () => (cmd = send('command', b.id, a.id, 4)));
      sim.run();
      expect(a.ofKind('reset').map((r) => ({ at: r.atMs, from: r.message.from, replyTo: r.message.replyTo, owner: r.message.owner }))).toEqual([
        { at: 1120, from: b.id, replyTo: req?.id, owner: 3 },
      ]);
      expect(b.ofKind('reset').map((r) => ({ at: r.atMs, from: r.message.from, replyTo: r.message.replyTo, owner: r.message.owner }))).toEqual([
        { at: 1130, from: a.id, replyTo: cmd?.id, owner: 4 },
      ]);
      expect(a.ofKind('command')).toEqual([]);
      expect(b.ofKind('request')).toEqual([]);
    });

    it('answers nothing for a response or result lost in a partition', () => {
      const { sim, a, b, script, network, send } = world();
      network.applyFaultPlan(cut);
      script.at(120, () => send('response', a.id, b.id));
      script.at(130, () => send('result', b.id, a.id));
      sim.run();
      expect(a.received).toEqual([]);
      expect(b.received).toEqual([]);
    });

    it('resolves node names when the plan is applied; a fault naming a node the case lacks never happens', () => {
      const { sim, a, b, network, send } = world();
      network.applyFaultPlan({
        faults: [
          { kind: 'partition', a: 'a', b: 'nowhere', fromMs: 0, untilMs: 1_000 },
          { kind: 'drop', actor: 'ghost', direction: 'request', nth: 1 },
        ],
      });
      send('request', a.id, b.id);
      sim.run();
      expect(b.received.map((r) => r.message.kind)).toEqual(['request']);
    });

    // Fault plans promise that removing one fault keeps the meaning of the others (faults.ts,
    // docs/architecture.md "Network and faults"). A request the actor sent into a partition is still one
    // of the requests it sent, but the drop counter skips it: removing the partition moves the
    // "2nd request from a" drop onto another request.
    it('counts a request lost in a partition towards "the nth request from" its sender', () => {
      const { sim, a, b, script, network, send } = world();
      network.applyFaultPlan({ faults: [...cut.faults, { kind: 'drop', actor: 'a', direction: 'request', nth: 2 }] });
      script.at(150, () => send('request', a.id, b.id)); // 1st, cut by the partition
      let third: Message | undefined;
      script.at(300, () => send('request', a.id, b.id)); // 2nd: the one the drop names
      script.at(400, () => (third = send('request', a.id, b.id))); // 3rd
      sim.run();
      expect(b.ofKind('request').map((r) => r.message)).toEqual([third]);
    });
  });

  describe('drop faults', () => {
    it('drops exactly the nth request sent by the named actor', () => {
      const { sim, a, b, c, network, send } = world();
      network.applyFaultPlan({ faults: [{ kind: 'drop', actor: 'a', direction: 'request', nth: 2 }] });
      const a1 = send('request', a.id, b.id);
      const c1 = send('request', c.id, b.id);
      send('response', a.id, b.id); // not a request: not counted
      const a2 = send('request', a.id, b.id);
      const c2 = send('request', c.id, b.id);
      const a3 = send('request', a.id, b.id);
      sim.run();
      expect(b.ofKind('request').map((r) => r.message)).toEqual([a1, c1, c2, a3]);
      expect(drops(sim.trace.events)).toEqual([{ kind: 'drop', atMs: 0, msgId: a2.id, reason: 'fault' }]);
    });

    it('drops exactly the nth response sent to the named actor, whoever sends it', () => {
      const { sim, a, b, c, network, send } = world();
      network.applyFaultPlan({ faults: [{ kind: 'drop', actor: 'a', direction: 'response', nth: 2 }] });
      const r1 = send('response', b.id, a.id);
      send('response', a.id, b.id); // a response from a, not to it
      const req = send('request', b.id, a.id); // a request to a: not counted
      const r2 = send('response', c.id, a.id);
      const r3 = send('response', b.id, a.id);
      sim.run();
      expect(a.received.map((r) => r.message)).toEqual([r1, req, r3]);
      expect(drops(sim.trace.events)).toEqual([{ kind: 'drop', atMs: 0, msgId: r2.id, reason: 'fault' }]);
    });

    it('gives no reset for a dropped request: the sender waits', () => {
      const { sim, a, b, network, send } = world();
      network.applyFaultPlan({ faults: [{ kind: 'drop', actor: 'a', direction: 'request', nth: 1 }] });
      send('request', a.id, b.id);
      sim.run();
      expect(a.received).toEqual([]);
      expect(b.received).toEqual([]);
    });

    it('drops both when two faults name different counts of the same actor', () => {
      const { sim, a, b, network, send } = world();
      network.applyFaultPlan({
        faults: [
          { kind: 'drop', actor: 'a', direction: 'request', nth: 1 },
          { kind: 'drop', actor: 'a', direction: 'request', nth: 3 },
        ],
      });
      const sent = [1, 2, 3, 4].map(() => send('request', a.id, b.id));
      sim.run();
      expect(b.received.map((r) => r.message)).toEqual([sent[1], sent[3]]);
    });
  });
});
