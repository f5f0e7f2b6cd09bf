import { describe, expect, it } from 'vitest';
import { call, cpu, sleep, type Task } from '../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../src/http.js';
import type { Message } from '../../src/message.js';
import { Network } from '../../src/network.js';
import { ProcessNode, type App, type ProcessContext } from '../../src/process.js';
import { Rng } from '../../src/rng.js';
import type { TraceEvent } from '../../src/trace.js';
import { RecorderNode, ScriptNode, makeSim, request } from './helpers.js';

type Command = { readonly op: 'get'; readonly key: string } | { readonly op: 'set'; readonly key: string; readonly value: number };

/** A client, a script node and a key-value service `db`; `latencyMs` adds a network. */
function world(options: { latencyMs?: number; connectTimeoutMs?: number } = {}) {
  const sim = makeSim({ seed: 77 });
  const client = sim.addNode((id) => new RecorderNode(sim, id, 'client'));
  const script = sim.addNode((id) => new ScriptNode(sim, id, 'script'));
  const store = new Map<string, number>();
  const executed: Command[] = [];
  const db = sim.addNode(
    (id) =>
      new ProcessNode(sim, id, 'db', () => ({
        handleCommand(raw: unknown): unknown {
          const command = raw as Command;
          executed.push(command);
          if (command.op === 'get') return store.get(command.key) ?? 0;
          store.set(command.key, command.value);
          return 'ok';
        },
      })),
  );
  if (options.latencyMs !== undefined) {
    sim.network = new Network(sim, { latencyBucketsMs: [options.latencyMs], connectTimeoutMs: options.connectTimeoutMs ?? 1000 });
  }
  /** A process `web` whose requests all go to `handler`. */
  const web = (handler: (req: HttpRequest, ctx: ProcessContext) => Task<HttpResponse>): ProcessNode =>
    sim.addNode((id) => new ProcessNode(sim, id, 'web', (ctx) => ({ handleRequest: (req) => handler(req, ctx) })));
  const ask = (to: number, path = '/', owner = 0): Message => sim.send('request', client.id, to, owner, -1, -1, request(path));
  const answers = () =>
    client.received.map(({ atMs, message }) =>
      message.kind === 'response'
        ? { atMs, kind: message.kind, replyTo: message.replyTo, status: message.payload.status, body: message.payload.body, servedBy: message.payload.servedBy }
        : { atMs, kind: message.kind, replyTo: message.replyTo, from: message.from },
    );
  return { sim, client, script, db, store, executed, web, ask, answers };
}

const eventsOf = (events: readonly TraceEvent[] | null, kind: TraceEvent['kind']): TraceEvent[] => (events ?? []).filter((e) => e.kind === kind);

