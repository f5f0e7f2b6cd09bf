// Profiles (models/synapse/profile.ts): each switch against the reference section it cites.
import { describe, expect, it } from 'vitest';
import { isProfileName, PROFILE_NAMES, PROFILES, SESSION_EXPIRE_MS } from '../../../models/synapse/profile.js';

describe('profiles', () => {
  it('ref 2.1: SESSION_EXPIRE_MS is 48 h (172,800,000 ms)', () => {
    expect(SESSION_EXPIRE_MS).toBe(172_800_000);
  });

  it('ref 2.2: 1.8 keeps sessions in process memory, silently replaces unknown IDs, binds nothing, slides 48 h pruned every 24 h everywhere', () => {
    expect(PROFILES['1.8']).toMatchObject({
      unknownSession: 'fresh-session',
      bindsOperation: false,
      sessionStorage: 'process-memory',
      expiry: { kind: 'sliding', expiryMs: SESSION_EXPIRE_MS, sweepEveryMs: SESSION_EXPIRE_MS / 2, sweptBy: 'every-process' },
      fallbackOnWorkers: false,
    });
  });

  it('ref 2.3, 2.4, 2.8: 1.13 keeps sessions in the database, rejects unknown IDs, binds (uri, method), 48 h from creation swept every 5 min by main', () => {
    expect(PROFILES['1.13']).toMatchObject({
      unknownSession: 'reject-400',
      bindsOperation: true,
      sessionStorage: 'database',
      expiry: { kind: 'absolute', expiryMs: SESSION_EXPIRE_MS, sweepEveryMs: 5 * 60 * 1000, sweptBy: 'main' },
      fallbackOnWorkers: false,
    });
  });

  it('ref 2.3, 3.1: 1.12 behaves as 1.8 (the fixes came in 1.13); its workers do not mount the fallback', () => {
    const { name: _name, summary: _summary, ...switches } = PROFILES['1.12'];
    const { name: _n, summary: _s, ...switches18 } = PROFILES['1.8'];
    expect(switches).toEqual(switches18);
  });

  it('ref 2.4 step 4: head is 1.13 plus the per-session user agent and IP rows (v1.20)', () => {
    expect(PROFILES['1.13'].recordsUserAgentIps).toBe(false);
    expect(PROFILES.head).toMatchObject({ ...PROFILES['1.13'], name: 'head', summary: PROFILES.head.summary, recordsUserAgentIps: true });
  });

  it('names', () => {
    expect(PROFILE_NAMES).toEqual(['1.8', '1.12', '1.13', 'head']);
    for (const name of PROFILE_NAMES) expect(PROFILES[name].name).toBe(name);
    expect(isProfileName('1.13')).toBe(true);
    expect(isProfileName('1.14')).toBe(false);
  });
});
