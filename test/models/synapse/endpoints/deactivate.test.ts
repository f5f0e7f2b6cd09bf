// POST /account/deactivate (models/synapse/endpoints/deactivate.ts), uia §3.1, §2.5, §2.12.
import { describe, expect, it } from 'vitest';
import { DEACTIVATE_PATH } from '../../../../models/matrix/protocol.js';
import { withConfig } from '../../../../models/synapse/config.js';
import { accountsProcess, ALL_PROFILES, authed, body, operations, passwordAuth, session, USER_A } from './harness.js';

const post = (b: unknown) => authed('POST', DEACTIVATE_PATH, b);

describe('POST /account/deactivate', () => {
  for (const profile of ALL_PROFILES) {
    it(`uia §4.5 account_deactivate_test (${profile}): flows include m.login.password; wrong password 401 M_FORBIDDEN; right one 200; the token is gone`, () => {
      const p = accountsProcess(profile);
      const first = p.serve(post({}));
      expect(first.status).toBe(401);
      expect(body(first)['flows']).toContainEqual({ stages: ['m.login.password'] });
      const wrong = p.serve(post({ auth: passwordAuth(profile, session(first), USER_A, 'nope') }));
      expect(wrong).toMatchObject({ status: 401, body: { errcode: 'M_FORBIDDEN' } });
      const right = p.serve(post({ auth: passwordAuth(profile, session(first)) }));
      expect(right).toMatchObject({ status: 200, body: { id_server_unbind_result: 'success' } });
      expect(p.db.execute({ op: 'accounts.getUser', userId: USER_A }, 0)).toEqual({ passwordHash: null, deactivated: true });
      expect(operations(p)).toEqual([[USER_A, USER_A]]);
      // A retry of the final request (its response lost) cannot deactivate twice.
      expect(p.serve(post({ auth: { session: session(first) } }))).toMatchObject({ status: 401, body: { errcode: 'M_UNKNOWN_TOKEN' } });
    });
  }

  it('uia §2.12 (#10184): session_timeout never skips deactivation', () => {
    const p = accountsProcess('head', { config: withConfig({ uiAuth: { sessionTimeoutMs: 60_000 } }) });
    expect(p.serve(post({})).status).toBe(401);
  });

  it('erase must be a boolean: 400 M_BAD_JSON', () => {
    expect(accountsProcess('head').serve(post({ erase: 'yes' }))).toMatchObject({ status: 400, body: { errcode: 'M_BAD_JSON' } });
  });

  it('uia §3.1: main only until v1.135 (head mounts it on workers)', () => {
    expect(accountsProcess('1.13').serve(post({}), 'worker').status).toBe(400);
    expect(accountsProcess('head').serve(post({}), 'worker').status).toBe(401);
  });
});
