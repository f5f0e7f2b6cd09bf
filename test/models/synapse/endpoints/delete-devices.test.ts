// POST /delete_devices (models/synapse/endpoints/delete-devices.ts), uia §3.1, §2.4, §2.9, §2.12.
import { describe, expect, it } from 'vitest';
import { DELETE_DEVICES_PATH } from '../../../../models/matrix/protocol.js';
import { withConfig } from '../../../../models/synapse/config.js';
import { accountsProcess, authed, body, operations, passwordAuth, PRE_HEAD, session, USER_A } from './harness.js';

const post = (b: unknown) => authed('POST', DELETE_DEVICES_PATH, b);

describe('POST /delete_devices', () => {
  it('uia §4.1 test_can_change_body, #8968: started for [DEVA1], finished with {devices: [DEVA2]} -> 200, the final body decides', () => {
    for (const profile of ['1.8', '1.13', 'head'] as const) {
      const p = accountsProcess(profile);
      const first = p.serve(post({ devices: ['DEVA1'] }));
      expect(first.status).toBe(401);
      const done = p.serve(post({ devices: ['DEVA2'], auth: passwordAuth(profile, session(first)) }));
      expect(done).toMatchObject({ status: 200, body: {} });
      expect(p.db.execute({ op: 'accounts.listDevices', userId: USER_A }, 0)).toEqual(['DEVA1']);
      expect(operations(p)).toEqual([[USER_A, USER_A]]);
    }
  });

  it('uia §2.4: a completed session replays with {session} only while it lives (device deletion too)', () => {
    const p = accountsProcess('head');
    const first = p.serve(post({ devices: ['DEVA2'] }));
    const sid = session(first);
    expect(p.serve(post({ devices: ['DEVA2'], auth: passwordAuth('head', sid) })).status).toBe(200);
    expect(p.serve(post({ devices: ['DEVA1'], auth: { session: sid } })).status).toBe(200);
    expect(p.db.execute({ op: 'accounts.listDevices', userId: USER_A }, 0)).toEqual([]);
  });

  it('a body without `devices` is refused before UIA: M_MISSING_PARAM to 1.13, M_BAD_JSON in head', () => {
    for (const profile of PRE_HEAD) expect(accountsProcess(profile).serve(post({}))).toMatchObject({ status: 400, body: { errcode: 'M_MISSING_PARAM' } });
    expect(accountsProcess('head').serve(post({ devices: 'DEVA1' }))).toMatchObject({ status: 400, body: { errcode: 'M_BAD_JSON' } });
    // Not JSON at all is treated as {} (older clients).
    expect(accountsProcess('head').serve(post(undefined))).toMatchObject({ status: 400, body: { errcode: 'M_BAD_JSON' } });
  });

  it('uia §2.12: can_skip_ui_auth with session_timeout in head: a token validated 1 s ago deletes without UIA', () => {
    const p = accountsProcess('head', { config: withConfig({ uiAuth: { sessionTimeoutMs: 15_000 } }) });
    p.clock.ms = 1000;
    expect(p.serve(post({ devices: ['DEVA2'], auth: { type: 'm.login.password', session: 'ignored' } })).status).toBe(200);
    expect(body(p.serve(post({ devices: ['DEVA2'] })))).toEqual({});
  });

  it('uia §3.1: workers mount it only in head', () => {
    expect(accountsProcess('1.13').serve(post({ devices: [] }), 'worker').status).toBe(400);
    expect(accountsProcess('head').serve(post({ devices: [] }), 'worker').status).toBe(401);
  });
});
