import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lease } from '../../real/lifetime.js';
import { runConform } from '../../src/cli/conform.js';
import { deploy, exploreTokenOf, HAS_SYNAPSE, privateDeploymentDir, replayOnReal, tokenOf } from './real-harness.js';

// #6705 on a real Synapse 1.8.0: /register on a client_reader, the fallback on main, each with
// its own session dict. The model's counterexample must lose progress there at the same request.
describe.skipIf(!HAS_SYNAPSE)('real Synapse 1.8.0', () => {
  let lease: Lease | undefined;
  let cleanDir: () => void = () => {};
  beforeAll(async () => {
    cleanDir = privateDeploymentDir();
    lease = await deploy('1.8', 'memory-1.8');
  }, 300_000);
  afterAll(async () => {
    await lease?.release();
    cleanDir();
  }, 120_000);

  it('loses progress on the #6705 case at the same request as the model, every answer agreeing', async () => {
    const token = await tokenOf({ strategy: 'memory-1.8', seed: 1 });
    const replay = await replayOnReal(token, '1.8');
    const verdict = replay.verdicts.find((v) => v.property === 'progress-never-lost');
    expect(verdict?.model).toBe('VIOLATED at request 3');
    expect(verdict?.real).toBe('VIOLATED at request 3');
    expect(replay.rows.map((r) => [r.real?.status, r.real?.completed, r.real?.servedBy])).toEqual([
      ['401', '[]', 'reader1'],
      ['200', '[m.login.recaptcha]', 'main'],
      ['401', '[]', 'reader1'],
    ]);
    expect(replay.rows.every((r) => r.agree)).toBe(true);
    expect(replay.exitCode).toBe(0);
  }, 120_000);

  it("explore's shortest counterexample of two clients registering at once loses progress at the same request, every answer agreeing", async () => {
    // Scope (b) of docs/explore.md: A's #6705 requests beside B's start, in the order explore
    // found first (B's /register between A's two requests to reader1); the loss is A's own.
    const replay = await replayOnReal(await exploreTokenOf('memory-1.8', 'two-registrations'), '1.8');
    const verdict = replay.verdicts.find((v) => v.property === 'progress-never-lost');
    expect(verdict?.model).toBe('VIOLATED at request 4');
    expect(verdict?.real).toBe('VIOLATED at request 4');
    expect(replay.rows.map((r) => [r.actor, r.real?.status, r.real?.completed, r.real?.servedBy])).toEqual([
      ['app A', '401', '[]', 'reader1'],
      ['app B', '401', '[]', 'reader1'],
      ['browser A', '200', '[m.login.recaptcha]', 'main'],
      ['app A', '401', '[]', 'reader1'],
    ]);
    expect(replay.rows.every((r) => r.agree)).toBe(true);
    expect(replay.exitCode).toBe(0);
  }, 120_000);

  it('conform: 30 generated registration cases agree with the model on every request but raced ones', async () => {
    const output = await runConform({ real: '1.8', runs: 30, seed: 1 });
    expect(output.stdout).not.toContain('DIFFER');
    expect(output.stdout).toMatch(/^\d+ of 30 cases agree on every request/m);
    expect(output.exitCode).toBe(0);
  }, 120_000);
});
