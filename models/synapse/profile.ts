import type { EndpointMounts } from './endpoint-names.js';

export { ENDPOINT_NAMES, type EndpointMount, type EndpointMounts, type EndpointName } from './endpoint-names.js';

/**
 * A Synapse version's behaviour as a data object of switches, each citing the reference
 * (`docs/synapse-uia.md`). Strategies pick one; `--profile` overrides it.
 * SWITCHES (profile-switches.ts) documents every switch with its section (for `list`, README).
 */
export interface Profile {
  readonly name: ProfileName;
  readonly summary: string;
  /** uia §2.2: 1.8's `_get_session_info` silently issues a fresh session for an unknown ID;
   * uia §2.3 (#7268): from 1.13 an unknown ID is a 400. */
  readonly unknownSession: 'fresh-session' | 'reject-400';
  /** uia §2.3 (#7068, #7483), §2.9: from 1.13 (uri, method) is bound at creation; a change is 403. */
  readonly bindsOperation: boolean;
  /** uia §2.3 (#7689): v1.13.0 to v1.15 stored the URI in `method`, so only the URI was compared. */
  readonly bindingComparesMethod: boolean;
  /** uia §2.2: 1.8 stores sessions in each process's memory; uia §2.3 (#7302): 1.13 in the DB. */
  readonly sessionStorage: 'process-memory' | 'database';
  /** uia §2.2, §2.8: 1.8 slides 48 h from the last access, pruned every 24 h on every process;
   * 1.13+ deletes 48 h after creation, swept every 5 minutes by main only. */
  readonly expiry: {
    readonly kind: 'sliding' | 'absolute';
    readonly expiryMs: number;
    readonly sweepEveryMs: number;
    readonly sweptBy: 'every-process' | 'main';
  };
  /** uia §3.1, §3.4, §2.2: which processes mount each UIA endpoint ('absent': this version has no
   * such servlet, or the config disables it; every request gets 404 M_UNRECOGNIZED). */
  readonly endpoints: EndpointMounts;
  /** uia §3.1: v1.8 served `/account/3pid/add` and `/keys/device_signing/upload` under the
   * `unstable` prefix only; other prefixes are 404 there. */
  readonly unstableOnly: readonly ('threepid-add' | 'cross-signing')[];
  /** uia §2.4 step 4, §2.1: `ui_auth_sessions_ips` exists from v1.20. */
  readonly recordsUserAgentIps: boolean;
  /** uia §2.2, §2.3 (#7523 v1.13.0rc3, #8009 v1.19), §2.10: where the registration password waits
   * between requests: plaintext in the (memory) clientdict (1.8); its hash in the persisted
   * clientdict (1.13rc3 to 1.18); its hash in the serverdict `password_hash` (1.19+). */
  readonly registrationPasswordHash: 'plaintext-clientdict' | 'hash-clientdict' | 'serverdict';
  /** uia §2.3 (#7538 v1.14, #16264/#16272 v1.93), §2.12: `/account/password`'s `new_password`:
   * read from the UIA params, plaintext, persisted with the clientdict (to 1.13); hashed on a 401
   * into the serverdict and popped from the body (1.93+). */
  readonly passwordChange: 'plaintext-params' | 'serverdict-hash';
  /** uia §2.12 [code-reading]: since #16264 (v1.93) a final `/account/password` that completes UIA
   * without `new_password` hits an unbound local: 500 instead of using the stored hash. A
   * suspicion modelled as a switch (on in head) so it can be reproduced or refuted. */
  readonly passwordChangeUnboundHash: boolean;
  /** uia §2.5, §2.12 (#8970 v1.25, #10184 v1.37): `ui_auth.session_timeout` skips UIA for a token
   * validated recently: unknown before v1.25; since v1.37 only where `can_skip_ui_auth`
   * (device deletion). `access_tokens.last_validated` (delta 58/26) exists from v1.25 too. */
  readonly sessionTimeout: 'unsupported' | 'can-skip-endpoints-only';
  /** uia §2.3 (#8848 v1.24): `identifier` dicts accepted in UIA (before: the legacy `user`). */
  readonly identifierDicts: boolean;
  /** uia §2.3 (0bac276890 v1.25), §2.5: offer only the types this user can use (password if it
   * has a hash, sso if it has an external ID); before, every supported type to every user. */
  readonly onlyUsableTypes: boolean;
  /** uia §1.5, §2.6: `m.login.sso` in `validate_user_via_ui_auth` and its fallback. Added by
   * #7102 (SAML) in v1.13.0 as part of #5667 [not in the ref's tables: Synapse changelog]; 1.8 and
   * 1.12 offer only the password. */
  readonly ssoUiAuth: boolean;
  /** The status of a request for a path this process has no servlet for (M_UNRECOGNIZED):
   * `UnrecognizedRequestError` was a 400 up to at least v1.66 (synapse/api/errors.py), a 404 today
   * (MSC3743). Found by replaying pinned-1.12's liveness case on a real 1.12.4 (docs/real.md):
   * its worker answered the fallback 400. */
  readonly unrecognizedStatus: 400 | 404;
  /** uia §2.3 (#9081 v1.26), §2.10: `request_user_id` stored in new validate-user sessions. */
  readonly requestUserId: boolean;
  /** uia §2.3 (#10142 v1.42), §2.10, §2.8: `m.login.registration_token` and its accounting. */
  readonly registrationTokens: boolean;
  /** uia §2.2 step 4, §2.3 (#9265 v1.27), §2.10 (#9263): `check_auth` re-raised the email stage's
   * LoginError (a bare 401, no flows) instead of merging it into the 401 (an old Riot workaround). */
  readonly emailLoginErrorReraised: boolean;
  /** uia §2.3 (#15077 v1.79), §1.5, §3.1: MSC3967: no UIA for the first cross-signing upload or an
   * identical re-upload. */
  readonly crossSigningFirstUploadExempt: boolean;
  /** uia §2.10 (#649, v0.14), #5450: a repeated final `/register` in one session returns the same
   * user (`registered_user_id`), read before UIA and written after registering, so concurrent
   * finals race (open in every version). */
  readonly registeredUserId: 'idempotent-racy';
  /** How the account servlets reject a body missing a required field (`devices`, `sid`, ...):
   * `assert_params_in_dict` -> 400 M_MISSING_PARAM (to 1.13), or the pydantic body models of
   * later versions -> 400 M_BAD_JSON (head). [code-reading of the servlets; not in the ref] */
  readonly bodyValidation: 'assert-params' | 'pydantic';
}

