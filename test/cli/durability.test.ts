import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = `${root}dist/src/cli/main.js`;

function uiasim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000, cwd: root });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('a store that claims durability but drops unflushed writes on restart()', () => {
  const store = 'test/fixtures/plugins/buffered-store.ts';

  it('is caught under store-restart: progress lost after its database restarts', () => {
    const run = uiasim('check', '--store', store, '--faults', 'store-restart', '--runs', '300', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { verdict: string; violation: { property: string; faults: string[] } };
    expect(report.verdict).toBe('violated');
    expect(report.violation.property).toBe('progress-never-lost');
    expect(report.violation.faults.join(' ')).toMatch(/store crashes .* restarts/);
  });

  it('holds without restarts: the buffer is the only defect', () => {
    const run = uiasim('check', '--store', store, '--faults', 'steady', '--runs', '300');
    expect(run.status).toBe(0);
  });
});