describe('ProcessNode', () => {
  it('sends the command of a `call` effect to the service and resumes the handler with its result', () => {
    const { sim, db, store, executed, web, ask, answers } = world();
    store.set('k', 41);
    const node = web(function* (_req, ctx) {
      const value = yield* call<number>(db.id, { op: 'get', key: 'k' });
      return httpResponse(200, { value: value + 1 }, ctx.node.id);
    });
    const req = ask(node.id);
    sim.run();
    expect(executed).toEqual([{ op: 'get', key: 'k' }]);
    expect(answers()).toEqual([{ atMs: 0, kind: 'response', replyTo: req.id, status: 200, body: { value: 42 }, servedBy: node.id }]);
    const delivered = eventsOf(sim.trace.events, 'deliver').map((e) => (e.kind === 'deliver' ? [e.msgKind, e.from, e.to] : []));
    expect(delivered).toEqual([
      ['request', 0, node.id],
      ['command', node.id, db.id],
      ['result', db.id, node.id],
      ['response', node.id, 0],
    ]);
  });

  it('lets other handlers run at each yield (two read-modify-writes lose an update)', () => {
    const { sim, db, store, web, ask } = world();
    const node = web(function* (_req, ctx) {
      const value = yield* call<number>(db.id, { op: 'get', key: 'n' });
      yield* call(db.id, { op: 'set', key: 'n', value: value + 1 });
      return httpResponse(200, null, ctx.node.id);
    });
    ask(node.id);
    ask(node.id);
    sim.run();
    expect(store.get('n')).toBe(1);
  });

  it('runs cpu-bound handlers one after the other, but lets sleeping handlers overlap', () => {
    const cpuWorld = world();
    const busy = cpuWorld.web(function* (_req, ctx) {
      yield* cpu(100);
      return httpResponse(200, null, ctx.node.id);
    });
    cpuWorld.ask(busy.id);
    cpuWorld.ask(busy.id);
    cpuWorld.sim.run();
    expect(cpuWorld.answers().map((a) => a.atMs)).toEqual([100, 200]);

    const sleepWorld = world();
    const idle = sleepWorld.web(function* (_req, ctx) {
      yield* sleep(100);
      return httpResponse(200, null, ctx.node.id);
    });
    sleepWorld.ask(idle.id);
    sleepWorld.ask(idle.id);
    sleepWorld.sim.run();
    expect(sleepWorld.answers().map((a) => a.atMs)).toEqual([100, 100]);
  });

  it('queues cpu work behind earlier cpu work that started later', () => {
    const { sim, script, web, ask, answers } = world();
    const node = web(function* (req, ctx) {
      yield* cpu(req.path === '/long' ? 100 : 10);
      return httpResponse(200, req.path, ctx.node.id);
    });
    ask(node.id, '/long');
    script.at(50, () => ask(node.id, '/short'));
    sim.run();
    expect(answers().map((a) => [a.atMs, 'body' in a ? a.body : null])).toEqual([
      [100, '/long'],
      [110, '/short'],
    ]);
  });

  it('on crash drops in-flight handlers and resets their open requests', () => {
    const { sim, script, web, ask, answers } = world();
    let resumed = false;
    const node = web(function* (_req, ctx) {
      yield* sleep(100);
      resumed = true;
      return httpResponse(200, null, ctx.node.id);
    });
    const req = ask(node.id);
    script.at(50, () => node.crash());
    script.at(60, () => node.restart());
    sim.run();
    expect(answers()).toEqual([{ atMs: 50, kind: 'reset', replyTo: req.id, from: node.id }]);
    expect(resumed).toBe(false);
    expect(sim.trace.lifecycleEvents).toEqual([
      // nextMessageId: four messages were sent before the crash (the request, the handler's
      // sleep timer, the script's two timers); the reset the crash sent got id 5.
      { kind: 'crash', atMs: 50, node: node.id, incarnation: 1, nextMessageId: 5 },
      { kind: 'restart', atMs: 60, node: node.id, incarnation: 2, nextMessageId: 6 },
    ]);
    // The sleep timer of the first life fires at 100 and is dropped as stale.
    expect(eventsOf(sim.trace.events, 'drop')).toEqual([expect.objectContaining({ atMs: 100, reason: 'stale' })]);
  });

  it('drops a result that arrives after a restart as stale', () => {
    const { sim, script, db, executed, web, ask, answers } = world({ latencyMs: 10 });
    const node = web(function* (_req, ctx) {
      const value = yield* call<number>(db.id, { op: 'get', key: 'k' });
      return httpResponse(200, value, ctx.node.id);
    });
    // request at web 10, command at db 20, result back at web 30
    const req = ask(node.id);
    script.at(25, () => node.crash());
    script.at(27, () => node.restart());
    sim.run();
    expect(executed).toHaveLength(1);
    expect(answers()).toEqual([{ atMs: 25, kind: 'reset', replyTo: req.id, from: node.id }]);
    const result = eventsOf(sim.trace.events, 'deliver').find((e) => e.kind === 'deliver' && e.msgKind === 'result');
    expect(result).toMatchObject({ atMs: 30, to: node.id });
    expect(eventsOf(sim.trace.events, 'drop')).toEqual([{ kind: 'drop', atMs: 30, msgId: result?.kind === 'deliver' ? result.msgId : -1, reason: 'stale' }]);
  });

  it('rebuilds the app from its factory on restart: volatile state lost, durable kept, new incarnation and rng stream', () => {
    const { sim, script, ask, answers } = world();
    let durable = 0;
    const contexts: ProcessContext[] = [];
    const node = sim.addNode(
      (id) =>
        new ProcessNode(sim, id, 'web', (ctx): App => {
          contexts.push(ctx);
          let volatile = 0;
          return {
            *handleRequest() {
              volatile++;
              durable++;
              return httpResponse(200, { volatile, durable, session: ctx.rng.letters(8) }, ctx.node.id);
            },
          };
        }),
    );
    ask(node.id);
    script.at(10, () => ask(node.id));
    script.at(20, () => node.crash());
    script.at(30, () => node.restart());
    script.at(40, () => ask(node.id));
    sim.run();
    expect(node.incarnation).toBe(2);
    expect(node.up).toBe(true);
    expect(contexts).toHaveLength(2);
    expect(contexts.map((c) => c.rng.labelPath)).toEqual(['web#1', 'web#2']);
    expect(contexts.every((c) => c.node === node && c.sim === sim)).toBe(true);
    const bodies = answers().map((a) => ('body' in a ? a.body : null)) as { volatile: number; durable: number; session: string }[];
    expect(bodies.map((b) => [b.volatile, b.durable])).toEqual([
      [1, 1],
      [2, 2],
      [1, 3],
    ]);
    // The second life draws from `web#2`, not from where `web#1` stopped.
    const second = new Rng(77, 'web#2');
    expect(bodies[2]?.session).toBe(second.letters(8));
    const first = new Rng(77, 'web#1');
    expect([bodies[0]?.session, bodies[1]?.session]).toEqual([first.letters(8), first.letters(8)]);
  });

  it('answers 500 when a call is reset because the service is down (BackendUnavailableError)', () => {
    const { sim, db, web, ask, answers } = world();
    let after = false;
    const node = web(function* (_req, ctx) {
      yield* call(db.id, { op: 'get', key: 'k' });
      after = true;
      return httpResponse(200, null, ctx.node.id);
    });
    db.crash();
    const req = ask(node.id);
    sim.run();
    expect(after).toBe(false);
    expect(answers()).toEqual([{ atMs: 0, kind: 'response', replyTo: req.id, status: 500, body: { errcode: 'M_UNKNOWN', error: 'Internal server error' }, servedBy: node.id }]);
    expect(eventsOf(sim.trace.events, 'drop')).toEqual([expect.objectContaining({ reason: 'down' })]);
  });

  it('answers 500 after the connect timeout when the service is cut off by a partition', () => {
    const { sim, db, web, ask, answers } = world({ latencyMs: 10, connectTimeoutMs: 1000 });
    const node = web(function* (_req, ctx) {
      yield* call(db.id, { op: 'get', key: 'k' });
      return httpResponse(200, null, ctx.node.id);
    });
    sim.network?.applyFaultPlan({ faults: [{ kind: 'partition', a: 'web', b: 'db', fromMs: 0, untilMs: 5000 }] });
    ask(node.id);
    sim.run();
    // request arrives at 10, command cut at 10, reset at 1010, 500 at the client at 1020
    expect(answers()).toEqual([expect.objectContaining({ atMs: 1020, status: 500 })]);
  });

  it('refuses a request to a down process with a reset', () => {
    const { sim, web, ask, answers } = world();
    let ran = false;
    const node = web(function* (_req, ctx) {
      ran = true;
      yield* sleep(1);
      return httpResponse(200, null, ctx.node.id);
    });
    node.crash();
    const req = ask(node.id);
    sim.run();
    expect(ran).toBe(false);
    expect(answers()).toEqual([{ atMs: 0, kind: 'reset', replyTo: req.id, from: node.id }]);
    expect(eventsOf(sim.trace.events, 'drop')).toEqual([{ kind: 'drop', atMs: 0, msgId: req.id, reason: 'down' }]);
  });

  it('answers 404 when the app has no request handler', () => {
    const { sim, db, ask, answers } = world();
    const req = ask(db.id);
    sim.run();
    expect(answers()).toEqual([{ atMs: 0, kind: 'response', replyTo: req.id, status: 404, body: { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' }, servedBy: db.id }]);
  });

  it('lets an exception other than BackendUnavailableError escape the run (a finding)', () => {
    const { sim, web, ask } = world();
    const node = web(function* () {
      yield* sleep(1);
      throw new Error('handler bug');
    });
    ask(node.id);
    expect(() => sim.run()).toThrow('handler bug');
  });

  it('forgets the cpu backlog of its previous life', () => {
    const { sim, script, web, ask, answers } = world();
    const node = web(function* (req, ctx) {
      yield* cpu(req.path === '/long' ? 1000 : 100);
      return httpResponse(200, null, ctx.node.id);
    });
    ask(node.id, '/long');
    script.at(10, () => node.crash());
    script.at(20, () => node.restart());
    script.at(30, () => ask(node.id, '/short'));
    sim.run();
    expect(answers().map((a) => [a.atMs, a.kind])).toEqual([
      [10, 'reset'],
      [130, 'response'],
    ]);
  });

  it('treats crash while down and restart while up as no-ops', () => {
    const { sim, web } = world();
    const node = web(function* (_req, ctx) {
      yield* sleep(1);
      return httpResponse(200, null, ctx.node.id);
    });
    node.restart();
    expect(node.incarnation).toBe(1);
    node.crash();
    node.crash();
    expect(node.up).toBe(false);
    node.restart();
    expect(node.incarnation).toBe(2);
    expect(sim.trace.lifecycleEvents.map((e) => e.kind)).toEqual(['crash', 'restart']);
  });

  describe('app timers', () => {
    function timerWorld() {
      const w = world();
      const fired: { incarnation: number; payload: unknown; atMs: number }[] = [];
      const node = w.sim.addNode(
        (id) =>
          new ProcessNode(w.sim, id, 'sweeper', (ctx) => ({
            handleTimer(payload: unknown): Task<void> | undefined {
              fired.push({ incarnation: ctx.node.incarnation, payload, atMs: w.sim.nowMs });
              if (payload !== 'sweep') return undefined;
              return (function* () {
                yield* call(w.db.id, { op: 'set', key: 'swept', value: w.sim.nowMs });
              })();
            },
          })),
      );
      return { ...w, node, fired };
    }

    it('runs handleTimer for a timer set with setAppTimer, and drives the task it returns', () => {
      const { sim, node, fired, store } = timerWorld();
      node.setAppTimer(100, 'sweep');
      node.setAppTimer(50, 'ping');
      sim.run();
      expect(fired).toEqual([
        { incarnation: 1, payload: 'ping', atMs: 50 },
        { incarnation: 1, payload: 'sweep', atMs: 100 },
      ]);
      expect(store.get('swept')).toBe(100);
    });

    it('never fires a timer of a previous incarnation', () => {
      const { sim, script, node, fired } = timerWorld();
      node.setAppTimer(100, 'ping');
      script.at(10, () => node.crash());
      script.at(20, () => {
        node.restart();
        node.setAppTimer(100, 'ping2');
      });
      sim.run();
      expect(fired).toEqual([{ incarnation: 2, payload: 'ping2', atMs: 120 }]);
    });

    it('gives up background work silently when the service is down', () => {
      const { sim, db, node, store, client } = timerWorld();
      db.crash();
      node.setAppTimer(5, 'sweep');
      expect(() => sim.run()).not.toThrow();
      expect(store.has('swept')).toBe(false);
      expect(client.received).toEqual([]);
    });
  });

  it('rejects messages a process cannot take', () => {
    const { sim, client, web } = world();
    const node = web(function* (_req, ctx) {
      yield* sleep(1);
      return httpResponse(200, null, ctx.node.id);
    });
    sim.send('command', client.id, node.id, 0, -1, -1, { op: 'get', key: 'k' });
    expect(() => sim.run()).toThrow(/not a service/);
    const other = world();
    other.sim.send('response', other.client.id, other.db.id, 0, -1, -1, httpResponse(200, null));
    expect(() => other.sim.run()).toThrow(/got an HTTP response/);
  });
});
