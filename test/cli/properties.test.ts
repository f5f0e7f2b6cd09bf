import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { uiasim } from './run-cli.js';
import type { Case } from '../../models/world.js';
import { replayToken } from '../../properties/replay-token.js';
import { PROPERTY_NAMES } from '../../properties/violation.js';

// `--property` on check, compare and replay, and `list`, through the CLI's parser and commands.

describe('uiasim list: the eight properties', () => {
  it('one line each, in docs/architecture.md order', async () => {
    const json = JSON.parse((await uiasim('list', '--json')).stdout) as { properties: { name: string; summary: string }[] };
    expect(json.properties.map((p) => p.name)).toEqual([...PROPERTY_NAMES]);
    for (const p of json.properties) expect(p.summary.length).toBeGreaterThan(20);
    const text = (await uiasim('list')).stdout;
    for (const name of PROPERTY_NAMES) expect(text).toMatch(new RegExp(`^property\\s+${name}\\s+\\S`, 'm'));
  });
});

describe('uiasim check --property', () => {
  it('a property by name: no-phantom-stage on memory-1.8 (#6705) is violated and marked', async () => {
    const run = await uiasim('check', '--strategy', 'memory-1.8', '--faults', 'steady', '--property', 'no-phantom-stage', '--runs', '20');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^no-phantom-stage: VIOLATED/m);
    expect(run.stdout).toContain('<-- phantom stage');
    expect(run.stdout).toMatch(/^Why: main showed the success page of m\.login\.\w+ for session \w+/m);
  });

  it('all on sql: every property in turn, each not found', async () => {
    const run = await uiasim('check', '--strategy', 'sql', '--faults', 'steady', '--property', 'all', '--runs', '10');
    expect(run.status).toBe(0);
    for (const name of PROPERTY_NAMES) expect(run.stdout).toMatch(new RegExp(`^${name}: not found in 10 runs`, 'm'));
  });

  it('all on pinned-1.12: the first violated property (liveness, the last) is reported and shrunk, the others not found', async () => {
    const run = await uiasim('check', '--strategy', 'pinned-1.12', '--faults', 'steady', '--property', 'all', '--runs', '10', '--json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { property: string; verdict: string; properties: { property: string; verdict: string; violation?: { token: string } }[] };
    expect(report.property).toBe('all');
    expect(report.verdict).toBe('violated');
    expect(report.properties.map((p) => p.property)).toEqual([...PROPERTY_NAMES]);
    expect(report.properties.map((p) => p.verdict)).toEqual([...PROPERTY_NAMES.slice(0, -1).map(() => 'holds'), 'violated']);
  });

  it('an unknown property is one line naming the choices and all, exit 2', async () => {
    const run = await uiasim('check', '--strategy', 'sql', '--property', 'bogus');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`uiasim: unknown property 'bogus'; valid choices: ${PROPERTY_NAMES.join(', ')}, or all (each in turn)\n`);
  });
});

describe('uiasim compare --property', () => {
  it('all: one matrix per property, each judged against its own expectations', async () => {
    const run = await uiasim('compare', '--strategies', 'sql', '--faults', 'steady', '--runs', '5', '--property', 'all', '--json');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { property: string; matrices: { property: string; unexpected: number; cells: { verdict: string }[] }[] };
    expect(report.property).toBe('all');
    expect(report.matrices.map((m) => m.property)).toEqual([...PROPERTY_NAMES]);
    for (const m of report.matrices) expect(m.unexpected).toBe(0);
    const text = (await uiasim('compare', '--strategies', 'sql', '--faults', 'steady', '--runs', '5', '--property', 'all')).stdout;
    // The matrices are computed together, each strategy's costs once for all of them: each is
    // still what its own `--property P` prints.
    const together = JSON.parse((await uiasim('compare', '--strategies', 'sql,redis-hash', '--faults', 'steady', '--runs', '5', '--property', 'all', '--json')).stdout) as { matrices: unknown[] };
    for (const at of [0, PROPERTY_NAMES.length - 1]) {
      const alone = await uiasim('compare', '--strategies', 'sql,redis-hash', '--faults', 'steady', '--runs', '5', '--property', PROPERTY_NAMES[at] as string, '--json');
      expect(together.matrices[at], PROPERTY_NAMES[at]).toEqual(JSON.parse(alone.stdout));
    }
    // Each matrix opens with its legend (src/cli/compare-print.ts).
    for (const name of PROPERTY_NAMES) expect(text).toContain(`${name}, workload mix, 5 runs per cell, seed 1; `);
  });

  it('a violated cell is named after its property', async () => {
    // The reasons go to the failures file; the first screen keeps one short entry per failure.
    const failuresFile = join(mkdtempSync(join(tmpdir(), 'uiasim-phantom-')), 'failures.txt');
    const run = await uiasim('compare', '--strategies', 'memory-1.8', '--faults', 'steady', '--runs', '10', '--property', 'no-phantom-stage', '--fail-on-unexpected', '--failures-file', failuresFile);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/memory-1\.8\s+PHANTOM \d+% \[1\]/);
    expect(readFileSync(failuresFile, 'utf8')).toMatch(/^\[1\] memory-1\.8 under steady: \d+\/10 runs show a stage that never passed for the session/);
  });

  it('all with --format html is refused: a page shows one matrix (exit 2)', async () => {
    const run = await uiasim('compare', '--property', 'all', '--format', 'html', '--runs', '1');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^uiasim: --property all makes one matrix per property and --format html shows one; pick a --property: progress-never-lost, /);
  });
});

