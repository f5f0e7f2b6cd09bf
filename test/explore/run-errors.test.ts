// A run of the model that throws or never returns while exploring: exit 3, as `check` reports
// it, on the threads of the built CLI and in this thread, breadth-first and depth-first
// (depth-first's split runs the first path too, under the same watchdog).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExplore } from '../../src/cli/explore.js';
import { runReplay } from '../../src/cli/replay.js';
import { SCOPES } from '../../models/scopes/builtin.js';
import { findStrategy } from '../../models/strategies.js';
import { scopeRunPath } from '../../properties/explore.js';
import { PathRunError } from '../../src/explore/types.js';
import { uiasimProcess } from '../cli/run-cli.js';

const THROWING = 'test/fixtures/plugins/throwing-store.js';
const HUNG = 'test/fixtures/plugins/hung-store.js';
const BLOCKED = 'test/fixtures/plugins/blocked-store.js';

function explore(args: readonly string[]): ReturnType<typeof uiasimProcess> {
  return uiasimProcess(['explore', ...args], { timeout: 60_000 });
}

const tokenOf = (stdout: string): string => /^replay: \S.* replay (\S+)$/m.exec(stdout)?.[1] ?? '';

describe('explore: a run that throws', () => {
  it.each([['bfs'], ['dfs']])('a plug-in store that throws, --search %s on threads: exit 3, the path and a token that replays the throw', async (search) => {
    const run = explore(['--scope', 'register-restart', '--store', THROWING, '--search', search]);
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/^the model threw during a run of scope register-restart \(decisions \[[\d, ]*\]\): throws-on-terms: the disk is full\n/);
    // The model's own stack, on stderr, as check prints it.
    expect(run.stderr).toContain('throwing-store.js');
    const replayed = await runReplay(tokenOf(run.stdout), {});
    expect(replayed.exitCode).toBe(3);
    expect(replayed.stdout).toContain('the case makes the run throw: throws-on-terms: the disk is full');
  });

  it('in this thread the same, and --format json says error with the decisions', async () => {
    const text = await runExplore({ scope: 'register-restart', store: THROWING, jobs: 1 });
    expect(text.exitCode).toBe(3);
    expect(text.stdout).toBe(explore(['--scope', 'register-restart', '--store', THROWING]).stdout);
    const json = JSON.parse((await runExplore({ scope: 'register-restart', store: THROWING, search: 'dfs', format: 'json', jobs: 1 })).stdout) as { verdict: string; error: string; decisions: number[]; token: string };
    expect(json).toMatchObject({ verdict: 'error', error: 'throws-on-terms: the disk is full', scope: 'register-restart' });
    expect(json.decisions.length).toBeGreaterThan(0);
  });

  it('a run past its step budget (a scope file with a pause of 1e11 ms) is a run that threw', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uiasim-budget-'));
    const file = join(dir, 'long-pause.json');
    writeFileSync(file, JSON.stringify({ clients: [{ actions: [{ kind: 'start' }, { kind: 'pause', ms: 100_000_000_000 }, { kind: 'direct', stage: 'm.login.dummy' }] }] }));
    for (const search of ['bfs', 'dfs']) {
      const run = explore(['--strategy', 'sql', '--scope', file, '--search', search]);
      expect(run.status, search).toBe(3);
      expect(run.stdout, search).toMatch(/^the model threw during a run of scope long-pause \(decisions \[\]\): run exceeded its step budget of 200000 events/);
    }
  });
});

describe("explore: the explorer's own errors", () => {
  it('a decider that throws (the explorer finding the model not deterministic) is not reported as the model throwing on a path', () => {
    const scope = SCOPES.find((s) => s.name === 'register-restart');
    const strategy = findStrategy('sql');
    if (scope === undefined || strategy === undefined) throw new Error('no scope or strategy');
    const runPath = scopeRunPath(scope, strategy, strategy.profile, ['progress-never-lost'], undefined, undefined, false);
    const broken = new Error('explore: decision 0 had 3 options, now 2; the model is not deterministic');
    let thrown: unknown = null;
    try {
      runPath({ decide: () => { throw broken; } }, () => false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(broken);
    expect(thrown).not.toBeInstanceOf(PathRunError);
  });
});

describe('explore: a run that never returns', () => {
  // Spinning (HUNG) or blocked in Atomics.wait (BLOCKED, which leaves the CPU to the rest of the
  // suite while the timeout runs out): the watchdog stops either.
  it.each([
    ['a scope without decisions, depth-first (the split runs the only path)', ['--scope', 'tiny', '--search', 'dfs'], BLOCKED],
    ['depth-first, split at every decision of the first path', ['--scope', 'register-restart', '--search', 'dfs', '--split-depth', '1000'], BLOCKED],
    ['breadth-first', ['--scope', 'register-restart'], HUNG],
  ])('%s: exit 3 within the timeout, one line', (_what, args, store) => {
    const run = explore([...args, '--store', store, '--run-timeout', '1']);
    expect(run.status).toBe(3);
    expect(run.stderr).toBe('uiasim: a run of the model did not return within 1 s (--run-timeout): the model or a plug-in is stuck\n');
    expect(run.ms).toBeLessThan(15_000);
  });
});
