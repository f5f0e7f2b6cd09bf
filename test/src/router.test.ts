import { describe, expect, it } from 'vitest';
import type { Chooser } from '../../src/chooser.js';
import { sleep } from '../../src/effects.js';
import { httpResponse, type HttpRequest } from '../../src/http.js';
import type { Message } from '../../src/message.js';
import { Network } from '../../src/network.js';
import { ProcessNode } from '../../src/process.js';
import { ipHash, RouterNode, type RoutingMap } from '../../src/router.js';
import { RecorderNode, ScriptNode, ScriptedChooser, makeSim, request } from './helpers.js';

const UPSTREAMS = ['main', 'w1', 'w2', 'w3'] as const;
type Upstream = (typeof UPSTREAMS)[number];

/** A client, a script node, processes main/w1/w2/w3 and a router with `map`. Each process
 * answers 200 with its name (leaving servedBy unset); `/slow` sleeps 100 ms first. */
function world(map: RoutingMap, options: { chooser?: Chooser; latencyMs?: number } = {}) {
  const sim = makeSim(options.chooser === undefined ? {} : { chooser: options.chooser });
  const client = sim.addNode((id) => new RecorderNode(sim, id, 'client'));
  const script = sim.addNode((id) => new ScriptNode(sim, id, 'script'));
  const seen: { name: Upstream; path: string }[] = [];
  const procs = {} as Record<Upstream, ProcessNode>;
  for (const name of UPSTREAMS) {
    procs[name] = sim.addNode(
      (id) =>
        new ProcessNode(sim, id, name, () => ({
          *handleRequest(req: HttpRequest) {
            seen.push({ name, path: req.path });
            if (req.path === '/slow') yield* sleep(100);
            return httpResponse(200, { name });
          },
        })),
    );
  }
  const router = sim.addNode((id) => new RouterNode(sim, id, 'router', map));
  if (options.latencyMs !== undefined) sim.network = new Network(sim, { latencyBucketsMs: [options.latencyMs], connectTimeoutMs: 1000 });
  const ask = (req: HttpRequest, owner = 0): Message => sim.send('request', client.id, router.id, owner, -1, -1, req);
  const nameOf = (id: number): string => sim.node(id).name;
  const routeName = (req: HttpRequest, owner = 0): string => nameOf(router.route(req, owner));
  const responses = () =>
    client.received.map(({ atMs, message }) => {
      if (message.kind !== 'response') throw new Error(`client got a ${message.kind}`);
      return { atMs, from: message.from, replyTo: message.replyTo, owner: message.owner, ...message.payload };
    });
  return { sim, client, script, procs, router, seen, ask, routeName, responses };
}

const single = (upstream: string) => ({ balancer: 'round-robin' as const, upstreams: [upstream] });