describe('uiasim replay --property', () => {
  let token = '';
  beforeAll(async () => {
    const check = JSON.parse((await uiasim('check', '--strategy', 'memory-1.8', '--faults', 'steady', '--workload', 'registration', '--seed', '1', '--json')).stdout) as { violation: { token: string } };
    token = check.violation.token;
  });

  it('judges the replayed run by another property', async () => {
    const run = await uiasim('replay', token, '--property', 'no-phantom-stage');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^no-phantom-stage: VIOLATED at the line marked "<-- [^"]+"\.\nWhy: main showed the success page/m);
    expect((await uiasim('replay', token, '--property', 'user-binding')).status).toBe(0);
  });

  it('all: the first property the run violates', async () => {
    const run = JSON.parse((await uiasim('replay', token, '--property', 'all', '--json')).stdout) as { verdict: string; property: string };
    expect(run).toMatchObject({ verdict: 'violated', property: 'progress-never-lost' });
    const onSql = JSON.parse((await uiasim('replay', token, '--strategy', 'sql', '--property', 'all', '--json')).stdout) as { verdict: string; property: string };
    expect(onSql).toMatchObject({ verdict: 'holds', property: 'all' });
  });

  // exactly-once's first violating event is a fact (the account the session created): the JSON
  // names it beside the response that showed it.
  it('--json carries the server-side fact a violation is about', async () => {
    const c: Case = {
      strategy: 'sql',
      profile: 'head',
      faultProfile: 'store-restart',
      workload: { clients: [{ actions: [{ kind: 'start' }, { kind: 'direct', stage: 'm.login.dummy' }], adoptsNewSession: false, retries: 0, requestTimeoutMs: 30000, thinkMs: 0 }] },
      faultPlan: { faults: [] },
      tapes: { actors: [[], []], shared: [] },
      seed: 0,
    };
    // A run that holds names no fact.
    const holds = JSON.parse((await uiasim('replay', replayToken(c, 'exactly-once', ''), '--json')).stdout) as Record<string, unknown>;
    expect(holds['verdict']).toBe('holds');
    expect(holds['fact']).toBeUndefined();
    const expiry = JSON.parse(
      (await uiasim('replay', replayToken({ ...c, strategy: 'main-rpc', faultProfile: 'slow-user', workload: { clients: [{ ...MAIN_RPC_SLOW }] } }, 'expiry-honoured', ''), '--json')).stdout,
    ) as { verdict: string; fact?: { name: string; node: number } };
    expect(expiry.verdict).toBe('violated');
    expect(expiry.fact?.name).toBe('sweep');
  });
});

/** The slow user of test/properties/checkers/expiry-honoured.test.ts's main-rpc run. */
const MAIN_RPC_SLOW = {
  actions: [
    { kind: 'start' as const },
    { kind: 'pause' as const, ms: 19872929 },
    { kind: 'fallback' as const, stage: 'm.login.terms' as const, loadsPage: false, concurrent: false },
    { kind: 'pause' as const, ms: 162256358 },
    { kind: 'fallback' as const, stage: 'm.login.terms' as const, loadsPage: false, concurrent: false },
  ],
  adoptsNewSession: false,
  retries: 0,
  requestTimeoutMs: 30000,
  thinkMs: 0,
};
