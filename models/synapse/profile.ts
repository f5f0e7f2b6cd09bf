/**
 * A Synapse version's behaviour as a data object of switches, each citing the reference
 * (`../shared/reference/synapse-uia.md`). Strategies pick one; `--profile` overrides it.
 */
export interface Profile {
  readonly name: ProfileName;
  readonly summary: string;
  /** ref 2.2: 1.8's `_get_session_info` silently issues a fresh session for an unknown ID;
   * ref 2.3 (#7268): from 1.13 an unknown ID is a 400. */
  readonly unknownSession: 'fresh-session' | 'reject-400';
  /** ref 2.3 (#7068, #7483), 2.9: from 1.13 (uri, method) is bound at creation; a change is 403. */
  readonly bindsOperation: boolean;
  /** ref 2.2: 1.8 stores sessions in each process's memory; ref 2.3 (#7302): 1.13 in the DB. */
  readonly sessionStorage: 'process-memory' | 'database';
  /** ref 2.2, 2.8: 1.8 slides 48 h from the last access, pruned every 24 h on every process;
   * 1.13+ deletes 48 h after creation, swept every 5 minutes by main only. */
  readonly expiry: {
    readonly kind: 'sliding' | 'absolute';
    readonly expiryMs: number;
    readonly sweepEveryMs: number;
    readonly sweptBy: 'every-process' | 'main';
  };
  /** ref 3.1, 2.2: the fallback servlet is mounted on main only (never on a worker). */
  readonly fallbackOnWorkers: boolean;
  /** ref 2.4 step 4, 2.1: `ui_auth_sessions_ips` exists from v1.20. */
  readonly recordsUserAgentIps: boolean;
}

export type ProfileName = '1.8' | '1.12' | '1.13' | 'head';

/** ref 2.1: SESSION_EXPIRE_MS = 48 h. */
export const SESSION_EXPIRE_MS = 48 * 60 * 60 * 1000;

const PROFILE_1_8: Profile = {
  name: '1.8',
  summary: "sessions in each process's memory; unknown session IDs silently replaced (ref 2.2)",
  unknownSession: 'fresh-session',
  bindsOperation: false,
  sessionStorage: 'process-memory',
  expiry: { kind: 'sliding', expiryMs: SESSION_EXPIRE_MS, sweepEveryMs: SESSION_EXPIRE_MS / 2, sweptBy: 'every-process' },
  fallbackOnWorkers: false,
  recordsUserAgentIps: false,
};

const PROFILE_1_13: Profile = {
  name: '1.13',
  summary: 'sessions in the database (#7302); unknown session 400; (uri, method) bound, 403 (ref 2.3, 2.4)',
  unknownSession: 'reject-400',
  bindsOperation: true,
  sessionStorage: 'database',
  // ref 2.8 (#8369): the sweep runs on the run_background_tasks_on process, main by default.
  expiry: { kind: 'absolute', expiryMs: SESSION_EXPIRE_MS, sweepEveryMs: 5 * 60 * 1000, sweptBy: 'main' },
  fallbackOnWorkers: false,
  recordsUserAgentIps: false,
};

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  '1.8': PROFILE_1_8,
  '1.12': {
    ...PROFILE_1_8,
    name: '1.12',
    summary: 'as 1.8 (the fixes came in 1.13); docs pin /register and the fallback to one worker (#7048), whose v1.12.0 app does not mount the fallback (ref 2.3, 3.1)',
  },
  '1.13': PROFILE_1_13,
  head: {
    ...PROFILE_1_13,
    name: 'head',
    summary: 'today: as 1.13, plus the user agent and IP of every request recorded per session (ref 2.4 step 4)',
    recordsUserAgentIps: true,
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as string[]).includes(name);
}
