// UIASIM_JOBS: the default of --jobs for check, compare and explore (docs/scale.md).
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultJobs, JOBS_ENV } from '../../src/cli/jobs.js';
import { UsageError } from '../../src/cli/usage.js';
import { uiasimProcess } from './run-cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const saved = process.env[JOBS_ENV];

afterEach(() => {
  if (saved === undefined) delete process.env[JOBS_ENV];
  else process.env[JOBS_ENV] = saved;
});

describe('UIASIM_JOBS', () => {
  it('sets the default thread count; unset or empty, the machine cores', () => {
    process.env[JOBS_ENV] = '3';
    expect(defaultJobs()).toBe(3);
    process.env[JOBS_ENV] = '1';
    expect(defaultJobs()).toBe(1);
    delete process.env[JOBS_ENV];
    expect(defaultJobs()).toBe(availableParallelism());
    process.env[JOBS_ENV] = '';
    expect(defaultJobs()).toBe(availableParallelism());
  });

  it('refuses what is not a positive whole number', () => {
    for (const bad of ['0', '-1', '1.5', 'two', ' 2', '1e3', '99999999999999999999']) {
      process.env[JOBS_ENV] = bad;
      expect(() => defaultJobs(), bad).toThrow(UsageError);
      expect(() => defaultJobs(), bad).toThrow(`UIASIM_JOBS must be a positive whole number of threads, got '${bad}'`);
    }
  });

  it('a bad value is one line and exit 2 from each command that uses the default; --jobs wins over it', () => {
    const env = { ...process.env, [JOBS_ENV]: '0' };
    for (const args of [
      ['compare', '--strategies', 'sql', '--faults', 'steady', '--runs', '1'],
      ['check', '--strategy', 'sql', '--runs', '1000'],
      ['explore', '--strategy', 'sql', '--scope', 'tiny'],
    ]) {
      const run = uiasimProcess(args, { cwd: root, env });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe("uiasim: UIASIM_JOBS must be a positive whole number of threads, got '0'\n");
    }
    // A short check uses one thread whatever the variable says, and --jobs never reads it.
    expect(uiasimProcess(['check', '--strategy', 'sql', '--runs', '10'], { cwd: root, env }).status).toBe(0);
    expect(uiasimProcess(['explore', '--strategy', 'sql', '--scope', 'tiny', '--jobs', '1'], { cwd: root, env }).status).toBe(0);
  });
});
