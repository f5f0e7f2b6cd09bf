import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runExplore } from '../../src/cli/explore.js';
import { BUILT_CLI, uiasimProcess } from '../cli/run-cli.js';

// The CLI as users run it: the built JavaScript, whose worker threads exist (`npm test` builds first).
const cli = BUILT_CLI;

function explore(args: readonly string[]): ReturnType<typeof uiasimProcess> {
  return uiasimProcess(['explore', ...args], { timeout: 110_000 });
}

describe('explore --jobs: the output does not depend on the threads', () => {
  for (const [what, args, status] of [
    ['a proof, depth-first (password-restart, sql)', ['--strategy', 'sql', '--scope', 'password-restart', '--search', 'dfs'], 0],
    // Levels of up to hundreds of prefixes, handed to the threads a few tasks ahead (src/cli/explore-runs.ts).
    ['a proof, breadth-first (register-restart, sql)', ['--strategy', 'sql', '--scope', 'register-restart', '--search', 'bfs'], 0],
    ['a counterexample, breadth-first: the shortest (fallback-overlap, redis-blob)', ['--strategy', 'redis-blob', '--scope', 'fallback-overlap'], 1],
    ['a counterexample, depth-first: the first in branch order (fallback-overlap, redis-blob)', ['--strategy', 'redis-blob', '--scope', 'fallback-overlap', '--search', 'dfs'], 1],
    ['a proof, depth-first split along the first path (register-restart, sql, --split-depth 100)', ['--strategy', 'sql', '--scope', 'register-restart', '--search', 'dfs', '--split-depth', '100'], 0],
  ] as const) {
    it(what, async () => {
      const one = explore([...args, '--jobs', '1']);
      const two = explore([...args, '--jobs', '2']);
      expect(one.status).toBe(status);
      expect(two.status).toBe(status);
      expect(two.stdout).toBe(one.stdout);
      // This thread alone (vitest runs the sources: no worker script) prints the same.
      const here = await runExplore({ strategy: args[1], scope: args[3], ...(args[5] === undefined ? {} : { search: args[5] }), ...(args[7] === undefined ? {} : { splitDepth: Number(args[7]) }), jobs: 1 });
      expect(here.stdout).toBe(one.stdout);
    });
  }
});

describe('explore and Ctrl-C', () => {
  it('prints the coverage so far and exits 130, its worker threads stopped with it', async () => {
    // Without fingerprint pruning two-registrations does not finish for many minutes (docs/explore.md,
    // the reductions table: "did not finish").
    const child = spawn(process.execPath, [cli, 'explore', '--strategy', 'sql', '--scope', 'two-registrations', '--search', 'dfs', '--jobs', '2', '--no-fingerprints']);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Long enough for the process to set its Ctrl-C handler and the threads to start (about 0.5 s
    // here alone) and explore, far shorter than the whole tree.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    const line = /not violated in the (\d+) schedules explored \((\d+) distinct states, depth (\d+) reached\); incomplete: interrupted\./.exec(stdout);
    expect(line, stdout).not.toBeNull();
    expect(Number(line?.[1])).toBeGreaterThan(0);
    expect(Number(line?.[2])).toBeGreaterThan(0);
    expect(stdout).toContain('reductions: fingerprints off');
  }, 60_000);

  // A store spinning in for (;;) {} depth-first, one blocked in Atomics.wait breadth-first (it leaves
  // the CPU to the rest of the suite): either way the thread never reaches the end of its run.
  for (const [search, store] of [['dfs', 'hung-store.js'], ['bfs', 'blocked-store.js']] as const) {
    it(`a thread stuck in a run does not hold Ctrl-C up to the run timeout (${search}, ${store})`, async () => {
      // The store's getSession never returns, so the first run never ends and never reaches the
      // point between runs where a thread looks at Ctrl-C. With --run-timeout 60 the watchdog would
      // stop it after 60 s; a thread no longer needed is stopped within STOP_GRACE_MS (1 s) of its
      // run's start instead (src/cli/supervisor.ts).
      const child = spawn(process.execPath, [cli, 'explore', '--store', `test/fixtures/plugins/${store}`, '--scope', 'register-restart', '--search', search, '--jobs', '2', '--run-timeout', '60']);
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        // Threads started and in their first run.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const interruptedAt = performance.now();
        child.kill('SIGINT');
        const code = await Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
        expect(code).toBe(130);
        expect(performance.now() - interruptedAt).toBeLessThan(10_000);
        expect(stdout).toContain('progress-never-lost: not violated in the 0 schedules explored (0 distinct states, depth 0 reached); incomplete: interrupted.');
      } finally {
        child.kill('SIGKILL');
      }
    }, 30_000);
  }

  it('breadth-first on threads: the levels taken and the answers of the one cut short, in order, and exit 130', async () => {
    // Its levels are handed out a few tasks ahead of the threads (src/cli/explore-runs.ts).
    const child = spawn(process.execPath, [cli, 'explore', '--strategy', 'sql', '--scope', 'two-registrations', '--search', 'bfs', '--jobs', '2']);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const line = /not violated in the (\d+) schedules explored \((\d+) distinct states, depth (\d+) reached\); incomplete: interrupted\./.exec(stdout);
    expect(line, stdout).not.toBeNull();
    expect(Number(line?.[2])).toBeGreaterThan(0);
    expect(stdout).toContain('; breadth-first');
  }, 60_000);
});