export type ProfileName = '1.8' | '1.12' | '1.13' | 'head';

/** uia §2.1: SESSION_EXPIRE_MS = 48 h. */
export const SESSION_EXPIRE_MS = 48 * 60 * 60 * 1000;

/** Endpoints every version has, on main only (uia §3.1 "history": main only until v1.135). */
const MAIN_ONLY_MOUNTS: EndpointMounts = {
  // uia §3.4, §2.2: v1.8's client_reader mounted RegisterRestServlet (the only UIA servlet it had).
  register: 'main-and-workers',
  // uia §3.1, §2.2, issue 3: never on workers (v1.12.0's generic_worker does not mount it).
  fallback: 'main',
  'account-password': 'main',
  deactivate: 'main',
  'threepid-add': 'main',
  'delete-devices': 'main',
  'device-delete': 'main',
  'cross-signing': 'main',
  // uia §3.1: MSC3882 from v1.69, stable v1.86.
  'login-token': 'absent',
};

const PROFILE_1_8: Profile = {
  name: '1.8',
  summary: "sessions in each process's memory; unknown session IDs silently replaced (uia §2.2)",
  unknownSession: 'fresh-session',
  unrecognizedStatus: 400,
  bindsOperation: false,
  bindingComparesMethod: false,
  sessionStorage: 'process-memory',
  expiry: { kind: 'sliding', expiryMs: SESSION_EXPIRE_MS, sweepEveryMs: SESSION_EXPIRE_MS / 2, sweptBy: 'every-process' },
  endpoints: MAIN_ONLY_MOUNTS,
  unstableOnly: ['threepid-add', 'cross-signing'],
  recordsUserAgentIps: false,
  registrationPasswordHash: 'plaintext-clientdict',
  passwordChange: 'plaintext-params',
  passwordChangeUnboundHash: false,
  sessionTimeout: 'unsupported',
  identifierDicts: false,
  onlyUsableTypes: false,
  ssoUiAuth: false,
  requestUserId: false,
  registrationTokens: false,
  emailLoginErrorReraised: true,
  crossSigningFirstUploadExempt: false,
  registeredUserId: 'idempotent-racy',
  bodyValidation: 'assert-params',
};

