import { ENDPOINT_NAMES } from './endpoint-names.js';
import type { Profile } from './profile.js';

/** Every switch (each key of Profile but name and summary) with the section it cites. */
export const SWITCHES: readonly { readonly key: Exclude<keyof Profile, 'name' | 'summary'>; readonly ref: string }[] = [
  { key: 'unknownSession', ref: '§2.2, §2.3 #7268' },
  { key: 'bindsOperation', ref: '§2.3 #7068 #7483, §2.9' },
  { key: 'bindingComparesMethod', ref: '§2.3 #7689' },
  { key: 'sessionStorage', ref: '§2.2, §2.3 #7302' },
  { key: 'expiry', ref: '§2.2, §2.8' },
  { key: 'endpoints', ref: '§3.1, §3.4' },
  { key: 'unstableOnly', ref: '§3.1' },
  { key: 'recordsUserAgentIps', ref: '§2.1, §2.4 step 4' },
  { key: 'registrationPasswordHash', ref: '§2.3 #7523 #8009, §2.10' },
  { key: 'passwordChange', ref: '§2.3 #7538 #16264 #16272' },
  { key: 'passwordChangeUnboundHash', ref: '§2.12 [code-reading]' },
  { key: 'sessionTimeout', ref: '§2.5, §2.12 #8970 #10184' },
  { key: 'identifierDicts', ref: '§2.3 #8848' },
  { key: 'onlyUsableTypes', ref: '§2.3 v1.25, 2.5' },
  { key: 'ssoUiAuth', ref: '§1.5, §2.6; #7102 v1.13 [not in ref tables]' },
  { key: 'unrecognizedStatus', ref: '§3.1; synapse/api/errors.py, real 1.12.4 (docs/real.md) [not in ref tables]' },
  { key: 'requestUserId', ref: '§2.3 #9081, §2.10' },
  { key: 'registrationTokens', ref: '§2.3 #10142, §2.8, §2.10' },
  { key: 'emailLoginErrorReraised', ref: '§2.2 step 4, §2.3 #9265, §2.10 #9263' },
  { key: 'crossSigningFirstUploadExempt', ref: '§2.3 #15077, §1.5, §3.1' },
  { key: 'registeredUserId', ref: '§2.10 #649 #5450' },
  { key: 'bodyValidation', ref: '§3.1 servlets [code-reading, not in ref]' },
];

/** One line per switch: `key = value (ref ...)`, for `list` and the README. */
export function describeProfile(profile: Profile): string[] {
  return SWITCHES.map(({ key, ref }) => `${key} = ${switchValue(profile, key)} (uia ${ref})`);
}

function switchValue(profile: Profile, key: (typeof SWITCHES)[number]['key']): string {
  if (key === 'endpoints') {
    return ENDPOINT_NAMES.map((e) => `${e}:${profile.endpoints[e]}`).join(' ');
  }
  const value = profile[key];
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
