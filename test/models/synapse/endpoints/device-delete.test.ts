// DELETE /devices/{id} (models/synapse/endpoints/device-delete.ts), uia §3.1, §2.5, §2.9, §2.12, §2.13.
import { describe, expect, it } from 'vitest';
import { devicePath } from '../../../../models/matrix/protocol.js';
import { withConfig } from '../../../../models/synapse/config.js';
import { accountsProcess, ALL_PROFILES, authed, body, operations, passwordAuth, PRE_HEAD, session, TOKEN_B, USER_A } from './harness.js';

const del = (device: string, b: unknown, token?: string) => authed('DELETE', devicePath(device), b, token);

describe('DELETE /devices/{id}', () => {
  for (const profile of ALL_PROFILES) {
    it(`uia §4.1 test_ui_auth (${profile}): no body -> 401 session, flows [[m.login.password]], params, no completed; password + session -> 200`, () => {
      const p = accountsProcess(profile);
      const first = p.serve(del('DEVA2', undefined));
      expect(first.status).toBe(401);
      expect(Object.keys(body(first)).sort()).toEqual(['flows', 'params', 'session']);
      expect(body(first)['flows']).toContainEqual({ stages: ['m.login.password'] });
      const done = p.serve(del('DEVA2', { auth: passwordAuth(profile, session(first)) }));
      expect(done).toMatchObject({ status: 200, body: {} });
      expect(p.db.execute({ op: 'accounts.listDevices', userId: USER_A }, 0)).toEqual(['DEVA1']);
      expect(operations(p)).toEqual([[USER_A, USER_A]]);
    });
  }

  it('uia §4.5 Complement: wrong password without a session -> 401 with flows, params, session, error, M_FORBIDDEN; right one -> 200; GET -> 404', () => {
    const p = accountsProcess('head');
    const wrong = p.serve(del('DEVA2', { auth: passwordAuth('head', undefined, USER_A, 'wrong') }));
    expect(wrong.status).toBe(401);
    expect(body(wrong)).toMatchObject({ errcode: 'M_FORBIDDEN', error: 'Invalid username or password', completed: [] });
    expect(body(wrong)).toHaveProperty('flows');
    expect(body(wrong)).toHaveProperty('params');
    const right = p.serve(del('DEVA2', { auth: passwordAuth('head', undefined) }));
    expect(right.status).toBe(200);
    expect(p.serve(authed('GET', devicePath('DEVA2'), undefined)).status).toBe(404);
    expect(p.serve(authed('GET', devicePath('DEVA1'), undefined)).status).toBe(200);
  });

  it("uia §4.5, §2.5, §2.13: Bob's credentials on Alice's request -> 403 Invalid auth, the device still exists", () => {
    const p = accountsProcess('head');
    const first = p.serve(del('DEVA2', {}));
    const bob = p.serve(del('DEVA2', { auth: passwordAuth('head', session(first), '@userb:test') }));
    expect(bob).toMatchObject({ status: 403, body: { errcode: 'M_UNKNOWN', error: 'Invalid auth' } });
    expect(p.db.execute({ op: 'accounts.listDevices', userId: USER_A }, 0)).toEqual(['DEVA1', 'DEVA2']);
    expect(operations(p)).toEqual([]);
  });

  it('uia §2.9 test_cannot_change_uri: from 1.13 a session started on DEVA2 cannot finish on DEVA1 (403); 1.8 binds nothing', () => {
    for (const profile of ['1.13', 'head'] as const) {
      const p = accountsProcess(profile);
      const first = p.serve(del('DEVA2', {}));
      const other = p.serve(del('DEVA1', { auth: passwordAuth(profile, session(first)) }));
      expect(other).toMatchObject({ status: 403, body: { errcode: 'M_UNKNOWN', error: 'Requested operation has changed during the UI authentication session.' } });
      expect(p.db.execute({ op: 'accounts.listDevices', userId: USER_A }, 0)).toEqual(['DEVA1', 'DEVA2']);
    }
    const p = accountsProcess('1.8');
    const first = p.serve(del('DEVA2', {}));
    expect(p.serve(del('DEVA1', { auth: passwordAuth('1.8', session(first)) })).status).toBe(200);
  });

  it('uia §4.1 test_can_reuse_session (head, session_timeout 5 s): skip right after login; after 6 s -> 401, completed -> 200, then another device with no auth -> 200', () => {
    const config = withConfig({ uiAuth: { sessionTimeoutMs: 5000 } });
    const p = accountsProcess('head', { config, seeds: [{ userId: USER_A, password: 'correct horse', devices: ['DEVA1', 'DEVA2', 'DEVA3', 'DEVA4'], accessToken: 'syt_usera_token' }] });
    expect(p.serve(del('DEVA2', undefined)).status).toBe(200);
    // The skip path creates no session (uia §2.5).
    expect(p.facts.filter((f) => f.name === 'session-created')).toEqual([]);
    expect(operations(p)).toEqual([[USER_A, USER_A]]);
    p.clock.ms = 6000;
    const challenged = p.serve(del('DEVA3', undefined));
    expect(challenged.status).toBe(401);
    expect(p.serve(del('DEVA3', { auth: passwordAuth('head', session(challenged)) })).status).toBe(200);
    expect(p.serve(del('DEVA4', undefined)).status).toBe(200);
  });

  it('uia §2.12: before v1.25 session_timeout does not exist: 1.13 always prompts', () => {
    const p = accountsProcess('1.13', { config: withConfig({ uiAuth: { sessionTimeoutMs: 5000 } }) });
    expect(p.serve(del('DEVA2', undefined)).status).toBe(401);
  });

  it('get_user_by_req: no token -> 401 M_MISSING_TOKEN; an unknown one -> 401 M_UNKNOWN_TOKEN', () => {
    const p = accountsProcess('head');
    expect(p.serve(authed('DELETE', devicePath('DEVA2'), {}, null)).body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
    expect(p.serve(authed('DELETE', devicePath('DEVA2'), {}, 'syt_nobody'))).toMatchObject({ status: 401, body: { errcode: 'M_UNKNOWN_TOKEN' } });
  });

  it("deleting the requester's own device revokes its token (Complement: the deleted device's token gets 401)", () => {
    const p = accountsProcess('head');
    const first = p.serve(del('DEVA1', {}));
    expect(p.serve(del('DEVA1', { auth: passwordAuth('head', session(first)) })).status).toBe(200);
    expect(p.serve(del('DEVA2', {}))).toMatchObject({ status: 401, body: { errcode: 'M_UNKNOWN_TOKEN' } });
  });

  it('uia §3.1, §3.4: a worker mounts it only in head (v1.135); elsewhere a worker answers 400 M_UNRECOGNIZED (UnrecognizedRequestError before MSC3743)', () => {
    for (const profile of PRE_HEAD) {
      expect(accountsProcess(profile).serve(del('DEVA2', {}), 'worker')).toMatchObject({ status: 400, body: { errcode: 'M_UNRECOGNIZED' } });
    }
    expect(accountsProcess('head').serve(del('DEVA2', {}), 'worker').status).toBe(401);
  });

  it('Bob deleting with his own token only touches his devices', () => {
    const p = accountsProcess('head');
    const first = p.serve(del('DEVA2', {}, TOKEN_B));
    expect(p.serve(del('DEVA2', { auth: passwordAuth('head', session(first), '@userb:test') }, TOKEN_B)).status).toBe(200);
    expect(p.db.execute({ op: 'accounts.listDevices', userId: USER_A }, 0)).toEqual(['DEVA1', 'DEVA2']);
  });
});
