import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uiasim, uiasimProcess } from './run-cli.js';
import { PropertyViolation, storeProperty } from '../../properties/store-property.js';
import { store as wholeSession } from '../fixtures/plugins/whole-session-store.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = `${root}test-output/plugins/`;
mkdirSync(out, { recursive: true });

/** The ts code block of the plug-in guide (docs/plugins.md) whose first line is `// <name>`. */
function guideBlock(name: string): string {
  const guide = readFileSync(`${root}docs/plugins.md`, 'utf8');
  const block = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').find((b) => b.startsWith(`// ${name}`));
  if (block === undefined) throw new Error(`docs/plugins.md has no ts block starting with // ${name}`);
  return block;
}

describe('the plug-in guide shows the example project (examples/my-store) as it is', () => {
  it.each(['store.ts', 'routing.ts', 'store.test.ts'])('its %s block is the example\'s file', async (name) => {
    expect(guideBlock(name)).toBe(readFileSync(`${root}examples/my-store/${name}`, 'utf8'));
  });
});

describe('plug-in stores (--store), from the guide alone', () => {
  it("the guide's example store, one key per stage, holds for 300 runs with restarts of any process", async () => {
    writeFileSync(`${out}per-stage-store.ts`, guideBlock('store.ts'));
    const run = await uiasim('check', '--store', 'test-output/plugins/per-stage-store.ts', '--runs', '300');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('strategy per-stage');
    expect(run.stdout).toContain('progress-never-lost: not found in 300 runs (');
  });

  it('a whole-session read-modify-write store is caught with a minimal counterexample, and its token replays it', async () => {
    const run = await uiasim('check', '--store', 'test/fixtures/plugins/whole-session-store.ts', '--workload', 'registration', '--runs', '300', '--json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { strategy: string; violation: { requests: number; token: string; traceHash: string; why: string } };
    expect(report.strategy).toBe('whole-session');
    expect(report.violation.requests).toBeLessThanOrEqual(6);
    expect(report.violation.why).toMatch(/although m\.login\.\w+ had been shown/);
    const replay = await uiasim('replay', report.violation.token, '--json');
    expect(replay.status).toBe(1);
    expect(JSON.parse(replay.stdout)).toMatchObject({ verdict: 'violated', traceHash: report.violation.traceHash });
  });

  it('a token whose store file changed is refused with exit 2', async () => {
    const file = `${out}changing-store.ts`;
    writeFileSync(file, readFileSync(`${root}test/fixtures/plugins/whole-session-store.ts`, 'utf8').replace("'../../../models", "'uia-sim/models"));
    const run = await uiasim('check', '--store', 'test-output/plugins/changing-store.ts', '--workload', 'registration', '--runs', '300', '--json');
    const token = (JSON.parse(run.stdout) as { violation: { token: string } }).violation.token;
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// changed\n`);
    const replay = await uiasim('replay', token);
    expect(replay.status).toBe(2);
    expect(replay.stderr).toMatch(/^uiasim: the store file test-output\/plugins\/changing-store\.ts changed since the token was made/);
  });

  it('a missing file, no export, or a wrong shape exits 2 with one line naming it', async () => {
    writeFileSync(`${out}no-export.js`, 'export const nothing = 1;\n');
    writeFileSync(`${out}bad-shape.js`, "export const store = { name: 'bad', backend: 'kv', placement: 'cloud', durable: true, connect() {} };\n");
    const cases: [string, RegExp][] = [
      ['test-output/plugins/missing.ts', /^uiasim: store file test-output\/plugins\/missing\.ts cannot be read\n$/],
      ['test-output/plugins/no-export.js', /^uiasim: store file .*no-export\.js exports no `store` and no default export; its exports: nothing\n$/],
      ['test-output/plugins/bad-shape.js', /^uiasim: store file .*bad-shape\.js: `placement` must be one of process, main, service\n$/],
    ];
    for (const [file, message] of cases) {
      const run = await uiasim('check', '--store', file);
      expect(run.status, file).toBe(2);
      expect(run.stderr, file).toMatch(message);
    }
  });
});

describe('plug-in mistakes: exit 2, one line naming the file and what is wrong, no stack trace', () => {
  it('a store that yields its command instead of `yield* call(...)` names the method and the value', async () => {
    const run = await uiasim('check', '--store', 'test/fixtures/plugins/bad-yield-store.js', '--runs', '20');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^uiasim: store file test\/fixtures\/plugins\/bad-yield-store\.js: getSession yielded the object \{"op":"get","key":"session\/[A-Za-z]+"\}; a store method yields only effects, as in `yield\* call\(context\.serviceNode, command\)` \(from uia-sim\)\n$/,
    );
  });

  it('compare says the same, exit 2, instead of an ERROR cell (the matrix has no verdict to give)', async () => {
    const run = await uiasim('compare', '--store', 'test/fixtures/plugins/bad-yield-store.js', '--strategies', 'sql', '--faults', 'steady', '--runs', '20');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^uiasim: store file test\/fixtures\/plugins\/bad-yield-store\.js: getSession yielded the object \{"op":"get",.*\(from uia-sim\)\n$/);
  }, 120_000);

  it('a syntax error gives file:line:column and the parser\'s message', async () => {
    const run = await uiasim('check', '--store', 'test/fixtures/plugins/broken/syntax-error-store.ts');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'uiasim: store file test/fixtures/plugins/broken/syntax-error-store.ts has a syntax error: test/fixtures/plugins/broken/syntax-error-store.ts:8:3: Expected "}" but found "durable"\n',
    );
  });

  it('a file without the export lists the exports it has', async () => {
    const run = await uiasim('check', '--store', 'test/fixtures/plugins/no-export-store.ts');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('uiasim: store file test/fixtures/plugins/no-export-store.ts exports no `store` and no default export; its exports: helperCount, myStore\n');
  });
});

