import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/program.js';

/** What a command printed and its exit code. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `uiasim ARGS` in this thread, through the same parser and commands as the installed CLI
 * (src/cli/program.ts), on the sources: a command's work runs here, in order, since there are no
 * built worker scripts beside the sources (src/cli/supervisor.ts builtWorker). This is how most
 * suites run commands: a process of its own spent 0.3-0.9 s starting, loading and warming up
 * the model for commands whose own work takes milliseconds (docs/performance.md, "The suite runs
 * most commands in its own thread"). What only a process shows goes through `uiasimProcess`.
 */
export async function uiasim(...args: string[]): Promise<CliResult> {
  const output = await runCli(args);
  return { status: output.exitCode, stdout: output.stdout, stderr: output.stderr ?? '' };
}

/** The built CLI (`npm test` builds dist/ first, as `prepare` does). */
export const BUILT_CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/**
 * `uiasim ARGS` as users run it: the built CLI in a process of its own. For what only that shows:
 * worker threads (`--jobs`), a run timeout that stops a stuck thread, signals, the environment and
 * the working directory, the bundle itself.
 */
export function uiasimProcess(args: readonly string[], options: SpawnSyncOptions = {}): CliResult & { readonly ms: number } {
  const startedMs = performance.now();
  const result = spawnSync(process.execPath, [BUILT_CLI, ...args], { timeout: 120_000, ...options, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - startedMs };
}
