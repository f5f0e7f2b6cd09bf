import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uiasim, uiasimProcess } from './run-cli.js';
import { decodeTokenPayload } from '../../models/case-codec.js';
import { pluginFile, replayToken } from '../../properties/replay-token.js';
import { decodeToken } from '../../src/run/token.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = join(root, 'test-output/show-and-keep');
const NONDETERMINISTIC = 'test/fixtures/plugins/nondeterministic-store.js';

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const check = await uiasim('check', '--strategy', 'memory-1.8', '--seed', '1', '--faults', 'steady', '--workload', 'registration', '--save-failures', join(work, 'failures'));
const file = join(work, 'failures', 'memory-1.8.steady.progress-never-lost.json');
const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { token: string; traceHash: string; timeline: string[] };

describe('replay --format text: the timeline', async () => {
  const replay = await uiasim('replay', saved.token);
  const lines = replay.stdout.split('\n');

  it('has the five aligned columns and names actors for people', async () => {
    expect(replay.status).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^\s+time\s+actor\s+event\s+session\s+completed$/));
    expect(replay.stdout).toMatch(/0 ms\s+app A\s+sends POST \/register \(no session\)/);
    expect(replay.stdout).toMatch(/browser A\s+sends POST fallback page for m\.login\.recaptcha\s+\w{24}/);
    expect(replay.stdout).toMatch(/router\s+passes the request on to reader1/);
    expect(replay.stdout).toMatch(/reader1\s+answers router/);
    expect(replay.stdout).toMatch(/browser A\s+gets the success page \(200\) from main\s+\w{24}\s+\[m\.login\.recaptcha\]/);
  });

  it('marks the first violating event once, then says why in a paragraph', async () => {
    const marked = lines.filter((l) => l.endsWith('<-- progress lost'));
    expect(marked).toEqual([expect.stringMatching(/app A\s+gets 401 from reader1\s+\w{24}\s+\[[^\]]*\]\s+<-- progress lost$/)]);
    expect(replay.stdout).toMatch(/progress-never-lost: VIOLATED at the line marked "<-- progress lost"\.\nWhy: reader1 answered app A's request/);
    expect(replay.stdout).toContain(`trace hash  ${saved.traceHash}`);
  });
});

describe('replay --format mermaid', async () => {
  const mermaid = await uiasim('replay', saved.token, '--format', 'mermaid');
  it('is a sequence diagram of every participant with the losing response highlighted', async () => {
    expect(mermaid.status).toBe(1);
    const lines = mermaid.stdout.split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    for (const p of ['actor app_A as app A', 'actor browser_A as browser A', 'participant router as router', 'participant main as main', 'participant reader1 as reader1', 'participant reader2 as reader2', 'participant db as db']) {
      expect(lines).toContain(`  ${p}`);
    }
    expect(mermaid.stdout).toMatch(/ {2}rect rgb\(255, 205, 205\)\n {4}router-->>app_A: \d+ ms 401 from reader1 session \w{24} completed \[[^\]]*\]\n {4}Note over app_A: PROGRESS LOST\n {2}end\n/);
  });
});

