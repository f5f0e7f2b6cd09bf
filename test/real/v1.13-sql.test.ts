import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lease } from '../../real/lifetime.js';
import { replayToken } from '../../properties/replay-token.js';
import { CAPTCHA_TWO_TABS } from '../fixtures/real/captcha-two-tabs.js';
import { deploy, HAS_SYNAPSE, privateDeploymentDir, replayOnReal } from './real-harness.js';

// Real Synapse 1.13.0 routed as `sql` (/register round-robin over both workers), as conform on
// 1.13 runs it by default (docs/real.md).
describe.skipIf(!HAS_SYNAPSE)('real Synapse 1.13.0, routing sql', () => {
  let lease: Lease | undefined;
  let cleanDir: () => void = () => {};
  beforeAll(async () => {
    cleanDir = privateDeploymentDir();
    lease = await deploy('1.13', 'sql');
  }, 300_000);
  afterAll(async () => {
    await lease?.release();
    cleanDir();
  }, 120_000);

  it("conform's captcha fallback POST: a client's own fallback after the browser tab it spawned agrees on every request", async () => {
    // The model's captcha POST (request 6) was paired with the real second tab's GET, so the real
    // column showed the form where the model had the success page (real/pairing.ts).
    const replay = await replayOnReal(replayToken(CAPTCHA_TWO_TABS, 'progress-never-lost', ''), '1.13');
    expect(replay.rows.map((r) => `${r.actor} ${r.what}: ${r.real?.status} ${r.real?.errcode} ${r.real?.completed}`)).toEqual([
      'app A POST /register: 401  []',
      'app B POST /register: 401  []',
      'app B POST /register: 401  []',
      'browser B POST fallback m.login.recaptcha (m.login.recaptcha): 200 page:success [m.login.recaptcha]',
      'browser A GET fallback m.login.recaptcha: 200 page:form []',
      'browser A POST fallback m.login.recaptcha (m.login.recaptcha): 200 page:success [m.login.recaptcha]',
      'browser A GET fallback m.login.recaptcha: 200 page:form []',
      'browser A POST fallback m.login.recaptcha (m.login.recaptcha): 200 page:success [m.login.recaptcha]',
      'app A POST /register: 401  [m.login.recaptcha]',
      expect.stringMatching(/^app A POST \/register \(m\.login\.dummy\): 401  \[(m\.login\.recaptcha, m\.login\.dummy|m\.login\.dummy, m\.login\.recaptcha)\]$/),
    ]);
    expect(replay.rows.every((r) => r.agree)).toBe(true);
    expect(replay.verdicts.find((v) => v.property === 'progress-never-lost')).toMatchObject({ model: 'holds', real: 'holds' });
    expect(replay.exitCode).toBe(0);
  }, 120_000);
});
