// runCli (src/cli/program.ts): a command's output comes back as a value; a simulated command
// writes nothing itself unless it is given a terminal for its progress (src/cli/main.ts gives
// stderr when it is one), even when stderr is a terminal.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/program.js';

/** A stand-in terminal that keeps what is written to it (cli-progress and explore only write). */
function fakeTerminal(): { readonly stream: NodeJS.WriteStream; readonly written: () => string } {
  let text = '';
  const stream = { isTTY: true, columns: 120, write: (chunk: string) => ((text += chunk), true), cursorTo: () => true, clearLine: () => true, moveCursor: () => true } as unknown as NodeJS.WriteStream;
  return { stream, written: () => text };
}

const EXPLORE = ['explore', '--strategy', 'sql', '--scope', 'password-restart', '--search', 'dfs'];
const COMPARE = ['compare', '--strategies', 'sql', '--faults', 'steady', '--runs', '3'];

describe('runCli', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes nothing to stdout or stderr itself, even when stderr is a terminal: the output is the value it returns', async () => {
    // The test's stderr is a pipe; as a terminal, the commands that once looked at it would draw.
    const wasTTY = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    let explore, compare, parseError;
    try {
      explore = await runCli(EXPLORE);
      compare = await runCli(COMPARE);
      parseError = await runCli(['chek']);
    } finally {
      if (wasTTY === undefined) delete (process.stderr as { isTTY?: boolean }).isTTY;
      else Object.defineProperty(process.stderr, 'isTTY', wasTTY);
    }
    expect(stdout).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
    expect(explore.stdout).toMatch(/^progress-never-lost holds for all \d+ schedules of scope password-restart /m);
    expect(compare.stdout).toContain('Every cell is as expected');
    expect(parseError).toEqual({ stdout: '', stderr: "uiasim: unknown command 'chek' (did you mean check?)\n", exitCode: 2 });
  });

  it("given a terminal, explore's progress line goes there, erased before the report", async () => {
    const terminal = fakeTerminal();
    const withTerminal = await runCli(EXPLORE, { terminal: terminal.stream });
    expect(terminal.written()).toMatch(/^\r\d+ states, \d+ schedules, \d+ states\/s, frontier \d+ {3}/);
    expect(terminal.written().endsWith('\r\x1b[K')).toBe(true);
    // The report itself does not change.
    expect(withTerminal.stdout).toBe((await runCli(EXPLORE)).stdout);
  });

  it("given a terminal, compare's progress bar goes there, counting every cell and the costs", async () => {
    const terminal = fakeTerminal();
    const withTerminal = await runCli(COMPARE, { terminal: terminal.stream });
    expect(terminal.written()).toContain('compare [');
    expect(terminal.written()).toContain('2/2 cells and costs');
    expect(withTerminal.stdout).toBe((await runCli(COMPARE)).stdout);
  });
});
