import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lease } from '../../real/lifetime.js';
import { deploy, exploreTokenOf, HAS_SYNAPSE, privateDeploymentDir, replayOnReal, tokenOf } from './real-harness.js';

// README finding (c) on a real Synapse 1.12.4: the v1.12 docs pin /register and the fallback to
// one client_reader, which has no fallback servlet, so the captcha and terms never complete.
describe.skipIf(!HAS_SYNAPSE)('real Synapse 1.12.4', () => {
  let lease: Lease | undefined;
  let cleanDir: () => void = () => {};
  beforeAll(async () => {
    cleanDir = privateDeploymentDir();
    lease = await deploy('1.12', 'pinned-1.12');
  }, 300_000);
  afterAll(async () => {
    await lease?.release();
    cleanDir();
  }, 120_000);

  it('answers every fallback request from the pinned worker with M_UNRECOGNIZED, and the client never registers', async () => {
    const token = await tokenOf({ strategy: 'pinned-1.12', property: 'liveness', faults: 'steady', workload: 'registration' });
    const replay = await replayOnReal(token, '1.12');
    const fallbacks = replay.rows.filter((r) => r.what.includes('fallback'));
    expect(fallbacks.length).toBeGreaterThan(0);
    // A 400, as the model now answers for 1.8-1.13 (Profile.unrecognizedStatus): Synapse's
    // UnrecognizedRequestError was a 400 up to v1.66 at least. The difference this replay found
    // (the model said 404) is fixed, so every row agrees.
    for (const row of fallbacks) {
      expect([row.real?.status, row.real?.errcode, row.real?.servedBy]).toEqual(['400', 'M_UNRECOGNIZED', 'reader1']);
      expect([row.model?.status, row.model?.errcode]).toEqual(['400', 'M_UNRECOGNIZED']);
    }
    expect(replay.rows.filter((r) => !r.agree)).toEqual([]);
    const verdict = replay.verdicts.find((v) => v.property === 'liveness');
    expect(verdict?.realViolated).toBe(true);
    expect(verdict?.modelViolated).toBe(true);
  }, 120_000);

  it("explore's restart counterexample (register-recover): the restarted worker answers the terms session with a new one, as in the model", async () => {
    // reader1 answers request 4 with [m.login.terms] and is killed; the user comes back after the
    // restart, and 1.12 silently replaces the unknown session (uia §2.2). The driver lets a
    // request the model's crashed process had answered be answered before the kill: without that,
    // nginx answered request 4 with a 502 and the two runs parted there.
    const replay = await replayOnReal(await exploreTokenOf('pinned-1.12', 'register-recover'), '1.12');
    expect(replay.rows.map((r) => [r.real?.status, r.real?.completed, r.real?.servedBy])).toEqual([
      ['401', '[]', 'reader1'],
      ['400', '', 'reader1'],
      ['401', '[]', 'reader1'],
      ['401', '[m.login.terms]', 'reader1'],
      ['401', '[m.login.dummy]', 'reader1'],
    ]);
    expect(replay.rows.filter((r) => !r.agree)).toEqual([]);
    const verdict = replay.verdicts.find((v) => v.property === 'progress-never-lost');
    expect([verdict?.model, verdict?.real]).toEqual(['VIOLATED at request 5', 'VIOLATED at request 5']);
    expect(replay.exitCode).toBe(0);
  }, 120_000);
});
