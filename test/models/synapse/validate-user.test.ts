// validate_user_via_ui_auth (models/synapse/validate-user.ts), uia §2.5, §2.10, §2.12, §2.13.
import { describe, expect, it } from 'vitest';
import { devicePath } from '../../../models/matrix/protocol.js';
import { standardAccount } from '../../../models/synapse/accounts.js';
import { withConfig } from '../../../models/synapse/config.js';
import { Ratelimiter } from '../../../models/synapse/ratelimiter.js';
import { accountsProcess, authed, body, passwordAuth, session, USER_A } from './endpoints/harness.js';

const del = (b: unknown) => authed('DELETE', devicePath('DEVA2'), b);
const SSO_ONLY = { ...standardAccount('A'), password: null, externalIds: ['sub-a'] };
const UPGRADED = { ...standardAccount('A'), externalIds: ['sub-a'] };

describe('validate_user_via_ui_auth', () => {
  it('uia §2.5, §4.1 (head, v1.25+): only the types this user can use: password user [[password]], SSO user [[sso]], both -> 2 flows', () => {
    expect(body(accountsProcess('head').serve(del({})))['flows']).toEqual([{ stages: ['m.login.password'] }]);
    expect(body(accountsProcess('head', { seeds: [SSO_ONLY] }).serve(del({})))['flows']).toEqual([{ stages: ['m.login.sso'] }]);
    const both = body(accountsProcess('head', { seeds: [UPGRADED] }).serve(del({})))['flows'] as unknown[];
    expect(both).toHaveLength(2);
    expect(both).toContainEqual({ stages: ['m.login.sso'] });
  });

  it('uia §2.3: before v1.25 every supported type for everyone (an SSO-only user is offered password too); no SSO UIA before v1.13', () => {
    const flows = body(accountsProcess('1.13', { seeds: [SSO_ONLY] }).serve(del({})))['flows'];
    expect(flows).toEqual([{ stages: ['m.login.password'] }, { stages: ['m.login.sso'] }]);
    for (const profile of ['1.8', '1.12'] as const) {
      expect(body(accountsProcess(profile, { seeds: [SSO_ONLY] }).serve(del({})))['flows']).toEqual([{ stages: ['m.login.password'] }]);
    }
  });

  it('password_config.enabled false: no password flow', () => {
    const config = withConfig({ passwordConfig: { enabled: false } });
    expect(body(accountsProcess('head', { config, seeds: [UPGRADED] }).serve(del({})))['flows']).toEqual([{ stages: ['m.login.sso'] }]);
  });

  it('uia §2.10 (v1.26+): a new session stores request_user_id; 1.13 does not', () => {
    const head = accountsProcess('head');
    const first = head.serve(del({}));
    expect(head.db.execute({ op: 'ui.getData', id: session(first), key: 'request_user_id' }, 0)).toBe(USER_A);
    const old = accountsProcess('1.13');
    const sid = session(old.serve(del({})));
    expect(old.db.execute({ op: 'ui.getData', id: sid, key: 'request_user_id' }, 0)).toBeUndefined();
  });

  it('uia §2.5: a successful UIA sets access_tokens.last_validated (v1.25+ column)', () => {
    const p = accountsProcess('head');
    p.clock.ms = 7000;
    const first = p.serve(del({}));
    p.serve(del({ auth: passwordAuth('head', session(first)) }));
    expect(p.db.execute({ op: 'accounts.tokenInfo', accessToken: 'syt_usera_token' }, 0)).toMatchObject({ lastValidatedMs: 7000 });
    const q = accountsProcess('1.13');
    q.clock.ms = 7000;
    q.serve(del({ auth: passwordAuth('1.13', undefined) }));
    expect(q.db.execute({ op: 'accounts.tokenInfo', accessToken: 'syt_usera_token' }, 0)).toMatchObject({ lastValidatedMs: 0 });
  });

  it('uia §2.5 [code-reading]: a wrong password is merged into the 401 and never counts as a failed attempt', () => {
    const p = accountsProcess('head');
    for (let i = 0; i < 6; i++) {
      expect(p.serve(del({ auth: passwordAuth('head', undefined, USER_A, 'wrong') }))).toMatchObject({ status: 401, body: { errcode: 'M_FORBIDDEN' } });
    }
  });

  it('uia §2.5, §2.13, §2.2: a LoginError that escapes check_ui_auth (1.8 email re-raise) counts; past the burst (3) -> 429 M_LIMIT_EXCEEDED', () => {
    const p = accountsProcess('1.8');
    const badEmail = { auth: { type: 'm.login.email.identity', threepid_creds: { sid: 'nope', client_secret: 'nope' } } };
    for (let i = 0; i < 3; i++) expect(p.serve(del(badEmail)).status).not.toBe(429);
    const limited = p.serve(del(badEmail));
    expect(limited.status).toBe(429);
    expect(body(limited)).toMatchObject({ errcode: 'M_LIMIT_EXCEEDED' });
    expect(body(limited)['retry_after_ms']).toBeGreaterThan(0);
    // Even the right password is refused until the bucket leaks.
    expect(p.serve(del({ auth: passwordAuth('1.8', undefined) })).status).toBe(429);
    p.clock.ms = 60_000;
    expect(p.serve(del({ auth: passwordAuth('1.8', undefined) })).status).toBe(200);
  });
});

describe('Ratelimiter', () => {
  it('leaks at perSecond; a check without update never counts', () => {
    const r = new Ratelimiter({ perSecond: 1, burstCount: 2 });
    expect(r.canDoAction('k', 0, false)).toEqual({ allowed: true });
    r.canDoAction('k', 0, true);
    r.canDoAction('k', 0, true);
    expect(r.canDoAction('k', 0, false)).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(r.canDoAction('k', 1000, false)).toEqual({ allowed: true });
    expect(r.canDoAction('other', 0, false)).toEqual({ allowed: true });
  });
});
