// Every command from the built CLI (the bundle `npm install` gives, dist/src/cli/main.js), each in
// a process of its own: most suites run commands through runCli in their thread (run-cli.ts), so
// these check what only the built program shows: its bundle loads each command's module, it
// prints the output and exits with the code runCli gives. --jobs, the run watchdog and Ctrl-C
// have their own process tests (scale.test.ts, test/explore/jobs.test.ts).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uiasim, uiasimProcess } from './run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = `${root}test-output/built-cli/`;
mkdirSync(out, { recursive: true });

/** The built CLI and runCli print the same bytes and exit the same way (stderr too, but where it
 * gives wall-clock times). */
async function bothAgree(...args: string[]): Promise<ReturnType<typeof uiasimProcess>> {
  const built = uiasimProcess(args, { cwd: root });
  const here = await uiasim(...args);
  const timed = (stderr: string): string => stderr.replace(/\d+(\.\d+)? s\b.*$/gm, '<time>');
  expect({ status: built.status, stdout: built.stdout, stderr: timed(built.stderr) }, args.join(' ')).toEqual({ ...here, stderr: timed(here.stderr) });
  return built;
}

describe('the built CLI runs every command as runCli does', () => {
  it('check (a violation, exit 1), replay of its token, list', async () => {
    const check = await bothAgree('check', '--strategy', 'memory-1.8', '--faults', 'steady', '--workload', 'registration', '--runs', '20', '--json');
    expect(check.status).toBe(1);
    const token = (JSON.parse(check.stdout) as { violation: { token: string } }).violation.token;
    expect((await bothAgree('replay', token)).status).toBe(1);
    expect((await bothAgree('list')).stdout).toMatch(/^strategy +sql /m);
  });

  it('compare, and merge of shards the built CLI wrote', async () => {
    expect((await bothAgree('compare', '--strategies', 'sql', '--faults', 'steady', '--runs', '3')).status).toBe(0);
    const files = [1, 2].map((k) => `${out}check-${k}.json`);
    for (const [k, file] of files.entries()) expect(uiasimProcess(['check', '--strategy', 'sql', '--runs', '6', '--shard', `${k + 1}/2`, '--out', file]).status).toBe(0);
    const merged = await bothAgree('merge', ...files);
    expect(merged.status).toBe(0);
    expect(merged.stdout).toBe((await uiasim('check', '--strategy', 'sql', '--runs', '6')).stdout);
  });

  it('explore (a proof, exit 0) and regress', async () => {
    expect((await bothAgree('explore', '--strategy', 'sql', '--scope', 'tiny')).stdout).toMatch(/^progress-never-lost holds for the 1 schedule of scope tiny /m);
    const check = JSON.parse((await uiasim('check', '--strategy', 'memory-1.8', '--faults', 'steady', '--workload', 'registration', '--runs', '20', '--json')).stdout) as { violation: { token: string } };
    expect((await bothAgree('regress', check.violation.token)).stdout).toContain(check.violation.token);
  });

  it('bad input: one line on stderr and exit 2, from a command, from the parser, and help exits 0', async () => {
    const unknown = await bothAgree('check', '--strategy', 'nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^uiasim: unknown strategy 'nope'; valid choices: .*\n$/);
    const parse = await bothAgree('chek');
    expect(parse.status).toBe(2);
    expect(parse.stderr).toBe("uiasim: unknown command 'chek' (did you mean check?)\n");
    const help = await bothAgree('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: uiasim /);
  });
});
