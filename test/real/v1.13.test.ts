import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lease } from '../../real/lifetime.js';
import { deploy, HAS_SYNAPSE, privateDeploymentDir, replayOnReal, tokenOf } from './real-harness.js';

// #7302 on a real Synapse 1.13.0: sessions in the database, so the #6705 case, routed the same
// way, keeps the captcha stage.
describe.skipIf(!HAS_SYNAPSE)('real Synapse 1.13.0', () => {
  let lease: Lease | undefined;
  let cleanDir: () => void = () => {};
  beforeAll(async () => {
    cleanDir = privateDeploymentDir();
    lease = await deploy('1.13', 'memory-1.8');
  }, 300_000);
  afterAll(async () => {
    await lease?.release();
    cleanDir();
  }, 120_000);

  it('holds on the #6705 case, as the model does, every answer agreeing', async () => {
    const token = await tokenOf({ strategy: 'memory-1.8', seed: 1 });
    const replay = await replayOnReal(token, '1.13');
    const verdict = replay.verdicts.find((v) => v.property === 'progress-never-lost');
    expect(verdict?.model).toBe('holds');
    expect(verdict?.real).toBe('holds');
    expect(replay.rows.map((r) => [r.real?.status, r.real?.completed])).toEqual([
      ['401', '[]'],
      ['200', '[m.login.recaptcha]'],
      ['401', '[m.login.recaptcha]'],
    ]);
    expect(replay.rows.every((r) => r.agree)).toBe(true);
  }, 120_000);
});
