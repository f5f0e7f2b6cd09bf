// explore --shard k/n (depth-first) and merge: the merged shards print what the unsharded explore prints.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uiasimProcess } from './run-cli.js';
import { runExplore, type ExploreOptions } from '../../src/cli/explore.js';
import { SHARD_NEEDS_DFS } from '../../src/cli/explore-shard.js';
import { runMerge } from '../../src/cli/merge.js';
import { UsageError } from '../../src/cli/usage.js';
import { digestOf, ShardError } from '../../src/run/shard.js';

const dir = mkdtempSync(join(tmpdir(), 'uiasim-explore-shard-'));

/** Each shard k/n of `options` written to a file (in this thread: vitest runs the sources). */
async function writeShards(name: string, options: ExploreOptions, n: number): Promise<string[]> {
  const files: string[] = [];
  for (let k = 1; k <= n; k++) {
    const shard = await runExplore({ ...options, jobs: 1, shard: `${k}/${n}` });
    expect(shard.exitCode).toBe(0);
    const file = join(dir, `${name}-${k}.json`);
    writeFileSync(file, shard.stdout);
    files.push(file);
  }
  return files;
}

/** `options` unsharded, and as 3 shards merged (given in reverse order). */
async function wholeAndMerged(name: string, options: ExploreOptions): Promise<{ whole: { stdout: string; exitCode: number }; merged: { stdout: string; exitCode: number } }> {
  const whole = await runExplore({ ...options, jobs: 1 });
  const merged = await runMerge((await writeShards(name, options, 3)).reverse());
  return { whole, merged };
}

describe('explore --shard k/n --search dfs, then merge', () => {
  for (const format of ['text', 'json'] as const) {
    it(`a proof (password-restart, sql, 5 top branches: a restart of store is the database's), ${format}: the merge prints the unsharded bytes and exit 0`, async () => {
      const { whole, merged } = await wholeAndMerged(`proof-${format}`, { strategy: 'sql', scope: 'password-restart', search: 'dfs', format });
      expect(whole.exitCode).toBe(0);
      expect(whole.stdout).toContain(format === 'text' ? 'holds for all 235 schedules' : '"verdict":"holds"');
      expect(merged.stdout).toBe(whole.stdout);
      expect(merged.exitCode).toBe(whole.exitCode);
    });

    it(`a counterexample in top branch 1 of 2 (fallback-overlap, redis-blob), ${format}: shard 2's own counterexample does not count`, async () => {
      const { whole, merged } = await wholeAndMerged(`found-${format}`, { strategy: 'redis-blob', scope: 'fallback-overlap', search: 'dfs', format });
      const second = JSON.parse(readFileSync(join(dir, `found-${format}-2.json`), 'utf8')) as { result: { items: { task: number; counterexample?: unknown }[] } };
      expect(second.result.items.map((i) => [i.task, i.counterexample !== undefined])).toEqual([[1, true]]);
      expect(whole.exitCode).toBe(1);
      expect(whole.stdout).toContain(format === 'text' ? 'VIOLATED in scope fallback-overlap, found after 154 schedules (297 distinct states)' : '"verdict":"violated"');
      expect(merged.stdout).toBe(whole.stdout);
      expect(merged.exitCode).toBe(1);
    });
  }

  it("#6705 (memory-1.8, issue-6705): no decision, one branch; shards 2 and 3 are empty and the merge is the whole report", async () => {
    const { whole, merged } = await wholeAndMerged('issue-6705', { strategy: 'memory-1.8', scope: 'issue-6705', search: 'dfs' });
    expect(whole.exitCode).toBe(1);
    expect(merged.stdout).toBe(whole.stdout);
    expect(merged.exitCode).toBe(1);
  });

  it('--max-states cutting top branch 1 short: the merge stops there and says NOT proven, as the whole run does', async () => {
    const { whole, merged } = await wholeAndMerged('max-states', { strategy: 'sql', scope: 'password-restart', search: 'dfs', maxStates: 100 });
    expect(whole.stdout).toContain('before the limit of 100 states');
    expect(merged.stdout).toBe(whole.stdout);
    expect(merged.exitCode).toBe(whole.exitCode);
  });

  it('--sleep-sets: the same bytes too', async () => {
    const { whole, merged } = await wholeAndMerged('sleep-sets', { strategy: 'sql', scope: 'password-restart', search: 'dfs', sleepSets: true, format: 'json' });
    expect(merged.stdout).toBe(whole.stdout);
  });

  it('--split-depth 50: the shards take the tasks off the first path, and the merge prints the unsharded bytes', async () => {
    const options: ExploreOptions = { strategy: 'sql', scope: 'password-restart', search: 'dfs', splitDepth: 50 };
    const { whole, merged } = await wholeAndMerged('split', options);
    expect(whole.stdout).toContain('depth-first, split at depth 50');
    expect(merged.stdout).toBe(whole.stdout);
    // Every shard holds the whole split; shard k has tasks k, k+3, ... (1-based).
    const shards = [1, 2, 3].map((k) => JSON.parse(readFileSync(join(dir, `split-${k}.json`), 'utf8')) as { result: { prefixes: number[][]; items: { task: number }[] } });
    const count = shards[0]?.result.prefixes.length ?? 0;
    expect(count).toBeGreaterThan(6);
    for (const [i, shard] of shards.entries()) {
      expect(shard.result.prefixes).toEqual(shards[0]?.result.prefixes);
      expect(shard.result.items.map((item) => item.task)).toEqual(Array.from({ length: count }, (_, t) => t).filter((t) => t % 3 === i));
    }
  });
});