describe('routing files (--routing), from the guide alone', () => {
  const routing = guideBlock('routing.ts');

  it("the guide's map pins registration and the fallback to one worker: memory-1.8 holds", async () => {
    writeFileSync(`${out}routing.ts`, routing);
    const run = await uiasim('check', '--strategy', 'memory-1.8', '--routing', 'test-output/plugins/routing.ts', '--faults', 'steady', '--workload', 'registration', '--runs', '300');
    expect(run.status).toBe(0);
  });

  it('changed to send the fallback to another worker, it shows the loss', async () => {
    const changed = routing
      .replace("fallback/web$', pool: 'registration' }", () => "fallback/web$', pool: 'fallback' }")
      .replace("upstreams: ['reader1'] } },", () => "upstreams: ['reader1'] }, fallback: { balancer: 'round-robin', upstreams: ['reader2'] } },");
    expect(changed).not.toBe(routing);
    writeFileSync(`${out}routing-changed.ts`, changed);
    const run = await uiasim('check', '--strategy', 'memory-1.8', '--routing', 'test-output/plugins/routing-changed.ts', '--faults', 'steady', '--workload', 'registration', '--runs', '300');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/-> reader2 +200 success page/);
  });
});

describe('storeProperty in a vitest suite', () => {
  it('a violation throws after shrinking, with the reason and a replay token', async () => {
    let message = '';
    try {
      fc.assert(storeProperty(wholeSession, { storeFile: 'test/fixtures/plugins/whole-session-store.ts' }), { numRuns: 300, seed: 1 });
    } catch (error) {
      // fast-check reports the property's own error as the cause (vitest prints it).
      const cause = error instanceof Error ? error.cause : undefined;
      message = cause instanceof Error ? cause.message : String(cause);
    }
    expect(message).toContain('progress-never-lost violated after');
    expect(message).toMatch(/replay: npx uiasim replay uiasim1\.[A-Za-z0-9_-]+\.[0-9a-f]{10}/);
    expect(new PropertyViolation('x')).toBeInstanceOf(Error);
  });
});