describe('RouterNode routing', () => {
  it('sends a request to the first matching rule', () => {
    const { routeName } = world({
      rules: [
        { path: '^/a', pool: 'one' },
        { path: '^/a/b', pool: 'two' },
      ],
      pools: { one: single('w1'), two: single('w2') },
      defaultUpstream: 'main',
    });
    expect(routeName(request('/a/b'))).toBe('w1');
    expect(routeName(request('/a'))).toBe('w1');
  });

  it('sends an unmatched request to the default upstream', () => {
    const { routeName } = world({ rules: [{ path: '^/a', pool: 'one' }], pools: { one: single('w1') }, defaultUpstream: 'main' });
    expect(routeName(request('/b/a'))).toBe('main');
    expect(routeName(request('/'))).toBe('main');
  });

  it('matches the path, not the query string', () => {
    const { routeName } = world({ rules: [{ path: 'fallback', pool: 'one' }], pools: { one: single('w1') }, defaultUpstream: 'main' });
    expect(routeName({ ...request('/register'), query: 'next=fallback' })).toBe('main');
    expect(routeName(request('/auth/fallback/web'))).toBe('w1');
  });

  it('applies a rule with a method only to that method', () => {
    const { routeName } = world({
      rules: [
        { path: '^/register$', method: 'POST', pool: 'posts' },
        { path: '^/register$', pool: 'rest' },
      ],
      pools: { posts: single('w1'), rest: single('w2') },
      defaultUpstream: 'main',
    });
    expect(routeName(request('/register', 'POST'))).toBe('w1');
    expect(routeName(request('/register', 'GET'))).toBe('w2');
    expect(routeName(request('/register', 'PUT'))).toBe('w2');

    const onlyPost = world({ rules: [{ path: '^/x', method: 'POST', pool: 'p' }], pools: { p: single('w1') }, defaultUpstream: 'main' });
    expect(onlyPost.routeName(request('/x', 'GET'))).toBe('main');
  });

  it('cycles a round-robin pool', () => {
    const { routeName } = world({ rules: [{ path: '^/', pool: 'p' }], pools: { p: { balancer: 'round-robin', upstreams: ['w1', 'w2', 'w3'] } }, defaultUpstream: 'main' });
    expect(Array.from({ length: 7 }, () => routeName(request('/x')))).toEqual(['w1', 'w2', 'w3', 'w1', 'w2', 'w3', 'w1']);
  });

  // nginx keeps round-robin state per `upstream` block, shared by every `location` that
  // proxies to it; the router keeps one counter per rule, so two rules naming the same pool
  // (say /register and the fallback page) each start at the pool's first upstream.
  it('shares round-robin state between rules that name the same pool (as nginx does per upstream)', () => {
    const { routeName } = world({
      rules: [
        { path: '^/register', pool: 'clients' },
        { path: '^/auth', pool: 'clients' },
      ],
      pools: { clients: { balancer: 'round-robin', upstreams: ['w1', 'w2'] } },
      defaultUpstream: 'main',
    });
    expect([routeName(request('/register')), routeName(request('/auth')), routeName(request('/register')), routeName(request('/auth'))]).toEqual(['w1', 'w2', 'w1', 'w2']);
  });

  it('lets the chooser pick a random pool upstream, on behalf of the request owner', () => {
    const chooser = new ScriptedChooser((_n, owner) => (owner === 5 ? 2 : 1));
    const { routeName } = world({ rules: [{ path: '^/', pool: 'p' }], pools: { p: { balancer: 'random', upstreams: ['w1', 'w2', 'w3'] } }, defaultUpstream: 'main' }, { chooser });
    expect(routeName(request('/x'), 5)).toBe('w3');
    expect(routeName(request('/x'), 0)).toBe('w2');
    expect(chooser.calls).toEqual([
      { n: 3, owner: 5 },
      { n: 3, owner: 0 },
    ]);
  });

  it('keeps ip_hash stable within a /24 and spreads different /24s', () => {
    const upstreams = ['w1', 'w2', 'w3'];
    const { routeName } = world({ rules: [{ path: '^/', pool: 'p' }], pools: { p: { balancer: 'ip_hash', upstreams } }, defaultUpstream: 'main' });
    const used = new Set<string>();
    for (let net = 0; net < 30; net++) {
      const prefix = `192.168.${net}`;
      const expected = upstreams[ipHash(`${prefix}.1`) % upstreams.length];
      for (const host of [1, 7, 100, 254]) expect(routeName(request('/x', 'GET', `${prefix}.${host}`))).toBe(expected);
      used.add(expected ?? '');
    }
    expect(used.size).toBe(3);
  });

  it('hash KEY (nginx): the same query argument reaches the same upstream, different ones spread, no key goes round-robin', () => {
    const upstreams = ['w1', 'w2', 'w3'];
    const { routeName } = world({ rules: [{ path: '^/', pool: 'p' }], pools: { p: { balancer: 'hash', hash: { key: 'x$arg_session', consistent: false }, upstreams } }, defaultUpstream: 'main' });
    const used = new Set<string>();
    for (let n = 0; n < 30; n++) {
      const first = routeName({ ...request('/x'), query: `a=1&session=s${n}` });
      for (let again = 0; again < 3; again++) expect(routeName({ ...request('/y'), query: `session=s${n}` })).toBe(first);
      used.add(first);
    }
    expect(used.size).toBe(3);
    // 'x' is not empty, so a request without the argument hashes 'x': always one upstream.
    expect(new Set([0, 1, 2].map(() => routeName(request('/z')))).size).toBe(1);
    const bare = world({ rules: [{ path: '^/', pool: 'p' }], pools: { p: { balancer: 'hash', hash: { key: '$cookie_c', consistent: true }, upstreams } }, defaultUpstream: 'main' });
    expect([0, 1, 2, 3].map(() => bare.routeName(request('/z')))).toEqual(['w1', 'w2', 'w3', 'w1']);
  });

  it('refuses a hash key with a variable it cannot compute', () => {
    expect(() => world({ rules: [{ path: '^/', pool: 'p' }], pools: { p: { balancer: 'hash', hash: { key: '$mxid_localpart', consistent: true }, upstreams: ['w1'] } }, defaultUpstream: 'main' })).toThrow(
      'routing: pool p hashes on $mxid_localpart',
    );
  });

  it('hashes only the first three octets', () => {
    expect(ipHash('10.1.2.3')).toBe(ipHash('10.1.2.250'));
    expect(ipHash('10.1.2.3')).not.toBe(ipHash('10.1.3.3'));
    expect(Number.isInteger(ipHash('10.1.2.3')) && ipHash('10.1.2.3') >= 0).toBe(true);
  });

  it('rejects a map naming an unknown pool, an empty pool or an unknown process', () => {
    expect(() => world({ rules: [{ path: '^/', pool: 'nope' }], pools: {}, defaultUpstream: 'main' })).toThrow(/unknown pool nope/);
    expect(() => world({ rules: [{ path: '^/', pool: 'p' }], pools: { p: { balancer: 'random', upstreams: [] } }, defaultUpstream: 'main' })).toThrow(/no upstreams/);
    expect(() => world({ rules: [{ path: '^/', pool: 'p' }], pools: { p: single('w9') }, defaultUpstream: 'main' })).toThrow(/no node named w9/);
    expect(() => world({ rules: [], pools: {}, defaultUpstream: 'nobody' })).toThrow(/no node named nobody/);
  });
});