describe('explore --shard refusals', () => {
  it('breadth-first (the default search) cannot be sharded: a UsageError saying to use --search dfs', async () => {
    await expect(runExplore({ strategy: 'sql', scope: 'tiny', shard: '1/2' })).rejects.toThrow(new UsageError(SHARD_NEEDS_DFS));
    expect(SHARD_NEEDS_DFS).toMatch(/^--shard needs --search dfs: /);
  });

  it('merge refuses shards of two split depths (their counts differ), naming the setting', async () => {
    const [one] = await writeShards('depth-1', { strategy: 'sql', scope: 'lost-response', search: 'dfs' }, 2);
    const [, two] = await writeShards('depth-2', { strategy: 'sql', scope: 'lost-response', search: 'dfs', splitDepth: 2 }, 2);
    const error = await runMerge([one as string, two as string]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardError);
    expect((error as Error).message).toMatch(/other settings than .*splitDepth/);
  });

  it("merge refuses shards whose tasks do not fit together, and an older version's files, with one line each", async () => {
    const files = await writeShards('edited', { strategy: 'sql', scope: 'password-restart', search: 'dfs', splitDepth: 3 }, 2);
    type Edited = { result: { prefixes: number[][]; items: Record<string, unknown>[] } };
    const read = (file: string): Edited => JSON.parse(readFileSync(file, 'utf8')) as Edited;
    // An edited file is refused as damaged (its digest no longer matches); these edits are sealed
    // again, as a writer of another version would have sealed them, to reach the checks behind it.
    const withEdit = async (name: string, edit: (second: Edited) => void, both = false, seal = true): Promise<string> => {
      const paths = files.map((file, i) => {
        const json = read(file as string);
        if (i === 1 || both) {
          edit(json);
          if (seal) {
            const { digest: _, ...content } = json as Edited & { digest: string };
            (json as Edited & { digest: string }).digest = digestOf(content);
          }
        }
        const path = join(dir, `${name}-${i + 1}.json`);
        writeFileSync(path, JSON.stringify(json));
        return path;
      });
      const error = await runMerge(paths).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShardError);
      return (error as Error).message;
    };
    expect(await withEdit('unsealed', (j) => (j.result.prefixes[1] = [0, 7]), false, false)).toBe(
      `${join(dir, 'unsealed-2.json')}: damaged: its content does not match its digest (edited since it was written); write it again with --shard k/n --out FILE`,
    );
    expect(await withEdit('prefix', (j) => (j.result.prefixes[1] = [0, 7]))).toBe('shard 2/2: task 2 pins the decisions [0, 7], but in shard 1/2 [0, 0, 1]');
    expect(await withEdit('dropped', (j) => j.result.items.pop())).toMatch(/^shard 2\/2: task \d+ is missing$/);
    expect(await withEdit('misplaced', (j) => ((j.result.items[0] as { task: number }).task = 0))).toBe('shard 2/2: task 1 where 2 belongs');
    const old = (j: Edited): void => {
      delete (j.result as { prefixes?: unknown }).prefixes;
      for (const item of j.result.items) {
        item.branch = item.task;
        delete item.task;
      }
    };
    expect(await withEdit('old', old, true)).toBe('shard 1/2 was written by an older uiasim (top branches, no split of tasks): write every shard again with this version');
    // Before the hash lanes were signed (src/explore/hash.ts), fingerprints had another form: the
    // union the merge counts states by would hold each state twice.
    const unsigned = (j: Edited): void => void delete (j.result as { fingerprintFormat?: unknown }).fingerprintFormat;
    expect(await withEdit('unsigned', unsigned)).toBe(
      'shard 2/2 was written by an older uiasim (state fingerprints of another form, which would count states twice): write every shard again with this version',
    );
  });

  it('merge refuses a missing shard and shards of two scopes', async () => {
    const [one, two] = await writeShards('lost', { strategy: 'sql', scope: 'lost-response', search: 'dfs' }, 2);
    const [, otherScope] = await writeShards('tiny', { strategy: 'sql', scope: 'tiny', search: 'dfs' }, 2);
    await expect(runMerge([two as string])).rejects.toThrow(new ShardError(`shard 1/2 is missing (given: ${two} 2/2)`));
    const error = await runMerge([one as string, otherScope as string]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardError);
    expect((error as Error).message).toMatch(new RegExp(`^${otherScope}: other settings than ${one} \\(scope\\.[a-z.]+ .* instead of .*\\)$`));
  });
});

describe('the built CLI: explore --shard writes the same file whatever --jobs, and refuses with one line, exit 2', () => {
  const uiasim = (...args: string[]): ReturnType<typeof uiasimProcess> => uiasimProcess(args, { timeout: 60_000 });

  it('shard 1/2 of fallback-overlap with 1 and 2 threads: byte-identical shard files', () => {
    const args = ['explore', '--strategy', 'redis-blob', '--scope', 'fallback-overlap', '--search', 'dfs', '--shard', '1/2', '--out'];
    const [one, two] = [join(dir, 'jobs-1.json'), join(dir, 'jobs-2.json')];
    expect(uiasim(...args, one, '--jobs', '1').stdout).toBe(`wrote ${one}\n`);
    expect(uiasim(...args, two, '--jobs', '2').stdout).toBe(`wrote ${two}\n`);
    expect(readFileSync(two, 'utf8')).toBe(readFileSync(one, 'utf8'));
  });

  it('--shard with --search bfs, and a merge missing a shard: exit 2, one line', () => {
    const bfs = uiasim('explore', '--strategy', 'sql', '--scope', 'tiny', '--shard', '1/2');
    expect(bfs.status).toBe(2);
    expect(bfs.stderr).toBe(`uiasim: ${SHARD_NEEDS_DFS}\n`);
    const missing = uiasim('merge', join(dir, 'jobs-1.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`uiasim: shard 2/2 is missing (given: ${join(dir, 'jobs-1.json')} 1/2)\n`);
  });
});
