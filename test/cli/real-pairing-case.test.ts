import { describe, expect, it } from 'vitest';
import { actorName } from '../../models/clients/workload.js';
import { findStrategy, type Strategy } from '../../models/strategies.js';
import { realModelStrategy } from '../../real/model-side.js';
import { captureCase } from '../../src/cli/replay.js';
import { CAPTCHA_TWO_TABS } from '../fixtures/real/captcha-two-tabs.js';

// The model side of conform's captcha fallback case on 1.13 (test/real/v1.13-sql.test.ts runs the
// real side): what the real answers are compared to, and why pairing by actor alone failed.
describe('the captcha two-tabs case in the model (1.13, sql)', () => {
  const strategy = realModelStrategy(findStrategy('sql') as Strategy, '1.13');
  const { observations } = captureCase(CAPTCHA_TWO_TABS, ['progress-never-lost'], strategy).verdict.result;
  const browserA = observations.filter((o) => actorName(o.actor) === 'browser A');

  it("browser A's two fallbacks follow one another: the app's own fallback GET is sent after the spawned tab's POST is answered", () => {
    expect(browserA.map((o) => `${o.phase} ${o.detail}`)).toEqual([
      'sent GET fallback m.login.recaptcha',
      'received page:form',
      'sent POST fallback m.login.recaptcha',
      'received page:success',
      'sent GET fallback m.login.recaptcha',
      'received page:form',
      'sent POST fallback m.login.recaptcha',
      'received page:success',
    ]);
    // A think time (13 s) between them: on the real deployment it takes no wall time, so both
    // GETs are ready together there.
    const [, , , firstSuccess, secondGet] = browserA;
    expect((secondGet?.atMs ?? 0) - (firstSuccess?.atMs ?? 0)).toBeGreaterThan(CAPTCHA_TWO_TABS.workload.clients[0]?.thinkMs ?? 0);
  });

  it('each captcha POST is the success page showing the stage (add_oob_auth marks it, uia §2.6), and the resubmit lists it', () => {
    const posts = browserA.filter((o, i) => o.phase === 'received' && browserA[i - 1]?.detail.startsWith('POST'));
    expect(posts.map((o) => o.tags)).toEqual([['m.login.recaptcha'], ['m.login.recaptcha']]);
    const resubmit = observations.find((o) => o.phase === 'received' && actorName(o.actor) === 'app A' && o.tags.length === 1);
    expect(resubmit?.tags).toEqual(['m.login.recaptcha']);
  });
});
