// runCli (src/cli/program.ts): a command's output comes back as a value; the command writes
// nothing itself unless it is given a terminal for its progress (src/cli/main.ts gives stderr
// when it is one).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';

/** A stand-in terminal that keeps what is written to it. */
function fakeTerminal(): { readonly stream: NodeJS.WriteStream; readonly written: () => string } {
  let text = '';
  const stream = { isTTY: true, columns: 120, write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WriteStream;
  return { stream, written: () => text };
}

describe('runCli', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes nothing to stdout or stderr itself: the output is the value it returns', async () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    const explore = await runCli(['explore', '--strategy', 'sql', '--scope', 'password-restart', '--search', 'dfs']);
    const compare = await runCli(['compare', '--strategies', 'sql', '--faults', 'steady', '--runs', '3']);
    const parseError = await runCli(['chek']);
    expect(stdout).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
    expect(explore.stdout).toMatch(/^progress-never-lost holds for all \d+ schedules of scope password-restart /m);
    expect(compare.stdout).toContain('Every cell is as expected');
    expect(parseError).toEqual({ stdout: '', stderr: "uiasim: unknown command 'chek' (did you mean check?)\n", exitCode: 2 });
  });

  it("given a terminal, explore's progress line goes there, erased before the report", async () => {
    const terminal = fakeTerminal();
    const args = ['explore', '--strategy', 'sql', '--scope', 'password-restart', '--search', 'dfs'];
    const withTerminal = await runCli(args, { terminal: terminal.stream });
    expect(terminal.written()).toMatch(/^\r\d+ states, \d+ schedules, \d+ states\/s, frontier \d+ {3}/);
    expect(terminal.written().endsWith('\r\x1b[K')).toBe(true);
    // The report itself does not change.
    expect(withTerminal.stdout).toBe((await runCli(args)).stdout);
  });
});
