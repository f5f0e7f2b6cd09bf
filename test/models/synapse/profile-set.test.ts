import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../models/synapse/config.js';
import { applySwitches, parseSet, SETTABLE, SwitchError } from '../../../models/synapse/profile-set.js';
import { PROFILES } from '../../../models/synapse/profile.js';

describe('--set switches (profile-set.ts)', () => {
  it('every profile switch and every scalar config option is settable, once', () => {
    const names = SETTABLE.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['sso.samlEnabled', 'unknownSession', 'expiry.kind', 'endpoints.deactivate', 'passwordConfig.enabled', 'uiAuth.sessionTimeoutMs']));
    // Lists are not switches.
    expect(names.some((n) => n.startsWith('unstableOnly') || n.startsWith('sso.oidcProviders') || n.startsWith('registration.registrationTokens'))).toBe(false);
  });

  it('parses values by the switch\'s type', () => {
    expect(parseSet('sso.samlEnabled=true')).toEqual(['sso.samlEnabled', true]);
    expect(parseSet('uiAuth.sessionTimeoutMs=15000')).toEqual(['uiAuth.sessionTimeoutMs', 15000]);
    expect(parseSet('passwordConfig.enabled=only_for_reauth')).toEqual(['passwordConfig.enabled', 'only_for_reauth']);
    expect(parseSet('passwordConfig.enabled=false')).toEqual(['passwordConfig.enabled', false]);
    expect(parseSet('unknownSession=fresh-session')).toEqual(['unknownSession', 'fresh-session']);
    expect(parseSet('consent.policyName=Terms=2')).toEqual(['consent.policyName', 'Terms=2']);
  });

  it.each([
    ['sso.samlEnabled=yes', 'switch sso.samlEnabled takes true | false, not "yes"'],
    ['sso.saml=true', 'unknown switch sso.saml (see `uiasim list switches`)'],
    ['uiAuth.sessionTimeoutMs=-1', 'switch uiAuth.sessionTimeoutMs takes a number >= 0, not -1'],
    ['uiAuth.sessionTimeoutMs=soon', 'switch uiAuth.sessionTimeoutMs takes a number >= 0, not "soon"'],
    // Plain decimals only; Infinity was shown as null.
    ['uiAuth.sessionTimeoutMs=0x10', 'switch uiAuth.sessionTimeoutMs takes a number >= 0, not "0x10"'],
    ['uiAuth.sessionTimeoutMs=1e400', 'switch uiAuth.sessionTimeoutMs takes a number >= 0, not "1e400"'],
    ['uiAuth.sessionTimeoutMs=Infinity', 'switch uiAuth.sessionTimeoutMs takes a number >= 0, not "Infinity"'],
    ['unknownSession=ignore', 'switch unknownSession takes fresh-session | reject-400, not "ignore"'],
    ['sso.samlEnabled', '--set takes NAME=VALUE (e.g. sso.samlEnabled=true), not "sso.samlEnabled"'],
  ])('refuses %s in one line', (text, message) => {
    expect(() => parseSet(text)).toThrow(new SwitchError(message));
  });

  it('applies switches to copies: the built-in profile and config are untouched', () => {
    const { profile, config } = applySwitches(PROFILES['1.8'], DEFAULT_CONFIG, { 'sso.samlEnabled': true, 'expiry.kind': 'absolute', ssoUiAuth: true });
    expect(config.sso).toEqual({ ...DEFAULT_CONFIG.sso, samlEnabled: true });
    expect(profile.expiry).toEqual({ ...PROFILES['1.8'].expiry, kind: 'absolute' });
    expect(profile.ssoUiAuth).toBe(true);
    expect(DEFAULT_CONFIG.sso.samlEnabled).toBe(false);
    expect(PROFILES['1.8'].ssoUiAuth).toBe(false);
    expect(applySwitches(PROFILES.head, DEFAULT_CONFIG, undefined)).toEqual({ profile: PROFILES.head, config: DEFAULT_CONFIG });
  });
});
