import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { uiasimProcess } from './run-cli.js';
import { loadStore } from '../../src/cli/plugins.js';
import { loadRouting } from '../../src/cli/routing-file.js';
import { UsageError } from '../../src/cli/usage.js';

// What a user's file can get wrong, refused as bad input (one line, exit 2 from the CLI) before
// any run: each of these once reached the router or the store loader and crashed with a
// TypeError, exit 1 (the code for "violated"), or was a model error, exit 3.
const dir = 'test-output/plugin-fields/';
mkdirSync(dir, { recursive: true });

async function refusal(load: () => Promise<unknown>): Promise<string> {
  try {
    await load();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('loaded without a word');
}

const POOL = { balancer: 'random', upstreams: ['reader1'] };

describe('routing files: every field checked before the router sees it', () => {
  it.each([
    ['a null pool', { rules: [], pools: { p: null } }, '`pools.p` must be { balancer, upstreams, affinity?, hash? }'],
    ['a null rule', { rules: [null], pools: {} }, '`rules[0]` must be { path, method?, pool }'],
    ['a null process', { rules: [], pools: {}, processes: [null] }, '`processes[0]` must be { name, role: "main" | "worker" }'],
    ['a process given as a name', { rules: [], pools: {}, processes: ['main'] }, '`processes[0]` must be { name, role: "main" | "worker" }'],
    ['a null affinity', { rules: [], pools: { p: { balancer: 'affinity', upstreams: ['main'], affinity: null } } }, '`pools.p.affinity` must be { query?, bodyPath?, separator }'],
    ['a null hash', { rules: [], pools: { p: { balancer: 'hash', upstreams: ['main'], hash: null } } }, '`pools.p.hash` must be { key, consistent: boolean }, the key using $remote_addr, $uri, $request_uri, $args, $arg_NAME or $cookie_NAME'],
    ['a pool every object has', { rules: [{ path: '^/x', pool: 'toString' }], pools: {} }, '`rules[0].pool` must be the name of one of `pools`'],
    ['an unknown method', { rules: [{ path: '^/x', pool: 'p', method: 'FOO' }], pools: { p: POOL } }, '`rules[0].method` must be one of GET, POST, PUT, DELETE'],
    ['a misspelt field', { rules: [], pools: {}, defaultUpsteam: 'main' }, 'the map has no field `defaultUpsteam` (its fields: rules, pools, defaultUpstream, processes, mounts, runBackgroundTasksOn)'],
    ['a misspelt pool field', { rules: [], pools: { p: { ...POOL, upstream: ['main'] } } }, 'pools.p has no field `upstream` (its fields: balancer, upstreams, affinity, hash)'],
    ['a misspelt rule field', { rules: [{ path: '^/x', pool: 'p', methods: 'GET' }], pools: { p: POOL } }, 'rules[0] has no field `methods` (its fields: path, method, pool)'],
  ])('%s', async (name, map, message) => {
    const file = `${dir}${name.replaceAll(' ', '-')}.json`;
    writeFileSync(file, JSON.stringify(map));
    expect(await refusal(() => loadRouting(file))).toBe(`routing file ${file}: ${message}`);
  });

  it('loads a map that uses every optional field', async () => {
    const file = `${dir}full.json`;
    const map = {
      rules: [{ path: '^/_matrix/client/r0/register$', method: 'POST', pool: 'w' }],
      pools: { w: { balancer: 'affinity', upstreams: ['w1', 'w2'], affinity: { query: 'session', separator: '-' } } },
      defaultUpstream: 'm',
      processes: [{ name: 'm', role: 'main' }, { name: 'w1', role: 'worker' }, { name: 'w2', role: 'worker' }],
      mounts: 'everything',
      runBackgroundTasksOn: 'w1',
    };
    writeFileSync(file, JSON.stringify(map));
    const { routing } = await loadRouting(file);
    expect(routing).toEqual({ routing: { rules: map.rules, pools: map.pools, defaultUpstream: 'm' }, mountsEverything: true, backgroundTasksOn: 'w1', processes: map.processes });
  });
});

describe('store files: a null where an object belongs', () => {
  it.each([
    ['a null service', 'export const store = { name: "x", backend: "kv", placement: "service", connect() {}, service: null };\n', '`service` must be { name: string, create(): StoreService }'],
    ['a null store export', 'export const store = null;\n', '`the export` must be an object (a StoreDefinition)'],
    ['an undefined store export', 'export const store = undefined;\n', '`the export` must be an object (a StoreDefinition)'],
    ['a service named like a process', 'export const store = { name: "x", backend: "kv", placement: "service", connect() {}, service: { name: "main", create() { return {}; } } };\n', '`service.name` must be a name no other node has (not db, captcha, router, faults, store, main, reader1, reader2)'],
  ])('%s', async (name, source, message) => {
    const file = `${dir}${name.replaceAll(' ', '-')}.js`;
    writeFileSync(file, source);
    expect(await refusal(() => loadStore(file))).toBe(`store file ${file}: ${message}`);
  });
});

describe('a store and a routing file that clash', () => {
  it("a service named like one of the routing's processes is bad input, from the CLI too (one line, exit 2)", () => {
    writeFileSync(`${dir}clash-store.js`, 'export const store = { name: "x", backend: "kv", placement: "service", connect() {}, service: { name: "reg", create() { return { execute() { return null; } }; } } };\n');
    writeFileSync(`${dir}clash-routing.json`, JSON.stringify({ rules: [], pools: {}, processes: [{ name: 'm', role: 'main' }, { name: 'reg', role: 'worker' }] }));
    const run = uiasimProcess(['check', '--store', `${dir}clash-store.js`, '--routing', `${dir}clash-routing.json`, '--runs', '2'], { timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("uiasim: the store's service is named reg, a process of the routing: give it another name\n");
  });
});

