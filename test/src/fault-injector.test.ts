import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/effects.js';
import { CaseDoesNotFitError, FaultInjector } from '../../src/fault-injector.js';
import type { FaultPlan } from '../../src/faults.js';
import { httpResponse } from '../../src/http.js';
import { ProcessNode } from '../../src/process.js';
import { RecorderNode, ScriptNode, makeSim, request } from './helpers.js';

/** A client that asks `web` at the given times, a web process answering after 10 ms, an
 * injector. No network: messages arrive at once. */
function world(askAtMs: readonly number[] = []) {
  const sim = makeSim();
  const client = sim.addNode((id) => new RecorderNode(sim, id, 'client'));
  const other = sim.addNode((id) => new RecorderNode(sim, id, 'other'));
  const script = sim.addNode((id) => new ScriptNode(sim, id, 'script'));
  const web = sim.addNode(
    (id) =>
      new ProcessNode(sim, id, 'web', () => ({
        *handleRequest() {
          yield* sleep(10);
          return httpResponse(200, null, id);
        },
      })),
  );
  const faults = sim.addNode((id) => new FaultInjector(sim, id, 'faults'));
  for (const t of askAtMs) script.at(t, () => sim.send('request', client.id, web.id, 0, -1, -1, request('/')));
  const lifecycle = () => sim.trace.lifecycleEvents.map((e) => [e.kind, e.atMs, e.incarnation]);
  return { sim, client, other, script, web, faults, lifecycle };
}

describe('FaultInjector', () => {
  it('crashes a process at atMs and restarts it downMs later', () => {
    const { sim, script, web, faults, lifecycle } = world();
    faults.schedule({ faults: [{ kind: 'crash', node: 'web', atMs: 100, downMs: 50 }] });
    const upAt: [number, boolean][] = [];
    for (const t of [99, 101, 149, 151]) script.at(t, () => upAt.push([t, web.up]));
    sim.run();
    expect(lifecycle()).toEqual([
      ['crash', 100, 1],
      ['restart', 150, 2],
    ]);
    expect(upAt).toEqual([
      [99, true],
      [101, false],
      [149, false],
      [151, true],
    ]);
    expect(web.incarnation).toBe(2);
  });

  it('keeps a process down for at least 1 ms', () => {
    const { sim, faults, lifecycle } = world();
    faults.schedule({ faults: [{ kind: 'crash', node: 'web', atMs: 10, downMs: 0 }] });
    sim.run();
    expect(lifecycle()).toEqual([
      ['crash', 10, 1],
      ['restart', 11, 2],
    ]);
  });

  it('runs several crashes of one process in order', () => {
    const { sim, faults, lifecycle } = world();
    faults.schedule({
      faults: [
        { kind: 'crash', node: 'web', atMs: 500, downMs: 5 },
        { kind: 'crash', node: 'web', atMs: 100, downMs: 5 },
      ],
    });
    sim.run();
    expect(lifecycle()).toEqual([
      ['crash', 100, 1],
      ['restart', 105, 2],
      ['crash', 500, 2],
      ['restart', 505, 3],
    ]);
  });

  it('crashes atMs after the nth response delivered to the anchor actor', () => {
    // Responses to the client arrive at 10, 110 and 210.
    const { sim, client, faults, lifecycle } = world([0, 100, 200]);
    faults.schedule({ faults: [{ kind: 'crash', node: 'web', atMs: 30, after: { actor: 'client', nthResponse: 2 }, downMs: 20 }] });
    sim.run();
    expect(client.ofKind('response').map((r) => r.atMs)).toEqual([10, 110, 210]);
    expect(lifecycle()).toEqual([
      ['crash', 140, 1],
      ['restart', 160, 2],
    ]);
  });

  it('counts only responses delivered to the anchor actor', () => {
    const { sim, other, web, script, faults, lifecycle } = world([5]);
    // `other` gets two responses (at 10 and 11) before the client gets its first (at 15).
    for (const t of [0, 1]) script.at(t, () => sim.send('request', other.id, web.id, 1, -1, -1, request('/')));
    faults.schedule({ faults: [{ kind: 'crash', node: 'web', atMs: 0, after: { actor: 'client', nthResponse: 1 }, downMs: 5 }] });
    sim.run();
    expect(lifecycle()).toEqual([
      ['crash', 15, 1],
      ['restart', 20, 2],
    ]);
  });

  it('never crashes when the anchor actor is missing, or never gets that many responses', () => {
    const missing = world([0, 100]);
    missing.faults.schedule({ faults: [{ kind: 'crash', node: 'web', atMs: 0, after: { actor: 'nobody', nthResponse: 1 }, downMs: 5 }] });
    expect(missing.sim.onResponseDelivered).toBeNull();
    missing.sim.run();
    expect(missing.lifecycle()).toEqual([]);

    const tooFew = world([0, 100]);
    tooFew.faults.schedule({ faults: [{ kind: 'crash', node: 'web', atMs: 0, after: { actor: 'client', nthResponse: 3 }, downMs: 5 }] });
    tooFew.sim.run();
    expect(tooFew.lifecycle()).toEqual([]);
  });

  it('leaves partitions and drops to the network', () => {
    const { sim, faults, lifecycle } = world([0]);
    const plan: FaultPlan = {
      faults: [
        { kind: 'partition', a: 'client', b: 'web', fromMs: 0, untilMs: 100 },
        { kind: 'drop', actor: 'client', direction: 'response', nth: 1 },
      ],
    };
    faults.schedule(plan);
    sim.run();
    expect(lifecycle()).toEqual([]);
    expect(sim.onResponseDelivered).toBeNull();
  });

  it('refuses to crash a node that is not a process, and an unknown node', () => {
    const { faults } = world();
    // Either way the case does not fit the deployment (replay reports it as bad input, exit 2).
    expect(() => faults.schedule({ faults: [{ kind: 'crash', node: 'client', atMs: 1, downMs: 1 }] })).toThrow(CaseDoesNotFitError);
    expect(() => faults.schedule({ faults: [{ kind: 'crash', node: 'client', atMs: 1, downMs: 1 }] })).toThrow(/the case crashes client, which is not a process of this deployment \(its processes: /);
    expect(() => faults.schedule({ faults: [{ kind: 'crash', node: 'ghost', atMs: 1, downMs: 1 }] })).toThrow(CaseDoesNotFitError);
    expect(() => faults.schedule({ faults: [{ kind: 'crash', node: 'ghost', atMs: 1, downMs: 1 }] })).toThrow(/the case crashes ghost, which is not a process of this deployment \(its processes: /);
  });

  it('takes only its own timers', () => {
    const { sim, client, faults } = world();
    sim.send('request', client.id, faults.id, 0, -1, -1, request('/'));
    expect(() => sim.run()).toThrow(/only takes its own timers/);
  });

  // A second crash of a process that is already down is a no-op, but its restart is not: the
  // process comes back at 210 instead of 1100, cutting the first fault's downtime short
  // ("web crashes at 100 ms and restarts 1000 ms later" does not hold).
  it('does not cut a downtime short with the restart of an overlapping crash', () => {
    const { sim, faults, lifecycle } = world();
    faults.schedule({
      faults: [
        { kind: 'crash', node: 'web', atMs: 100, downMs: 1000 },
        { kind: 'crash', node: 'web', atMs: 200, downMs: 10 },
      ],
    });
    sim.run();
    expect(lifecycle()).toEqual([
      ['crash', 100, 1],
      ['restart', 1100, 2],
    ]);
  });
});
