import type { ClientSpec } from '../clients/workload.js';
import { DEFAULT_BOUNDS, NO_SCOPE_FAULTS, SCOPE_CLIENT_DEFAULTS, type Scope } from './scope.js';

/** A scripted client (no retries, no thinking) with these actions. */
function client(actions: ClientSpec['actions'], overrides: Partial<ClientSpec> = {}): ClientSpec {
  return { actions, ...SCOPE_CLIENT_DEFAULTS, ...overrides };
}

/** #6705's three requests: /register, the captcha's fallback form POSTed by a scripted browser,
 * /register again with `{session}` (uia §2.2, §3.2). */
const ISSUE_6705 = client([{ kind: 'start' }, { kind: 'fallback', stage: 'm.login.recaptcha', loadsPage: false }, { kind: 'resubmit' }]);

/** A whole registration: captcha on the fallback page (GET, then POST), resubmit, terms, dummy
 * (uia §2.11). */
const WHOLE_REGISTRATION = client([
  { kind: 'start' },
  { kind: 'fallback', stage: 'm.login.recaptcha', loadsPage: false },
  { kind: 'resubmit' },
  { kind: 'direct', stage: 'm.login.terms' },
  { kind: 'direct', stage: 'm.login.dummy' },
]);

/** The same registration by a user who pauses 2 s before each step, longer than a restart's 1 s
 * downtime (NO_SCOPE_FAULTS.downMs): after a crash, the next request reaches the restarted
 * process. In register-restart the client never pauses, so every request after a crash meets the
 * process still down: that scope cannot see a restarted process forget the session (it holds
 * for main-rpc, pinned-1.12 and redis-hash, which lose progress under restarts). */
const PAUSING_REGISTRATION: ClientSpec = { ...WHOLE_REGISTRATION, thinkMs: 2_000 };

/** Two registrations at once, shrunk until every order of them fits in seconds (docs/explore.md
 * "Scope sizes"): A makes #6705's three requests while B starts. A's resubmit is what can show a
 * loss: it must still list the captcha the fallback page reported done (uia §2.2, §3.2). The
 * scope this replaced (A starting and sending the dummy stage) ended every registration at its
 * last stage, so no stage was ever shown before a later request: it held for every strategy,
 * memory-1.8 included. Two whole registrations, or A's three requests beside two of B's, did not
 * finish in 15 minutes. */
const START_ONLY = client([{ kind: 'start' }]);

/** The browser POSTs the captcha while the app, not waiting, sends the terms stage: two
 * requests of one session in flight at once (a read-modify-write race, uia §2.7). */
const OVERLAPPING_FALLBACK = client([
  { kind: 'start' },
  { kind: 'fallback', stage: 'm.login.recaptcha', loadsPage: false, concurrent: true },
  { kind: 'direct', stage: 'm.login.terms' },
  { kind: 'resubmit' },
]);

/** A password change re-authenticating with the password (uia §2.5). */
const PASSWORD_CHANGE = client([{ kind: 'start' }, { kind: 'direct', stage: 'm.login.password' }], { operation: 'password' });

/** A client that follows the protocol to the end (models/clients/client-script.ts): /register,
 * then rounds of the first flow (captcha and terms on the fallback page, each resubmitted, then
 * dummy), 20 s apart, starting over when its session is gone, until it registers (three rounds
 * at most). The one scope where liveness judges something (properties/checkers/liveness.ts). */
const PERSISTENT_REGISTRATION = client([{ kind: 'start' }], { persistent: true });

const EVERY_PROCESS = ['main', 'reader1', 'reader2', 'db', 'store'] as const;

export const SCOPES: readonly Scope[] = [
  {
    name: 'issue-6705',
    summary: "one client: /register, the captcha's fallback POST, /register with {session}; no faults",
    clients: [ISSUE_6705],
    faults: NO_SCOPE_FAULTS,
    bounds: DEFAULT_BOUNDS,
    seed: 1,
  },
  {
    name: 'fallback-overlap',
    summary: "one client whose browser POSTs the captcha while the app sends the terms stage; no faults",
    clients: [OVERLAPPING_FALLBACK],
    faults: NO_SCOPE_FAULTS,
    bounds: DEFAULT_BOUNDS,
    seed: 1,
  },
  {
    name: 'register-restart',
    summary: 'one client registering (captcha on the fallback, resubmit, terms, dummy); one restart of any process, the database included, at any step',
    clients: [WHOLE_REGISTRATION],
    faults: { ...NO_SCOPE_FAULTS, restarts: 1, processes: EVERY_PROCESS },
    bounds: DEFAULT_BOUNDS,
    seed: 1,
  },
  {
    name: 'register-recover',
    summary: 'the same registration, the user pausing 2 s before each step (longer than the 1 s downtime); one restart of any process, the database included, at any step: the next request reaches the restarted process',
    clients: [PAUSING_REGISTRATION],
    faults: { ...NO_SCOPE_FAULTS, restarts: 1, processes: EVERY_PROCESS },
    bounds: DEFAULT_BOUNDS,
    seed: 1,
  },
  {
    name: 'register-persistent',
    summary: 'one client that follows the protocol to the end: /register, then rounds of captcha and terms on the fallback and dummy until it registers; one restart of any process, the database included, at any step',
    clients: [PERSISTENT_REGISTRATION],
    faults: { ...NO_SCOPE_FAULTS, restarts: 1, processes: EVERY_PROCESS },
    bounds: DEFAULT_BOUNDS,
    seed: 1,
  },
  {
    name: 'two-registrations',
    summary: "two clients registering at once, shrunk: A makes #6705's three requests while B starts; no faults",
    clients: [ISSUE_6705, START_ONLY],
    faults: NO_SCOPE_FAULTS,
    bounds: DEFAULT_BOUNDS,
    seed: 1,
  },
  {
    name: 'password-restart',
    summary: 'one client changing its password (start, password stage); one restart of any process at any step',
    clients: [PASSWORD_CHANGE],
    faults: { ...NO_SCOPE_FAULTS, restarts: 1, processes: EVERY_PROCESS },
    bounds: DEFAULT_BOUNDS,
    seed: 1,
  },
  {
    name: 'lost-response',
    summary: "#6705's client with one lost response (it times out; no retries)",
    clients: [ISSUE_6705],
    faults: { ...NO_SCOPE_FAULTS, lostResponses: 1 },
    bounds: DEFAULT_BOUNDS,
    seed: 1,
  },
  {
    name: 'tiny',
    summary: 'one client: /register without auth, then the dummy stage; no faults (the hand-counted scope of the tests)',
    clients: [client([{ kind: 'start' }, { kind: 'direct', stage: 'm.login.dummy' }])],
    faults: NO_SCOPE_FAULTS,
    bounds: DEFAULT_BOUNDS,
    seed: 1,
  },
];

export const SCOPE_NAMES = SCOPES.map((s) => s.name);
