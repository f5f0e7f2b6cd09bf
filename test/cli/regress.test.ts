/**
 * Meta-test of `uiasim regress`: the generated file is a real vitest test. Run as a user would
 * (vitest on that file alone), it fails while the strategy still loses progress on the saved
 * case, and passes once the strategy is switched to one that keeps it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI } from './run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = BUILT_CLI;
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
// Inside the checkout, so the test resolves `vitest` and `uia-sim/properties` (the package
// referring to itself by name) as an installed package would.
const work = join(root, 'test-output/regress');

function run(command: string, args: string[], cwd = root): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000, cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('uiasim regress FILE', () => {
  const failure = join(work, 'memory-1.8.any-restart.progress-never-lost.json');
  const testFile = join(work, 'memory-1.8.test.ts');
  let written: ReturnType<typeof run>;
  let source: string;
  // In beforeAll, not at collection: a set-up that fails is then these tests failing, with the
  // reason, instead of the whole file failing to load (which shows only in "Test Files").
  beforeAll(() => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    run(process.execPath, [cli, 'check', '--strategy', 'memory-1.8', '--seed', '1', '--save-failures', work]);
    written = run(process.execPath, [cli, 'regress', failure, '--out', testFile]);
    // Its own config: the project's only includes test/.
    writeFileSync(join(work, 'vitest.config.mjs'), "export default { test: { include: ['*.test.ts'] } };\n");
    source = readFileSync(testFile, 'utf8');
  });

  it('writes a test that embeds the token and names the strategy once', () => {
    expect(written).toMatchObject({ status: 0, stdout: `wrote ${testFile}\n` });
    const token = (JSON.parse(readFileSync(failure, 'utf8')) as { token: string }).token;
    expect(source).toContain(`const TOKEN = '${token}';`);
    expect(source.match(/^const STRATEGY = 'memory-1\.8';$/gm)).toHaveLength(1);
    expect(source).toContain("import { checkToken } from 'uia-sim/properties';");
  });

  it('fails on memory-1.8, saying why', () => {
    const result = run(process.execPath, [vitest, 'run', '--config', 'vitest.config.mjs'], work);
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/Tests +1 failed/);
    expect(result.stdout + result.stderr).toContain("reader1 answered app A's request");
  });

  it('passes with the strategy switched to sql', () => {
    writeFileSync(testFile, source.replace("const STRATEGY = 'memory-1.8';", "const STRATEGY = 'sql';"));
    const result = run(process.execPath, [vitest, 'run', '--config', 'vitest.config.mjs'], work);
    expect(result.stdout + result.stderr).toMatch(/Tests +1 passed/);
    expect(result.status).toBe(0);
  });

  it('a malformed failure file exits 2 naming the field', () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ schemaVersion: 9 }));
    const result = run(process.execPath, [cli, 'regress', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bad\.json: field schemaVersion: this file has schema version 9/);
  });
});

describe('a failure made with a plug-in file (--routing, --store)', () => {
  // main-only with the 1.8 worker map: /register on a worker, the fallback on main, each with its
  // own sessions (#6705); under the built-in main-only routing the same case holds.
  const dir = join(work, 'plugin');
  // Named after the routing file too: not the built-in main-only's failure.
  const failure = join(dir, 'main-only+synapse-1.8.nginx.steady.progress-never-lost.json');
  let token: string;
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    run(process.execPath, [cli, 'check', '--strategy', 'main-only', '--routing', 'examples/routing/synapse-1.8.nginx.conf', '--faults', 'steady', '--workload', 'registration', '--runs', '200', '--save-failures', dir]);
    token = (JSON.parse(readFileSync(failure, 'utf8')) as { token: string }).token;
  });

  it('regress refuses it: its test would name the built-in strategy and run without the file', () => {
    const result = run(process.execPath, [cli, 'regress', failure]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'uiasim: this failure ran with the plug-in file(s) examples/routing/synapse-1.8.nginx.conf, and regress writes tests for built-in strategies: replay it with `uiasim replay`, and test the plug-in in your suite with storeProperty or routingProperty (docs/plugins.md)\n',
    );
  });

  it('replay --strategy naming its own strategy keeps the file (the same run as without the option)', () => {
    const plain = run(process.execPath, [cli, 'replay', failure]);
    const named = run(process.execPath, [cli, 'replay', failure, '--strategy', 'main-only']);
    expect(plain.status).toBe(1);
    expect(named).toEqual(plain);
    // The header says the case ran with the file (its strategy keeps the base's name).
    expect(plain.stdout.split('\n')[1]).toBe("routing examples/routing/synapse-1.8.nginx.conf (in place of the strategy's worker map)");
    expect(run(process.execPath, [cli, 'replay', failure, '--strategy', 'sql']).stdout).not.toContain('routing examples/');
  });

  it('checkToken refuses the name alone, and judges it under another strategy when asked', async () => {
    const { checkToken } = await import('../../properties/check-token.js');
    expect(() => checkToken(token)).toThrow('the token was made with the plug-in file(s) examples/routing/synapse-1.8.nginx.conf: pass the Strategy object it ran with (the name main-only alone would run without them)');
    expect(() => checkToken(token, { strategy: 'main-only' })).toThrow('pass the Strategy object it ran with');
    expect(checkToken(token, { strategy: 'sql' }).strategy).toBe('sql');
  });
});
