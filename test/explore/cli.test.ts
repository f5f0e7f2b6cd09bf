import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExplore } from '../../src/cli/explore.js';
import { runReplay } from '../../src/cli/replay.js';
import { UsageError } from '../../src/cli/usage.js';

describe('uiasim explore', () => {
  it("prints #6705's counterexample like check, and replay reproduces its trace hash", async () => {
    const output = await runExplore({ strategy: 'memory-1.8', scope: 'issue-6705' });
    expect(output.exitCode).toBe(1);
    expect(output.stdout).toContain('Counterexample: 3 requests, 1 client, no faults, 0 decisions.');
    expect(output.stdout).toContain('<-- progress lost');
    expect(output.stderr).toMatch(/states\/s/);
    const token = /replay +npm run uiasim -- replay (\S+)/.exec(output.stdout)?.[1];
    const hash = /trace hash +(\S+)/.exec(output.stdout)?.[1];
    expect(token).toBeDefined();
    const replayed = await runReplay(token as string, { format: 'json' });
    expect(replayed.exitCode).toBe(1);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ verdict: 'violated', traceHash: hash, requests: 3 });
    // Its header names the faults and workload as explore does, not the case's internal label.
    expect((await runReplay(token as string, {})).stdout.split('\n')[1]).toBe("faults placed by the explorer, workload the scope's");
    expect(output.stdout.split('\n')[1]).toBe("faults placed by the explorer, workload the scope's");
  });

  it('says holds with the counts, and the JSON carries them', async () => {
    const output = await runExplore({ strategy: 'sql', scope: 'lost-response', search: 'dfs', format: 'json' });
    expect(output.exitCode).toBe(0);
    expect(JSON.parse(output.stdout)).toMatchObject({ verdict: 'holds', scope: 'lost-response', schedules: 4, states: 3, depth: 3 });
  });

  it('says when liveness was not tested: it judges persistent clients only, and a scope without one holds untested', async () => {
    const untestedLine = 'liveness judges only clients that follow the protocol to the end ("persistent": true in a scope file), and scope lost-response has none: it held here without being tested.';
    const none = await runExplore({ strategy: 'sql', scope: 'lost-response', search: 'dfs', property: 'liveness' });
    expect(none.stdout.split('\n')).toContain(untestedLine);
    expect(JSON.parse((await runExplore({ strategy: 'sql', scope: 'lost-response', search: 'dfs', property: 'all', format: 'json' })).stdout)).toMatchObject({ verdict: 'holds', untested: ['liveness'] });
    const other = await runExplore({ strategy: 'sql', scope: 'lost-response', search: 'dfs', property: 'progress-never-lost', format: 'json' });
    expect(JSON.parse(other.stdout)).toMatchObject({ verdict: 'holds', untested: [] });
    // A persistent client is judged: memory-1.8 never registers it (#6705), sql does.
    const dir = mkdtempSync(join(tmpdir(), 'uiasim-scope-'));
    const file = join(dir, 'persistent-one.json');
    writeFileSync(file, JSON.stringify({ clients: [{ actions: [{ kind: 'start' }], persistent: true }] }));
    const stuck = await runExplore({ strategy: 'memory-1.8', scope: file, property: 'liveness' });
    expect(stuck.exitCode).toBe(1);
    expect(stuck.stdout).toContain('app A followed the protocol but never registered: it began 3 rounds');
    const live = await runExplore({ strategy: 'sql', scope: file, property: 'liveness', format: 'json' });
    expect(JSON.parse(live.stdout)).toMatchObject({ verdict: 'holds', untested: [] });
    expect((await runExplore({ strategy: 'sql', scope: file, property: 'liveness' })).stdout).not.toContain('without being tested');
  });

  it('reads a scope file, and rejects an unknown scope or a malformed file as usage errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uiasim-scope-'));
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify({ clients: [{ actions: [{ kind: 'start' }, { kind: 'direct', stage: 'm.login.dummy' }], adoptsNewSession: false, retries: 0, requestTimeoutMs: 30000, thinkMs: 0 }] }));
    const output = await runExplore({ strategy: 'sql', scope: file });
    expect(output.stdout).toContain('holds for the 1 schedule of scope mine');
    // A client that gives only its actions: the other fields take the built-in scopes' values,
    // so the same scope explores the same tree.
    writeFileSync(file, JSON.stringify({ clients: [{ actions: [{ kind: 'start' }, { kind: 'direct', stage: 'm.login.dummy' }] }] }));
    expect((await runExplore({ strategy: 'sql', scope: file })).stdout).toBe(output.stdout);
    writeFileSync(file, JSON.stringify({ clients: [{ actions: [{ kind: 'start' }], retries: -1 }] }));
    await expect(runExplore({ scope: file })).rejects.toThrow(/scope\.clients\[0\]\.retries/);
    writeFileSync(file, JSON.stringify({ clients: ['start'] }));
    await expect(runExplore({ scope: file })).rejects.toThrow(`scope file ${file}: field scope.clients[0]: expected an object`);
    await expect(runExplore({ scope: 'no-such-scope' })).rejects.toThrow(UsageError);
    writeFileSync(file, JSON.stringify({ clients: [{ actions: [{ kind: 'fly' }] }] }));
    await expect(runExplore({ scope: file })).rejects.toThrow(/scope\.clients\[0\]/);
  });

  it('refuses a misspelt or unknown field at every level, and restarts with no process to restart: each would prove a weaker scope', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uiasim-scope-'));
    const file = join(dir, 'typo.json');
    const client = { actions: [{ kind: 'start' }, { kind: 'fallback', stage: 'm.login.recaptcha', loadsPage: false }, { kind: 'resubmit' }] };
    const refused = async (scope: unknown, message: string): Promise<void> => {
      writeFileSync(file, JSON.stringify(scope));
      await expect(runExplore({ strategy: 'sql', scope: file })).rejects.toThrow(`scope file ${file}: field ${message}`);
    };
    await refused({ clients: [client], faults: { restart: 1, processes: ['main'] } }, 'scope.faults.restart: not a field of scope.faults (it has restarts, processes, downMs, lostResponses)');
    await refused({ clients: [client], faultz: { restarts: 1 } }, 'scope.faultz: not a field of scope');
    await refused({ clients: [client], bounds: { maxDecision: 3 } }, 'scope.bounds.maxDecision: not a field of scope.bounds');
    await refused({ clients: [{ ...client, retrys: 2 }] }, 'scope.clients[0].retrys: not a field of scope.clients[] (it has operation, actions,');
    await refused({ clients: [{ actions: [{ kind: 'start' }, { kind: 'resubmit', concurent: true }] }] }, 'scope.clients[0].actions[1].concurent: not a field of scope.clients[0].actions[] (it has kind, concurrent)');
    await refused({ clients: [client], faults: { restarts: 1 } }, 'scope.faults.processes: restarts 1 needs the processes that may restart');
    // The same scope spelt right explores the restarts it asks for.
    writeFileSync(file, JSON.stringify({ clients: [client], faults: { restarts: 1, processes: ['main', 'reader1'] } }));
    const output = await runExplore({ strategy: 'sql', scope: file });
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toMatch(/holds for all \d+ schedules of scope typo/);
  });

  it("docs/explore.md's scope file example is examples/scopes/captcha-restart.json, which explores", async () => {
    const root = new URL('../../', import.meta.url);
    const page = readFileSync(new URL('docs/explore.md', root), 'utf8');
    const section = page.slice(page.indexOf('### Writing a scope'));
    const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    const file = new URL('examples/scopes/captcha-restart.json', root);
    expect(JSON.parse(block ?? 'null')).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    const output = await runExplore({ strategy: 'sql', scope: file.pathname });
    expect(output.exitCode).toBe(0);
    expect(output.stdout).toContain('holds for all 173 schedules of scope captcha-restart');
  });

  it('--split-depth: the JSON names it, the text says it when not 1, and breadth-first refuses it', async () => {
    const split = await runExplore({ strategy: 'sql', scope: 'lost-response', search: 'dfs', splitDepth: 2, format: 'json' });
    expect(JSON.parse(split.stdout)).toMatchObject({ verdict: 'holds', search: 'dfs', splitDepth: 2 });
    const whole = await runExplore({ strategy: 'sql', scope: 'lost-response', search: 'dfs' });
    expect(whole.stdout).toMatch(/sleep sets off; depth-first\n$/);
    expect((await runExplore({ strategy: 'sql', scope: 'lost-response', search: 'dfs', splitDepth: 2 })).stdout).toMatch(/sleep sets off; depth-first, split at depth 2\n$/);
    await expect(runExplore({ strategy: 'sql', scope: 'lost-response', splitDepth: 2 })).rejects.toThrow(new UsageError('--split-depth needs --search dfs (breadth-first search splits each level instead)'));
  });
});
