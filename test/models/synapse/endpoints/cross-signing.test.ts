// POST /keys/device_signing/upload (models/synapse/endpoints/cross-signing.ts), uia §3.1, §1.5, §4.4, §4.5.
import { describe, expect, it } from 'vitest';
import { DEVICE_SIGNING_UPLOAD_PATH } from '../../../../models/matrix/protocol.js';
import { accountsProcess, authed, body, operations, passwordAuth, session, USER_A } from './harness.js';

const UNSTABLE = '/_matrix/client/unstable/keys/device_signing/upload';
const post = (b: unknown, path = DEVICE_SIGNING_UPLOAD_PATH) => authed('POST', path, b);
const MASTER = { master_key: { user_id: USER_A, usage: ['master'], keys: { 'ed25519:AAA': 'AAA' } } };
const OTHER_MASTER = { master_key: { user_id: USER_A, usage: ['master'], keys: { 'ed25519:BBB': 'BBB' } } };
const SSK = { self_signing_key: { user_id: USER_A, usage: ['self_signing'], keys: { 'ed25519:SSS': 'SSS' } } };

describe('POST /keys/device_signing/upload', () => {
  it('uia §4.4 test_device_signing_with_uia / 4.5 msc3967 (head): first upload 200 without UIA, identical re-upload 200, a different key set 401 [[m.login.password]], password + session 200, the same request again 200', () => {
    const p = accountsProcess('head');
    expect(p.serve(post(MASTER))).toMatchObject({ status: 200, body: {} });
    expect(p.serve(post(MASTER)).status).toBe(200);
    expect(p.facts.filter((f) => f.name === 'session-created')).toEqual([]);
    const replace = p.serve(post(OTHER_MASTER));
    expect(replace.status).toBe(401);
    expect(body(replace)['flows']).toEqual([{ stages: ['m.login.password'] }]);
    const auth = passwordAuth('head', session(replace));
    expect(p.serve(post({ ...OTHER_MASTER, auth })).status).toBe(200);
    expect(p.serve(post({ ...OTHER_MASTER, auth })).status).toBe(200);
    // The first upload and the replacement ran; the identical re-uploads are 200 no-ops.
    expect(operations(p)).toEqual([
      [USER_A, USER_A],
      [USER_A, USER_A],
    ]);
  });

  it('uia §4.5 msc3967: adding a self-signing key to an existing master key needs UIA', () => {
    const p = accountsProcess('head');
    expect(p.serve(post(MASTER)).status).toBe(200);
    expect(p.serve(post({ ...MASTER, ...SSK })).status).toBe(401);
  });

  it('uia §2.3 (#15077 v1.79): before MSC3967 even the first upload prompts; 1.8-1.13 serve it under unstable only (uia §3.1)', () => {
    for (const profile of ['1.8', '1.13'] as const) {
      const p = accountsProcess(profile);
      expect(p.serve(post(MASTER))).toMatchObject({ status: 400, body: { errcode: 'M_UNRECOGNIZED' } });
      expect(p.serve(post(MASTER, UNSTABLE)).status).toBe(401);
    }
  });
});
