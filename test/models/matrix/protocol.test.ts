// Matrix shapes and paths (models/matrix/protocol.ts; uia §1.4, §2.1).
import { describe, expect, it } from 'vitest';
import { fallbackPath, FALLBACK_PATTERN, isStageType, REGISTER_PATH, REGISTER_PATTERN } from '../../../models/matrix/protocol.js';

describe('protocol', () => {
  it('uia §1.4: the fallback page lives at /auth/{type}/fallback/web under the r0 prefix', () => {
    expect(fallbackPath('m.login.recaptcha')).toBe('/_matrix/client/r0/auth/m.login.recaptcha/fallback/web');
    expect(REGISTER_PATH).toBe('/_matrix/client/r0/register');
  });

  it('uia §2.1: the servlet patterns take the r0, v3 and unstable prefixes and nothing else', () => {
    const register = new RegExp(REGISTER_PATTERN);
    const fallback = new RegExp(FALLBACK_PATTERN);
    for (const prefix of ['r0', 'v3', 'unstable']) {
      expect(register.test(`/_matrix/client/${prefix}/register`)).toBe(true);
      expect(fallback.exec(`/_matrix/client/${prefix}/auth/m.login.terms/fallback/web`)?.[2]).toBe('m.login.terms');
    }
    expect(register.test('/_matrix/client/api/v1/register')).toBe(false);
    expect(register.test('/_matrix/client/r0/register/available')).toBe(false);
    expect(fallback.test('/_matrix/client/r0/auth/m.login.terms/fallback/web/extra')).toBe(false);
  });

  it('isStageType', () => {
    expect(isStageType('m.login.dummy')).toBe(true);
    expect(isStageType('m.login.sso')).toBe(true);
    expect(isStageType('m.login.msisdn')).toBe(false);
    expect(isStageType(3)).toBe(false);
  });
});
