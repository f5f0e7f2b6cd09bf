/**
 * Part of `npm run bench`: explored states/s of `uiasim explore` on one thread (`--jobs 1`) and
 * the speed-up of `--jobs 2`, by running the built CLI (its worker threads need the build). The
 * time is what explore reports on stderr: worker start-up included, module load excluded.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

/** Named scopes measured: a depth-first proof (split at the first decision, and along the first
 * path: docs/explore.md "--split-depth"), a breadth-first counterexample, and an interleaving
 * tree depth-first with and without DPOR (docs/explore.md "DPOR"), and breadth-first. */
const SCOPES: readonly (readonly string[])[] = [
  ['--strategy', 'sql', '--scope', 'register-restart', '--search', 'dfs'],
  ['--strategy', 'sql', '--scope', 'register-restart', '--search', 'dfs', '--split-depth', '1000'],
  ['--strategy', 'redis-blob', '--scope', 'fallback-overlap'],
  // An interleaving tree, with fingerprints and with DPOR (one task: --jobs 2 cannot help it).
  ['--strategy', 'sql', '--scope', 'two-registrations', '--search', 'dfs'],
  ['--strategy', 'sql', '--scope', 'two-registrations', '--search', 'dfs', '--dpor'],
  // The same tree breadth-first: each level's prefixes run on the threads, so --jobs 2 helps, at
  // fewer states/s than depth-first (a run from the start for every state: docs/explore.md).
  ['--strategy', 'sql', '--scope', 'two-registrations', '--search', 'bfs'],
];

interface Measured {
  readonly stdout: string;
  readonly states: number;
  readonly seconds: number;
}

function measure(args: readonly string[], jobs: number): Measured {
  const result = spawnSync(process.execPath, [CLI, 'explore', ...args, '--jobs', String(jobs)], { encoding: 'utf8', timeout: 600_000 });
  const m = /explored (\d+) states in \d+ runs in ([\d.]+) s/.exec(result.stderr);
  if (m === null) throw new Error(`bench: explore ${args.join(' ')} printed no rate: ${result.stderr}`);
  return { stdout: result.stdout, states: Number(m[1]), seconds: Number(m[2]) };
}

/** The options' values, the split depth and the switches named: `sql register-restart dfs split-depth 1000`, `sql two-registrations dfs dpor`. */
function label(args: readonly string[]): string {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const option = args[i] as string;
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) {
      words.push(option.slice(2));
      continue;
    }
    words.push(option === '--split-depth' ? `split-depth ${value}` : value);
    i++;
  }
  return words.join(' ');
}

export function exploreLines(): string[] {
  return SCOPES.map((args) => {
    const one = measure(args, 1);
    const two = measure(args, 2);
    if (one.stdout !== two.stdout) throw new Error(`bench: explore ${args.join(' ')} printed differently with --jobs 2`);
    const rate = (m: Measured): string => Math.round(m.states / Math.max(0.05, m.seconds)).toLocaleString('en-US');
    return (
      `explore ${label(args)}: ${one.states} states; --jobs 1 ${one.seconds.toFixed(1)} s (${rate(one)} states/s), ` +
      `--jobs 2 ${two.seconds.toFixed(1)} s (${rate(two)} states/s): speed-up ${(one.seconds / Math.max(0.05, two.seconds)).toFixed(2)}x`
    );
  });
}