describe('compare --store adds a row', () => {
  it('with its own verdicts, costs and replaying tokens, the same for any --jobs, never marked unexpected', async () => {
    const args = ['compare', '--strategies', 'sql', '--faults', 'steady,store-restart', '--runs', '120', '--store', 'test/fixtures/plugins/whole-session-store.ts', '--fail-on-unexpected'];
    // The built CLI: --jobs 2 computes the cells on two worker threads, each loading the store.
    const one = uiasimProcess([...args, '--jobs', '1', '--json'], { cwd: root });
    const two = uiasimProcess([...args, '--jobs', '2', '--json'], { cwd: root });
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const body = JSON.parse(one.stdout) as { strategies: string[]; unexpected: number; cells: { strategy: string; verdict: string; expected: boolean; token: string | null }[]; costs: { strategy: string }[] };
    expect(body.strategies).toEqual(['sql', 'whole-session']);
    expect(body.costs.map((c) => c.strategy)).toEqual(['sql', 'whole-session']);
    expect(body.unexpected).toBe(0);
    const lost = body.cells.find((c) => c.strategy === 'whole-session' && c.verdict === 'violated');
    expect(lost?.token).toMatch(/^uiasim1\./);
    expect((await uiasim('replay', lost?.token ?? '')).status).toBe(1);
  });
});

describe('plug-in failures during runs', () => {
  // The built CLI: the store throws in a worker thread, and the error comes back across it.
  it('a store that throws fails its row with a token and the message; the rest of the comparison completes', async () => {
    const run = uiasimProcess(['compare', '--strategies', 'sql', '--faults', 'steady', '--runs', '30', '--store', 'test/fixtures/plugins/throwing-store.js', '--json'], { cwd: root });
    expect(run.status).toBe(3); // docs/architecture.md: a plug-in threw during a run
    const body = JSON.parse(run.stdout) as { cells: { strategy: string; verdict: string; error: string | null; token: string | null }[] };
    expect(body.cells.find((c) => c.strategy === 'sql')?.verdict).toBe('not-found');
    const failed = body.cells.find((c) => c.strategy === 'throws-on-terms');
    expect(failed).toMatchObject({ verdict: 'error', error: expect.stringContaining('throws-on-terms: the disk is full') });
    const replay = await uiasim('replay', failed?.token ?? '');
    expect(replay.status).toBe(3);
    expect(replay.stdout).toContain('the case makes the run throw: throws-on-terms: the disk is full');
  });

  // main-only keeps the memory store's sessions in one process, so no progress loss comes first.
  it('check with a throwing store exits 3 with the message and a token', () => {
    const run = uiasimProcess(['check', '--strategy', 'main-only', '--store', 'test/fixtures/plugins/throwing-store.js', '--faults', 'steady', '--runs', '30'], { cwd: root });
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/^the model threw during run \d+: throws-on-terms: the disk is full\nreplay: npm run uiasim -- replay uiasim1\./);
  });

  // A process with a time limit: in this thread a hang would stop the suite, not fail the test.
  it('a store that never returns is stopped by the step budget: an error row, not a hang', () => {
    const failuresFile = join(mkdtempSync(join(tmpdir(), 'uiasim-sleepy-')), 'failures.txt');
    const run = uiasimProcess(['compare', '--strategies', 'sql', '--faults', 'steady', '--runs', '20', '--store', 'test/fixtures/plugins/sleepy-store.js', '--failures-file', failuresFile], { cwd: root });
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/^never-returns +ERROR \[1\]$/m);
    expect(run.stdout).toMatch(/^\[1\] ERROR$/m);
    // Its costs sample stops at the first run that throws (properties/costs.ts): one run, no costs.
    expect(run.stdout).toMatch(/^never-returns +1 +0 +n\/a +0 +n\/a +n\/a +0 +n\/a +n\/a$/m);
    expect(readFileSync(failuresFile, 'utf8')).toMatch(/never-returns under steady: run \d+ threw: run exceeded its step budget of 200000 events/);
  });
});