describe('RouterNode proxying', () => {
  const map: RoutingMap = {
    rules: [{ path: '^/pool', pool: 'p' }],
    pools: { p: { balancer: 'round-robin', upstreams: ['w1', 'w2'] } },
    defaultUpstream: 'main',
  };

  it('forwards the response to the client with servedBy set to the upstream node id', () => {
    const { sim, router, procs, ask, responses, seen } = world(map);
    const r1 = ask(request('/pool', 'POST'), 3);
    const r2 = ask(request('/other'), 4);
    sim.run();
    expect(seen).toEqual([
      { name: 'w1', path: '/pool' },
      { name: 'main', path: '/other' },
    ]);
    expect(responses()).toEqual([
      { atMs: 0, from: router.id, replyTo: r1.id, owner: 3, status: 200, body: { name: 'w1' }, servedBy: procs.w1.id },
      { atMs: 0, from: router.id, replyTo: r2.id, owner: 4, status: 200, body: { name: 'main' }, servedBy: procs.main.id },
    ]);
  });

  it('answers 502 (served by the router itself) when the upstream is down', () => {
    const { sim, procs, ask, responses, seen } = world(map);
    procs.main.crash();
    const req = ask(request('/x'));
    sim.run();
    expect(seen).toEqual([]);
    expect(responses()).toEqual([expect.objectContaining({ replyTo: req.id, status: 502, body: { error: 'Bad Gateway' }, servedBy: -1 })]);
  });

  it('answers 502 when the upstream crashes while handling the request', () => {
    const { sim, script, procs, ask, responses } = world(map);
    ask(request('/slow'));
    script.at(50, () => procs.main.crash());
    script.at(60, () => procs.main.restart());
    sim.run();
    expect(responses()).toEqual([expect.objectContaining({ atMs: 50, status: 502, servedBy: -1 })]);
  });

  it('does not retry a POST on another upstream after a refused connection', () => {
    const { sim, procs, ask, responses, seen } = world(map);
    procs.w1.crash();
    ask(request('/pool', 'POST'));
    sim.run();
    expect(responses().map((r) => r.status)).toEqual([502]);
    expect(seen).toEqual([]);
    ask(request('/pool', 'POST'));
    sim.run();
    expect(responses().map((r) => [r.status, r.servedBy])).toEqual([
      [502, -1],
      [200, procs.w2.id],
    ]);
  });

  it('forwards to the upstream incarnation it saw, so a restart before arrival makes the request stale', () => {
    const { sim, script, procs, ask, seen } = world(map, { latencyMs: 10 });
    ask(request('/x')); // at the router at 10, at main at 20
    script.at(12, () => procs.main.crash());
    script.at(15, () => procs.main.restart());
    sim.run();
    expect(seen).toEqual([]);
    expect(sim.trace.events?.filter((e) => e.kind === 'drop')).toEqual([expect.objectContaining({ atMs: 20, reason: 'stale' })]);
  });

  // Sim.run drops a request addressed to an older incarnation as 'stale' without answering it
  // (unlike a request to a down process, which is refused). The router then waits forever and
  // the client never gets a response, where nginx would see the connection reset and answer 502.
  it('answers 502 when the upstream crashed and restarted while the request was on the wire', () => {
    const { sim, script, procs, ask, responses } = world(map, { latencyMs: 10 });
    const req = ask(request('/x'));
    script.at(12, () => procs.main.crash());
    script.at(15, () => procs.main.restart());
    sim.run();
    expect(responses()).toEqual([expect.objectContaining({ replyTo: req.id, status: 502 })]);
  });

  it('rejects backend messages', () => {
    const { sim, client, router } = world(map);
    sim.send('command', client.id, router.id, 0, -1, -1, null);
    expect(() => sim.run()).toThrow(/only proxies HTTP/);
  });
});