const PROFILE_1_13: Profile = {
  ...PROFILE_1_8,
  name: '1.13',
  summary: 'sessions in the database (#7302); unknown session 400; (uri, method) bound, 403 (uia §2.3, §2.4)',
  unknownSession: 'reject-400',
  bindsOperation: true,
  bindingComparesMethod: false,
  sessionStorage: 'database',
  // uia §2.8 (#8369): the sweep runs on the run_background_tasks_on process, main by default.
  expiry: { kind: 'absolute', expiryMs: SESSION_EXPIRE_MS, sweepEveryMs: 5 * 60 * 1000, sweptBy: 'main' },
  // uia §3.1 states unstable-only for v1.8 (3PID add came in as unstable in #6043, MSC2290) and is
  // silent for later versions. Decision: 1.12 as 1.8; from 1.13 3PID add also answers on r0
  // (MSC2290 is part of spec r0.6.0); cross-signing stays unstable-only until after 1.13
  // (its stable prefix is not in the ref, assumed later). Clients that use the unstable paths
  // work with every profile.
  unstableOnly: ['cross-signing'],
  registrationPasswordHash: 'hash-clientdict',
  ssoUiAuth: true,
};

const PROFILE_HEAD: Profile = {
  ...PROFILE_1_13,
  name: 'head',
  unrecognizedStatus: 404,
  summary: 'today: as 1.13, plus per-session user agents and IPs, serverdict password hash, session_timeout for device deletion, MSC3967, registration tokens, device/deactivate endpoints on workers (uia §2.3-2.12, §3.1)',
  bindingComparesMethod: true,
  endpoints: {
    register: 'main-and-workers',
    fallback: 'main',
    'account-password': 'main',
    // uia §3.1, §2.3 (#18581, #18716 v1.135): device deletion and deactivation on any worker.
    deactivate: 'main-and-workers',
    'threepid-add': 'main',
    'delete-devices': 'main-and-workers',
    'device-delete': 'main-and-workers',
    'cross-signing': 'main-and-workers',
    'login-token': 'main',
  },
  unstableOnly: [],
  recordsUserAgentIps: true,
  registrationPasswordHash: 'serverdict',
  passwordChange: 'serverdict-hash',
  passwordChangeUnboundHash: true,
  sessionTimeout: 'can-skip-endpoints-only',
  identifierDicts: true,
  onlyUsableTypes: true,
  requestUserId: true,
  registrationTokens: true,
  emailLoginErrorReraised: false,
  crossSigningFirstUploadExempt: true,
  bodyValidation: 'pydantic',
};

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  '1.8': PROFILE_1_8,
  '1.12': {
    ...PROFILE_1_8,
    name: '1.12',
    summary: 'as 1.8 (the fixes came in 1.13); docs pin /register and the fallback to one worker (#7048), whose v1.12.0 app does not mount the fallback (uia §2.3, §3.1)',
  },
  '1.13': PROFILE_1_13,
  head: PROFILE_HEAD,
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as string[]).includes(name);
}
