import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uiasim, uiasimProcess } from './run-cli.js';
import { decodeTokenPayload } from '../../models/case-codec.js';
import { replayToken } from '../../properties/replay-token.js';
import { decodeToken } from '../../src/run/token.js';

// The CLI's parser and commands in this thread (run-cli.ts); what needs the built CLI in a
// process of its own (worker threads, the installed copy) starts one.

describe('uiasim check / replay: the #6705 acceptance path', async () => {
  // The registration workload: #6705 itself (the default, mix, finds other losses first).
  const check = await uiasim('check', '--strategy', 'memory-1.8', '--workload', 'registration', '--seed', '1');
  const json = await uiasim('check', '--strategy', 'memory-1.8', '--workload', 'registration', '--seed', '1', '--json');
  const report = JSON.parse(json.stdout) as {
    schemaVersion: number;
    verdict: string;
    violation: { requests: number; token: string; traceHash: string; steps: { actor: string; servedBy: string; status: number }[] };
  };

  it('check exits 1 and prints the minimal counterexample, why, the hash and the token', async () => {
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/progress-never-lost: VIOLATED/);
    expect(check.stdout).toMatch(/Minimal counterexample: [34] requests, 1 client, no faults\./);
    expect(check.stdout).toMatch(/^Why: reader1 answered app A's request/m);
    expect(check.stdout).toContain(`trace hash  ${report.violation.traceHash}`);
    expect(check.stdout).toContain(`replay      npm run uiasim -- replay ${report.violation.token}`);
  });

  it('check --json has the documented shape', async () => {
    expect(json.status).toBe(1);
    expect(Object.keys(report).sort()).toEqual(['coverage', 'faults', 'profile', 'property', 'runs', 'schemaVersion', 'seed', 'shrink', 'strategy', 'verdict', 'violation', 'workload']);
    expect(report.schemaVersion).toBe(1);
    expect(report.verdict).toBe('violated');
    expect(report.violation.requests).toBeLessThanOrEqual(4);
    expect(report.violation.token).toMatch(/^uiasim1\.[A-Za-z0-9_-]+\.[0-9a-f]{10}$/);
    expect(report.violation.steps.map((s) => s.servedBy)).toEqual(expect.arrayContaining(['reader1', 'main']));
  });

  it('stdout is identical when run twice: again in this thread, and in a process of its own', async () => {
    expect((await uiasim('check', '--strategy', 'memory-1.8', '--workload', 'registration', '--seed', '1')).stdout).toBe(check.stdout);
    expect(uiasimProcess(['check', '--strategy', 'memory-1.8', '--workload', 'registration', '--seed', '1']).stdout).toBe(check.stdout);
  });

  it('replay exits 1 with the same trace hash, twice identically', async () => {
    const replay = await uiasim('replay', report.violation.token);
    expect(replay.status).toBe(1);
    expect(replay.stdout).toContain(`trace hash  ${report.violation.traceHash}`);
    expect(replay.stderr).toBe('');
    expect((await uiasim('replay', report.violation.token)).stdout).toBe(replay.stdout);
  });

  it('replay --format json', async () => {
    const replay = await uiasim('replay', report.violation.token, '--format', 'json');
    const body = JSON.parse(replay.stdout) as Record<string, unknown>;
    expect(body).toMatchObject({ schemaVersion: 1, verdict: 'violated', traceHash: report.violation.traceHash, property: 'progress-never-lost' });
  });

  it('the same token under sql exits 0 with another hash', async () => {
    const replay = await uiasim('replay', report.violation.token, '--strategy', 'sql', '--json');
    expect(replay.status).toBe(0);
    const body = JSON.parse(replay.stdout) as { verdict: string; traceHash: string };
    expect(body.verdict).toBe('holds');
    expect(body.traceHash).not.toBe(report.violation.traceHash);
  });

  it('a truncated token and a token with one character changed exit 2 with one clear line', async () => {
    const token = report.violation.token;
    const truncated = await uiasim('replay', token.slice(0, token.length - 12));
    expect(truncated.status).toBe(2);
    expect(truncated.stderr.trim().split('\n')).toHaveLength(1);
    expect(truncated.stderr).toMatch(/uiasim: .*token/);
    const at = 20;
    const changed = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    const tampered = await uiasim('replay', changed);
    expect(tampered.status).toBe(2);
    expect(tampered.stderr).toBe('uiasim: replay token checksum mismatch: the token is truncated or was changed\n');
  });
});