describe('--save-failures and replay FILE', () => {
  it('check writes one versioned failure file and says so on stderr', async () => {
    expect(check.status).toBe(1);
    expect(check.stderr).toBe(`saved failure  ${file}\n`);
    expect(readdirSync(join(work, 'failures'))).toEqual(['memory-1.8.steady.progress-never-lost.json']);
    expect(saved).toMatchObject({ schemaVersion: 1, kind: 'uiasim-failure', strategy: 'memory-1.8', profile: '1.8', property: 'progress-never-lost', requests: 3, clients: 1, faults: [] });
    expect(check.stdout).toContain(`trace hash  ${saved.traceHash}`);
    expect(saved.timeline.some((l) => l.endsWith('<-- progress lost'))).toBe(true);
  });

  it('a saved failure replays to the same trace hash', async () => {
    const replay = await uiasim('replay', file, '--json');
    expect(replay.status).toBe(1);
    const body = JSON.parse(replay.stdout) as { traceHash: string; expectedTraceHash: string; verdict: string };
    expect(body).toMatchObject({ verdict: 'violated', traceHash: saved.traceHash, expectedTraceHash: saved.traceHash });
    expect(replay.stderr).toBe('');
  });

  it.each([
    ['a future schema version', { schemaVersion: 2 }, /field schemaVersion: this file has schema version 2; this uiasim reads version 1/],
    ['a missing token', { token: undefined }, /field token: expected a string/],
    ['a tampered token', { token: 'uiasim1.AAAA.0123456789' }, /field token: replay token checksum mismatch/],
    ['a field that disagrees with the token', { strategy: 'sql' }, /field strategy: "sql" does not match the case in its token \("memory-1\.8"\)/],
    ['a wrong trace hash', { traceHash: 'ffffffffffffffff' }, /field traceHash: /],
  ])('a failure file with %s exits 2 naming the field', async (_, change, message) => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...saved, ...change }));
    const replay = await uiasim('replay', bad);
    expect(replay.status).toBe(2);
    expect(replay.stderr).toMatch(message);
    expect(replay.stderr.trim().split('\n')).toHaveLength(1);
    expect(replay.stdout).toBe('');
  });

  it('malformed JSON, and an argument that is neither a token nor a file, exit 2', async () => {
    const bad = join(work, 'malformed.json');
    writeFileSync(bad, '{"schemaVersion": 1,');
    expect((await uiasim('replay', bad))).toMatchObject({ status: 2, stderr: expect.stringMatching(/malformed\.json: not a JSON failure file/) });
    expect((await uiasim('replay', 'no-such-file.json'))).toMatchObject({ status: 2, stderr: expect.stringMatching(/'no-such-file\.json' is neither a replay token .* nor a failure file/) });
  });

  it('compare --save-failures writes one file per failing cell', async () => {
    const dir = join(work, 'compare-failures');
    const compare = await uiasim('compare', '--strategies', 'memory-1.8,sql', '--faults', 'steady,partition', '--runs', '30', '--workload', 'registration', '--save-failures', dir);
    expect(compare.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['memory-1.8.partition.progress-never-lost.json', 'memory-1.8.steady.progress-never-lost.json']);
    // In the matrix's order: the steady column first.
    expect(compare.stderr).toBe(['memory-1.8.steady', 'memory-1.8.partition'].map((f) => `saved failure  ${join(dir, `${f}.progress-never-lost.json`)}\n`).join(''));
    // A matrix with nothing to save says which property found nothing.
    const none = await uiasim('compare', '--strategies', 'sql', '--faults', 'steady', '--runs', '5', '--save-failures', join(work, 'compare-none'));
    expect(none.stderr).toBe('no failure to save: no cell violated progress-never-lost\n');
    const partition = JSON.parse(readFileSync(join(dir, 'memory-1.8.partition.progress-never-lost.json'), 'utf8')) as { token: string; traceHash: string };
    expect(JSON.parse((await uiasim('replay', join(dir, 'memory-1.8.partition.progress-never-lost.json'), '--json')).stdout)).toMatchObject({ traceHash: partition.traceHash });
  });
});

describe('--check-determinism', () => {
  it('check passes on the model and names nothing', async () => {
    const run = await uiasim('check', '--strategy', 'memory-1.8', '--runs', '20', '--check-determinism');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/progress-never-lost: VIOLATED/);
    expect(run.stdout).not.toMatch(/NOT deterministic/);
  });

  // The nondeterministic store keeps a counter in its module: in a process of its own, as a user
  // runs it, it starts from zero; loaded again in this thread it would carry on from the last test.
  it('check on a nondeterministic store exits 1 naming the first differing event', () => {
    const run = uiasimProcess(['check', '--store', NONDETERMINISTIC, '--strategy', 'memory-1.8', '--runs', '20', '--check-determinism'], { cwd: root });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^determinism: NOT deterministic: case \d+ ran twice and gave two different traces;\nthe two runs part at event \d+:\n {2}first run: {2}.+\n {2}second run: .+\n/);
    const [first, second] = [/first run: {2}(.+)/.exec(run.stdout)?.[1], /second run: (.+)/.exec(run.stdout)?.[1]];
    expect(first).not.toBe(second);
  });

  it('replay of a case on the nondeterministic store exits 1 naming the event; the model replays clean', async () => {
    const payload = decodeTokenPayload(decodeToken(saved.token));
    const token = replayToken({ ...payload.case, strategy: 'nondeterministic' }, payload.property, '', { base: 'memory-1.8', store: pluginFile(NONDETERMINISTIC) });
    const run = uiasimProcess(['replay', token, '--check-determinism'], { cwd: root });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/the two runs part at event \d+:\n {2}first run: {2}\d+ deliver #\d+ \w+ .+\n {2}second run: .+/);
    const json = JSON.parse(uiasimProcess(['replay', token, '--check-determinism', '--json'], { cwd: root }).stdout) as { verdict: string; divergence: { index: number } };
    expect(json.verdict).toBe('nondeterministic');
    const clean = await uiasim('replay', saved.token, '--check-determinism');
    expect(clean.status).toBe(1);
    expect(clean.stdout).toMatch(/determinism: ran twice, the same \d+ events both times\./);
  });
});
