import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uiasim } from './run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('a store that claims durability but drops unflushed writes on restart()', () => {
  const store = 'test/fixtures/plugins/buffered-store.ts';

  it('is caught under store-restart: progress lost after its database restarts', async () => {
    const run = await uiasim('check', '--store', store, '--faults', 'store-restart', '--runs', '300', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { verdict: string; violation: { property: string; faults: string[] } };
    expect(report.verdict).toBe('violated');
    expect(report.violation.property).toBe('progress-never-lost');
    expect(report.violation.faults.join(' ')).toMatch(/store crashes .* restarts/);
  });

  it('holds without restarts: the buffer is the only defect', async () => {
    const run = await uiasim('check', '--store', store, '--faults', 'steady', '--runs', '300');
    expect(run.status).toBe(0);
  });
});