describe('uiasim usage errors exit 2 with one line, never a stack trace', () => {
  it('an unknown strategy lists the valid ones', async () => {
    const run = await uiasim('check', '--strategy', 'nope');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("uiasim: unknown strategy 'nope'; valid choices: memory-1.8, pinned-1.12, main-only, sticky-ip, sticky-cookie, main-rpc, redis-blob, redis-hash, sql, sql-cached, session-hash\n");
    expect(run.stdout).toBe('');
  });

  it('a bad number, an unknown fault profile, an unknown option', async () => {
    for (const args of [
      ['check', '--strategy', 'sql', '--runs', 'ten'],
      ['check', '--strategy', 'sql', '--seed', '1.5'],
      ['check', '--strategy', 'sql', '--faults', 'earthquake'],
      ['check', '--strategy', 'sql', '--frobnicate'],
    ]) {
      const run = await uiasim(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a token whose case crashes a process this deployment lacks is bad input: one line, exit 2, no stack', async () => {
    // Such a token has a valid checksum: edited by hand, or a routing file's token replayed
    // under a deployment without that file's processes.
    const found = JSON.parse((await uiasim('check', '--strategy', 'memory-1.8', '--seed', '1', '--json')).stdout) as { violation: { token: string } };
    const payload = decodeTokenPayload(decodeToken(found.violation.token));
    const crashing = { ...payload.case, faultPlan: { faults: [{ kind: 'crash' as const, node: 'nope', atMs: 0, downMs: 100 }] } };
    const placing = { ...payload.case, explore: { decisions: [], raceWindowMs: 20, crashes: 1, crashable: ['nope'], downMs: 100, lostResponses: 0 } };
    for (const c of [crashing, placing]) {
      const run = await uiasim('replay', replayToken(c, payload.property, ''));
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        'uiasim: the case crashes nope, which is not a process of this deployment (its processes: db, captcha, main, reader1, reader2): replay it on the deployment it was made on\n',
      );
    }
  });

  it('a token whose case carries a fault-profile label uiasim never writes is bad input, for replay and regress', async () => {
    // The label is only printed (the faults are the case's), so a hand-edited one used to replay
    // as `faults nope`, and regress wrote a test named after it.
    const found = JSON.parse((await uiasim('check', '--strategy', 'memory-1.8', '--seed', '1', '--json')).stdout) as { violation: { token: string } };
    const payload = decodeTokenPayload(decodeToken(found.violation.token));
    const token = replayToken({ ...payload.case, faultProfile: 'nope' }, payload.property, '');
    for (const command of ['replay', 'regress']) {
      const run = await uiasim(command, token);
      expect(run.status, command).toBe(2);
      expect(run.stdout, command).toBe('');
      expect(run.stderr, command).toBe(
        "uiasim: the token's case names fault profile 'nope', which uiasim never writes; valid labels: steady, worker-restart, main-restart, rolling-deploy, store-restart, partition, lost-responses, ip-change, slow-user, captcha-trouble, any-restart, explore\n",
      );
    }
    // The explorer's label is one uiasim writes.
    expect((await uiasim('replay', replayToken({ ...payload.case, faultProfile: 'explore' }, payload.property, ''))).status).toBe(1);
  });

  it("compare's lists: an empty one or a name given twice is bad input, not the defaults or a row twice", async () => {
    for (const [args, line] of [
      [['--strategies', ''], 'uiasim: the list of strategy names is empty; valid choices: memory-1.8, pinned-1.12, main-only, sticky-ip, sticky-cookie, main-rpc, redis-blob, redis-hash, sql, sql-cached, session-hash\n'],
      [['--strategies', 'sql,sql'], 'uiasim: strategy sql is named twice\n'],
      [['--faults', 'steady, steady'], 'uiasim: fault profile steady is named twice\n'],
    ] as const) {
      const run = await uiasim('compare', ...args, '--runs', '1');
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toBe(line);
    }
  });

  it('a missing Synapse version names the option of the command given', async () => {
    for (const [args, line] of [
      [['conform'], 'uiasim: name the version: --real 1.8, 1.12 or 1.13\n'],
      [['real', 'status'], 'uiasim: name the version: --synapse 1.8, 1.12 or 1.13\n'],
    ] as const) {
      const run = await uiasim(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toBe(line);
    }
  });

  it("the parser's errors look like the others: `uiasim: ...`, a suggestion on the same line", async () => {
    for (const [args, line] of [
      [['check', '--strategy', 'sql', '--run', '5'], "uiasim: unknown option '--run' (did you mean --runs?)"],
      [['check', '--strategy', 'sql', '--runs', 'abc'], "uiasim: option '--runs <n>' argument 'abc' is invalid. expected a positive whole number, got 'abc'"],
      [['compare', '--json', '--format', 'markdown'], 'uiasim: --json is --format json: give one of them, not --json with --format markdown'],
      [['list', '--format', 'text', '--json'], 'uiasim: --json is --format json: give one of them, not --json with --format text'],
      [['check', '--strategy', 'sql', '--run-timeout', '0.5'], "uiasim: option '--run-timeout <seconds>' argument '0.5' is invalid. expected a number of seconds from 1 to 86400, got '0.5'"],
      [['regress', 'x', '--import', "it's"], 'uiasim: --import takes a module specifier (a package name or a path, without quotes), not "it\'s"'],
      [['explore', '--strategy', 'sql'], "uiasim: required option '--scope <name|file>' not specified"],
      [['chek'], "uiasim: unknown command 'chek' (did you mean check?)"],
    ] as const) {
      const run = await uiasim(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`${line}\n`);
    }
  });
});

describe('uiasim check sql and list', () => {
  it('check --strategy sql --runs 2000 exits 0: not found', async () => {
    const run = await uiasim('check', '--strategy', 'sql', '--runs', '2000');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/progress-never-lost: not found in 2000 runs \(\d+ distinct interleavings; 95% upper bound 3\/2000 per run\)\./);
  });

  it('list names every strategy, profile, fault profile, workload, stage type and property', async () => {
    const run = await uiasim('list');
    expect(run.status).toBe(0);
    const workloads = ['registration', 'password', 'deactivate', '3pid-add', 'delete-devices', 'cross-signing', 'login-token', 'mix'];
    const stages = ['m.login.dummy', 'm.login.password', 'm.login.recaptcha', 'm.login.terms', 'm.login.email.identity', 'm.login.registration_token', 'm.login.sso'];
    for (const name of ['memory-1.8', 'sql', '1.8', '1.12', '1.13', 'head', 'steady', 'any-restart', 'captcha-trouble', ...workloads, ...stages, 'progress-never-lost', 'liveness', 'issue-6705', 'two-registrations']) {
      expect(run.stdout).toMatch(new RegExp(`\\s${name.replace('.', '\\.')}\\s`));
    }
    const json = JSON.parse((await uiasim('list', '--json')).stdout) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(['faultProfiles', 'profiles', 'properties', 'schemaVersion', 'scopes', 'stageTypes', 'strategies', 'workloads']);
  });
});

describe('uiasim compare', () => {
  const args = ['compare', '--strategies', 'memory-1.8,sql,redis-hash', '--faults', 'steady,store-restart', '--runs', '60'];

  it('prints the same bytes with one thread and with two (the built CLI, on worker threads)', () => {
    const one = uiasimProcess([...args, '--jobs', '1']);
    const two = uiasimProcess([...args, '--jobs', '2']);
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout).toMatch(/^memory-1\.8 +LOST \d+% \[1\] +LOST \d+% \[2\]$/m);
    expect(one.stdout).toMatch(/^sql +ok +ok$/m);
    expect(one.stdout).toMatch(/^redis-hash +ok +LOST \d+% \[3\]$/m);
    expect(one.stdout).toContain('Every cell is as expected (6 cells).');
  });

  it('--json: one cell per strategy x fault profile, each with its expectation and, when violated, a replaying token', async () => {
    const body = JSON.parse((await uiasim(...args, '--json')).stdout) as { unexpected: number; cells: { strategy: string; faults: string; verdict: string; expected: boolean; token: string | null }[] };
    expect(body.unexpected).toBe(0);
    expect(body.cells.map((c) => `${c.strategy}/${c.faults}/${c.verdict}`)).toEqual([
      'memory-1.8/steady/violated',
      'memory-1.8/store-restart/violated',
      'sql/steady/not-found',
      'sql/store-restart/not-found',
      'redis-hash/steady/not-found',
      'redis-hash/store-restart/violated',
    ]);
    const violated = body.cells.find((c) => c.strategy === 'redis-hash' && c.faults === 'store-restart');
    expect((await uiasim('replay', violated?.token ?? '')).status).toBe(1);
  });

  it('a cell expected violated that finds nothing in its N runs searches past them; the rate stays over N (the printer tests judge surprises)', async () => {
    const run = await uiasim('compare', '--strategies', 'redis-blob', '--faults', 'steady', '--runs', '5', '--fail-on-unexpected', '--json');
    expect(run.status).toBe(0);
    const body = JSON.parse(run.stdout) as { unexpected: number; cells: { runs: number; violations: number; firstFailingRun: number; runsDrawn: number; lossRate: { rate: number } }[] };
    expect(body.unexpected).toBe(0);
    expect(body.cells[0]).toMatchObject({ runs: 5, violations: 0, lossRate: { rate: 0 } });
    expect(body.cells[0]?.firstFailingRun).toBeGreaterThan(5);
    expect(body.cells[0]?.runsDrawn).toBe(body.cells[0]?.firstFailingRun);
  });

  it('under another workload than mix no cell is judged or searched past N: the expectations are written for mix', async () => {
    // pinned-1.12 under main-restart is expected violated in mix (the account endpoints'
    // sessions on main); registration never reaches them, and it held for 20,000 runs.
    const run = await uiasim('compare', '--strategies', 'pinned-1.12', '--faults', 'main-restart', '--workload', 'registration', '--runs', '20', '--fail-on-unexpected', '--json');
    expect(run.status).toBe(0);
    const body = JSON.parse(run.stdout) as { unexpected: number; withoutExpectation: number; cells: { judgement: string; runsDrawn: number }[] };
    expect([body.unexpected, body.withoutExpectation]).toEqual([0, 1]);
    expect(body.cells[0]).toMatchObject({ judgement: 'no-expectation', runsDrawn: 20 });
  });

  it('rows on the same Synapse version run the same cases: sql and redis-hash count the same completed operations', async () => {
    const body = JSON.parse((await uiasim('compare', '--strategies', 'sql,redis-hash', '--faults', 'steady', '--runs', '20', '--json')).stdout) as { costs: { strategy: string; runs: number; operations: number }[] };
    const [sql, redisHash] = body.costs;
    expect(sql?.operations).toBeGreaterThanOrEqual(100);
    expect(redisHash?.operations).toBe(sql?.operations);
    expect(redisHash?.runs).toBe(sql?.runs);
  });

  it('--format markdown prints a GitHub table', async () => {
    const run = await uiasim('compare', '--strategies', 'sql', '--faults', 'steady', '--runs', '5', '--format', 'markdown');
    expect(run.stdout).toContain('| strategy | steady |\n|---|---|\n| sql | ok |');
  });
});

