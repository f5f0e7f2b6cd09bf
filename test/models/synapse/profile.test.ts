// Profiles (models/synapse/profile.ts): each switch against the reference section it cites.
import { describe, expect, it } from 'vitest';
import { ENDPOINT_NAMES, isProfileName, PROFILE_NAMES, PROFILES, SESSION_EXPIRE_MS } from '../../../models/synapse/profile.js';
import { describeProfile, SWITCHES } from '../../../models/synapse/profile-switches.js';

describe('profiles', () => {
  it('uia §2.1: SESSION_EXPIRE_MS is 48 h (172,800,000 ms)', () => {
    expect(SESSION_EXPIRE_MS).toBe(172_800_000);
  });

  it('uia §2.2: 1.8 keeps sessions in process memory, silently replaces unknown IDs, binds nothing, slides 48 h pruned every 24 h everywhere', () => {
    expect(PROFILES['1.8']).toMatchObject({
      unknownSession: 'fresh-session',
      bindsOperation: false,
      sessionStorage: 'process-memory',
      expiry: { kind: 'sliding', expiryMs: SESSION_EXPIRE_MS, sweepEveryMs: SESSION_EXPIRE_MS / 2, sweptBy: 'every-process' },
    });
  });

  it('uia §2.3, §2.4, §2.8: 1.13 keeps sessions in the database, rejects unknown IDs, binds (uri, method), 48 h from creation swept every 5 min by main', () => {
    expect(PROFILES['1.13']).toMatchObject({
      unknownSession: 'reject-400',
      bindsOperation: true,
      sessionStorage: 'database',
      expiry: { kind: 'absolute', expiryMs: SESSION_EXPIRE_MS, sweepEveryMs: 5 * 60 * 1000, sweptBy: 'main' },
    });
  });

  it('uia §2.3, §3.1: 1.12 behaves as 1.8 (the fixes came in 1.13); its workers do not mount the fallback', () => {
    const { name: _name, summary: _summary, ...switches } = PROFILES['1.12'];
    const { name: _n, summary: _s, ...switches18 } = PROFILES['1.8'];
    expect(switches).toEqual(switches18);
  });

  it('uia §2.4 step 4: the per-session user agent and IP rows (v1.20) in head only', () => {
    expect(PROFILES['1.13'].recordsUserAgentIps).toBe(false);
    expect(PROFILES.head.recordsUserAgentIps).toBe(true);
  });

  it('uia §3.1, §3.4, §2.2: workers mount /register in every profile; the fallback never; head adds deactivate and device endpoints', () => {
    for (const name of PROFILE_NAMES) {
      expect(PROFILES[name].endpoints.register).toBe('main-and-workers');
      expect(PROFILES[name].endpoints.fallback).toBe('main');
      expect(PROFILES[name].endpoints['account-password']).toBe('main');
      expect(PROFILES[name].endpoints['threepid-add']).toBe('main');
    }
    for (const name of ['1.8', '1.12', '1.13'] as const) {
      const onWorkers = ENDPOINT_NAMES.filter((e) => PROFILES[name].endpoints[e] === 'main-and-workers');
      expect(onWorkers).toEqual(['register']);
      expect(PROFILES[name].endpoints['login-token']).toBe('absent');
    }
    expect(ENDPOINT_NAMES.filter((e) => PROFILES.head.endpoints[e] === 'main-and-workers')).toEqual([
      'register',
      'deactivate',
      'delete-devices',
      'device-delete',
      'cross-signing',
    ]);
    expect(PROFILES.head.endpoints['login-token']).toBe('main');
  });

  it('uia §3.1: v1.8 serves 3PID add and cross-signing upload under unstable only', () => {
    expect(PROFILES['1.8'].unstableOnly).toEqual(['threepid-add', 'cross-signing']);
    expect(PROFILES['1.13'].unstableOnly).toEqual(['cross-signing']);
    expect(PROFILES.head.unstableOnly).toEqual([]);
  });

  it('uia §2.3, §2.10: the registration password: plaintext clientdict (1.8), hash in clientdict (1.13rc3-1.18), serverdict (1.19+)', () => {
    expect(PROFILE_NAMES.map((p) => PROFILES[p].registrationPasswordHash)).toEqual(['plaintext-clientdict', 'plaintext-clientdict', 'hash-clientdict', 'serverdict']);
  });

  it('uia §2.3, §2.12: head only: session_timeout for can-skip endpoints, identifier dicts, usable types, request_user_id, tokens, MSC3967, the password suspicion', () => {
    for (const name of ['1.8', '1.12', '1.13'] as const) {
      expect(PROFILES[name]).toMatchObject({
        sessionTimeout: 'unsupported',
        identifierDicts: false,
        onlyUsableTypes: false,
        requestUserId: false,
        registrationTokens: false,
        crossSigningFirstUploadExempt: false,
        passwordChange: 'plaintext-params',
        passwordChangeUnboundHash: false,
      });
    }
    expect(PROFILES.head).toMatchObject({
      sessionTimeout: 'can-skip-endpoints-only',
      identifierDicts: true,
      onlyUsableTypes: true,
      requestUserId: true,
      registrationTokens: true,
      crossSigningFirstUploadExempt: true,
      passwordChange: 'serverdict-hash',
      passwordChangeUnboundHash: true,
    });
  });

  it('#7102 (v1.13): SSO UIA from 1.13', () => {
    expect(PROFILE_NAMES.map((p) => PROFILES[p].ssoUiAuth)).toEqual([false, false, true, true]);
  });

  it('uia §2.3 #7689: 1.13 compares the URI only; head the URI and the method', () => {
    expect(PROFILES['1.13'].bindingComparesMethod).toBe(false);
    expect(PROFILES.head.bindingComparesMethod).toBe(true);
  });

  it('every switch is documented with a ref section, and describeProfile prints one line per switch', () => {
    const keys = Object.keys(PROFILES.head).filter((k) => k !== 'name' && k !== 'summary');
    expect(SWITCHES.map((s) => s.key).sort()).toEqual(keys.sort());
    for (const s of SWITCHES) expect(s.ref).toMatch(/\d/);
    const lines = describeProfile(PROFILES['1.8']);
    expect(lines).toHaveLength(SWITCHES.length);
    expect(lines).toContain('unknownSession = fresh-session (uia §2.2, §2.3 #7268)');
  });

  it('names', () => {
    expect(PROFILE_NAMES).toEqual(['1.8', '1.12', '1.13', 'head']);
    for (const name of PROFILE_NAMES) expect(PROFILES[name].name).toBe(name);
    expect(isProfileName('1.13')).toBe(true);
    expect(isProfileName('1.14')).toBe(false);
  });
});
