// The three findings of issue 3 item 6, reproduced request by request (the README "Findings"
// section cites these next to the `uiasim check` commands). Each asserts what the model does,
// which is what the reference says Synapse does (or, for 2.12, what reading the code predicts).
import { describe, expect, it } from 'vitest';
import { ACCOUNT_PASSWORD_PATH, fallbackPath, REGISTER_PATH } from '../../models/matrix/protocol.js';
import type { ProfileName } from '../../models/synapse/profile.js';
import { ROUTING_1_12_PINNED } from '../../models/topologies/synapse-workers.js';
import { FALLBACK_AUTH_CONFIG, SYNAPSE_TEST_CONFIG } from './configs.js';
import { deployment, get, post, sessionOf } from './harness.js';

describe('finding (a): concurrent final /register requests in one session under head (#5450, uia §2.10)', () => {
  it('without a username: two accounts for one session; registered_user_id keeps the last writer', () => {
    const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG, workers: ['reader1', 'reader2'] });
    const session = sessionOf(hs.send('reader1', post(REGISTER_PATH, { password: 'p' })));
    const final = post(REGISTER_PATH, { password: 'p', auth: { session, type: 'm.login.dummy' } });
    // Two tabs (or a client retry racing the original) send the final request at once.
    const [first, second] = hs.sendConcurrently([
      { to: 'reader1', request: final },
      { to: 'reader2', request: final },
    ]);
    expect([first?.status, second?.status]).toEqual([200, 200]);
    expect(first?.body['user_id']).not.toBe(second?.body['user_id']);
    expect(hs.facts('account-created').map((f) => f.key)).toEqual([session, session]);
    expect(hs.sessionData(session, 'registered_user_id')).toBe(second?.body['user_id']);
  });

  it('with a username: one 200, the other 400 M_USER_IN_USE ("User ID already taken")', () => {
    const hs = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
    const session = sessionOf(hs.send('main', post(REGISTER_PATH, { username: 'race', password: 'p' })));
    const final = post(REGISTER_PATH, { username: 'race', password: 'p', auth: { session, type: 'm.login.dummy' } });
    const replies = hs.sendConcurrently([
      { to: 'main', request: final },
      { to: 'main', request: final },
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 400]);
    expect(replies[1]?.body['errcode']).toBe('M_USER_IN_USE');
    // Sequentially the same two requests are idempotent (uia §2.10): the race is the only way in.
    const calm = deployment({ profile: 'head', config: SYNAPSE_TEST_CONFIG });
    const calmSession = sessionOf(calm.send('main', post(REGISTER_PATH, { username: 'race', password: 'p' })));
    const calmFinal = post(REGISTER_PATH, { username: 'race', password: 'p', auth: { session: calmSession, type: 'm.login.dummy' } });
    expect([calm.send('main', calmFinal).status, calm.send('main', calmFinal).status]).toEqual([200, 200]);
  });
});

describe('finding (b): /account/password final request without new_password (uia §2.12, [code-reading])', () => {
  function change(profile: ProfileName) {
    const hs = deployment({ profile, config: SYNAPSE_TEST_CONFIG });
    hs.seed({ userId: '@alice:test', password: 'old', devices: ['DEV1'], accessToken: 'syt_alice' });
    const first = hs.send('main', post(ACCOUNT_PASSWORD_PATH, { new_password: 'new', logout_devices: false }, { accessToken: 'syt_alice' }));
    expect(first.status).toBe(401);
    // The legacy `user` field: 1.13 predates identifier dicts in UIA (#8848, v1.24).
    const auth = { type: 'm.login.password', user: '@alice:test', password: 'old', session: sessionOf(first) };
    // The final request carries only auth, as registration clients do (uia §2.4 step 3).
    return { hs, final: hs.send('main', post(ACCOUNT_PASSWORD_PATH, { auth }, { accessToken: 'syt_alice' })) };
  }

  it('head (since #16264, v1.93): 500, the stored password hash is never read', () => {
    const { final } = change('head');
    expect(final.status).toBe(500);
  });

  it('1.13: 200, the new password comes from the stored clientdict', () => {
    expect(change('1.13').final.status).toBe(200);
  });
});

describe('finding (c): the 1.12 documented routing sends the fallback to a worker that does not mount it (uia §2.3, §3.1)', () => {
  it('recaptcha and terms fallback pages answer 400 M_UNRECOGNIZED on reader1 (as real 1.12.4 does), so the captcha flow can never complete', () => {
    const hs = deployment({ profile: '1.12', config: FALLBACK_AUTH_CONFIG, workers: ['reader1', 'reader2'], routing: ROUTING_1_12_PINNED });
    const first = hs.send('router', post(REGISTER_PATH, { username: 'u', password: 'p' }));
    expect(first.status).toBe(401);
    expect(first.servedBy).toBe('reader1');
    const session = sessionOf(first);
    for (const method of ['GET', 'POST'] as const) {
      const page = hs.send('router', { ...get(fallbackPath('m.login.recaptcha'), `session=${session}&g-recaptcha-response=a`), method });
      expect(page.status).toBe(400);
      expect(page.body['errcode']).toBe('M_UNRECOGNIZED');
      expect(page.servedBy).toBe('reader1');
    }
    const after = hs.send('router', post(REGISTER_PATH, { auth: { session } }));
    expect(after.status).toBe(401);
    expect(after.body['completed']).toEqual([]);
  });
});