describe('plug-in tokens replay on the strategy they ran with', () => {
  it('a store checked with --strategy memory-1.8 replays on memory-1.8\'s routing, to the same trace hash', async () => {
    const run = await uiasim('check', '--strategy', 'memory-1.8', '--store', 'test/fixtures/plugins/memory-copy.js', '--faults', 'steady', '--json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { violation: { token: string; traceHash: string } };
    const replay = await uiasim('replay', report.violation.token, '--json');
    expect(replay.stderr).toBe('');
    expect(JSON.parse(replay.stdout)).toMatchObject({ verdict: 'violated', traceHash: report.violation.traceHash, strategy: 'memory-copy' });
  });

  it("a compare --routing token replays (its row is custom-routing): the fallback sent to a worker that does not mount it", async () => {
    // The guide's map, but with Synapse's own mounts: the pinned worker answers the fallback 400 M_UNRECOGNIZED (404 from today's Synapse).
    writeFileSync(`${out}routing-synapse-mounts.ts`, guideBlock('routing.ts').replace("mounts: 'everything'", () => "mounts: 'synapse'"));
    const body = JSON.parse(
      (await uiasim('compare', '--property', 'liveness', '--strategies', 'sql', '--faults', 'steady', '--runs', '60', '--routing', 'test-output/plugins/routing-synapse-mounts.ts', '--json')).stdout,
    ) as { cells: { strategy: string; token: string | null; verdict: string }[] };
    const cell = body.cells.find((c) => c.strategy === 'custom-routing');
    expect(cell?.verdict).toBe('violated');
    const fromCompare = await uiasim('replay', cell?.token ?? '', '--json');
    expect(fromCompare.stderr).toBe('');
    expect(fromCompare.status).toBe(1);
    expect(JSON.parse(fromCompare.stdout)).toMatchObject({ verdict: 'violated', property: 'liveness', strategy: 'custom-routing' });
    // And a token made by check with --routing on another base strategy.
    writeFileSync(`${out}routing-only.ts`, guideBlock('routing.ts'));
    const check = await uiasim('check', '--routing', 'test-output/plugins/routing-only.ts', '--strategy', 'memory-1.8', '--faults', 'worker-restart', '--json');
    expect(check.status).toBe(1);
    const token = (JSON.parse(check.stdout) as { violation: { token: string; traceHash: string } }).violation;
    const replay = await uiasim('replay', token.token, '--json');
    expect(replay.stderr).toBe('');
    expect(JSON.parse(replay.stdout)).toMatchObject({ verdict: 'violated', traceHash: token.traceHash });
  });
});

describe('routing files declare their own processes', () => {
  const deployment = `export const routing = {
  processes: [
    { name: 'master', role: 'main' },
    { name: 'w1', role: 'worker' },
    { name: 'w2', role: 'worker' },
    { name: 'w3', role: 'worker' },
  ],
  rules: [{ path: '^/_matrix/client/(r0|v3)/register$', pool: 'workers' }],
  pools: { workers: { balancer: 'round-robin', upstreams: ['w1', 'w2', 'w3'] } },
  runBackgroundTasksOn: 'w3',
};
`;

  it('three workers behind round-robin: sql holds under worker restarts, which hit the declared workers', async () => {
    writeFileSync(`${out}three-workers.js`, deployment);
    const run = await uiasim('check', '--strategy', 'sql', '--routing', 'test-output/plugins/three-workers.js', '--faults', 'worker-restart', '--runs', '200');
    expect(run.status).toBe(0);
  });

  it('the same map with per-process memory loses progress, served by the declared processes', async () => {
    const run = await uiasim('check', '--strategy', 'memory-1.8', '--routing', 'test-output/plugins/three-workers.js', '--faults', 'steady', '--json');
    expect(run.status).toBe(1);
    const steps = (JSON.parse(run.stdout) as { violation: { steps: { servedBy: string }[] } }).violation.steps;
    expect(new Set(steps.map((s) => s.servedBy)).size).toBeGreaterThan(1);
    for (const s of steps) expect(['master', 'w1', 'w2', 'w3', 'router']).toContain(s.servedBy);
  });

  it('a pool naming an undeclared process, or two mains, exits 2 naming the field', async () => {
    writeFileSync(`${out}bad-upstream.js`, deployment.replace("upstreams: ['w1', 'w2', 'w3']", () => "upstreams: ['w1', 'reader1']"));
    const bad = await uiasim('check', '--strategy', 'sql', '--routing', 'test-output/plugins/bad-upstream.js');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/`pools\.workers\.upstreams` must be a non-empty list of master, w1, w2, w3/);
    writeFileSync(`${out}two-mains.js`, deployment.replace("{ name: 'w1', role: 'worker' }", () => "{ name: 'w1', role: 'main' }"));
    const mains = await uiasim('check', '--strategy', 'sql', '--routing', 'test-output/plugins/two-mains.js');
    expect(mains.status).toBe(2);
    expect(mains.stderr).toMatch(/`processes` must be a list with exactly one main/);
  });
});