describe('uiasim check --property liveness', () => {
  it('pinned-1.12 never lets a client finish under steady: the pinned worker answers the fallback 400 M_UNRECOGNIZED', async () => {
    const run = await uiasim('check', '--strategy', 'pinned-1.12', '--property', 'liveness', '--faults', 'steady', '--json');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { property: string; violation: { why: string; steps: { servedBy: string; status: number }[] } };
    expect(report.property).toBe('liveness');
    expect(report.violation.why).toMatch(/followed the protocol but never registered: .* the answer in its way: 400 M_UNRECOGNIZED: Unrecognized request from reader1/);
    // 1.12's UnrecognizedRequestError is a 400 (Profile.unrecognizedStatus; real 1.12.4 answers so, docs/real.md).
    expect(report.violation.steps.some((s) => s.servedBy === 'reader1' && s.status === 400)).toBe(true);
  });

  it('sql lets every client finish', async () => {
    expect((await uiasim('check', '--strategy', 'sql', '--property', 'liveness', '--runs', '300')).status).toBe(0);
  });
});

describe('the replay hint where uiasim is installed', () => {
  it('says `npx uiasim replay`: an installed package has no `npm run uiasim` script', async () => {
    // The bundled CLI is self-contained (test/tidy/cli-bundle.test.ts): a copy under
    // node_modules/uia-sim runs as an installed one does.
    const installed = fileURLToPath(new URL('../../test-output/cli/installed/node_modules/uia-sim/', import.meta.url));
    rmSync(installed, { recursive: true, force: true });
    cpSync(fileURLToPath(new URL('../../dist/src/cli/', import.meta.url)), `${installed}dist/src/cli/`, { recursive: true });
    const args = ['check', '--strategy', 'memory-1.8', '--runs', '10'];
    const here = await uiasim(...args);
    const there = spawnSync(process.execPath, [`${installed}dist/src/cli/main.js`, ...args], { encoding: 'utf8', timeout: 60_000 });
    expect(here.stdout).toMatch(/^replay {6}npm run uiasim -- replay uiasim1\./m);
    expect(there.stdout).toBe(here.stdout.replace('npm run uiasim -- replay', 'npx uiasim replay'));
  });
});

describe('--out FILE', () => {
  it('makes the folders FILE needs, as --save-failures does, and the report is what stdout would print', async () => {
    const dir = fileURLToPath(new URL('../../test-output/cli/out-made/', import.meta.url));
    rmSync(dir, { recursive: true, force: true });
    const file = `${dir}deeper/check.txt`;
    const printed = await uiasim('check', '--strategy', 'sql', '--runs', '5');
    const run = await uiasim('check', '--strategy', 'sql', '--runs', '5', '--out', file);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`wrote ${file}\n`);
    expect(readFileSync(file, 'utf8')).toBe(printed.stdout);
  });
});

describe('uiasim compare --format html', () => {
  it('writes one self-contained page: the matrix, the costs and every failure with its token', async () => {
    const file = fileURLToPath(new URL('../../test-output/cli/report.html', import.meta.url));
    mkdirSync(dirname(file), { recursive: true });
    const run = await uiasim('compare', '--strategies', 'memory-1.8,sql,redis-hash', '--faults', 'steady,store-restart', '--runs', '60', '--format', 'html', '--out', file);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`wrote ${file}\n`);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<td class="/g)).toHaveLength(6);
    expect(html.match(/<td class="lost/g)).toHaveLength(3);
    expect(html.match(/data-token="uiasim1\./g)).toHaveLength(3);
    // Nothing to fetch: no external script, style, image or link.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('uiasim list --format', () => {
  it('an unknown format exits 2', async () => {
    const run = await uiasim('list', '--format', 'xml');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("uiasim: unknown format 'xml'; valid formats: text, json\n");
  });
});
