import type { EndpointName } from '../synapse/endpoint-names.js';

/**
 * What the clients of a case do (docs/architecture.md "Clients"): each client runs one UIA operation of
 * uia §3.1, follows a flow, completes stages directly or in a browser on the fallback page, and
 * reacts to the answers. Workloads (`--workload`) pick the operations.
 */

/** The operations of uia §3.1 a client can run (one per client). */
export const OPERATIONS = ['register', 'password', 'deactivate', '3pid-add', 'delete-devices', 'delete-device', 'cross-signing', 'login-token'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The stage types of the issue 3 contract (uia §1.5), as the clients know them. */
export const CLIENT_STAGES = [
  'm.login.dummy',
  'm.login.password',
  'm.login.recaptcha',
  'm.login.terms',
  'm.login.email.identity',
  'm.login.registration_token',
  'm.login.sso',
] as const;
export type ClientStage = (typeof CLIENT_STAGES)[number];

/** Stages a client completes with an auth dict in the operation's body (uia §1.5): all but SSO,
 * which works only through the fallback page (uia §1.4). */
export const DIRECT_STAGES = CLIENT_STAGES.filter((s): s is Exclude<ClientStage, 'm.login.sso'> => s !== 'm.login.sso');
export type DirectStage = Exclude<ClientStage, 'm.login.sso'>;

/** Stages the fallback page completes (uia §2.6): the captcha, terms and token forms, and SSO
 * (fallback page -> IdP -> callback). */
export const FALLBACK_CLIENT_STAGES = ['m.login.recaptcha', 'm.login.terms', 'm.login.registration_token', 'm.login.sso'] as const;
export type FallbackClientStage = (typeof FALLBACK_CLIENT_STAGES)[number];

/**
 * One step of a client. Each action is self-describing (it names its stage), so fast-check can
 * delete any one of them while the rest keep their meaning; an action that needs what the client
 * lacks (a session) is skipped, and one that needs an earlier step (an email validation before
 * `m.login.email.identity` or `/account/3pid/add`) does that step first.
 */
export type ClientAction =
  /** The operation's request without auth: starts a new session (uia §2.4 step 2). */
  | { readonly kind: 'start' }
  /** Completes a stage with an auth dict in the operation's body; for the password stage the
   * `identifier` form, or the legacy top-level `user` when `legacyUser` (uia §1.5). */
  | { readonly kind: 'direct'; readonly stage: DirectStage; readonly legacyUser?: boolean }
  /** Completes a stage in a browser on the fallback page: GET the page first (a real browser)
   * or only POST the form (a scripted client); SSO always loads the page and follows the IdP
   * (uia §1.4, §2.6). `concurrent`: the app goes on meanwhile (another tab). */
  | { readonly kind: 'fallback'; readonly stage: FallbackClientStage; readonly loadsPage: boolean; readonly concurrent?: boolean }
  /** Asks for a validation email (the app) and clicks its link (the browser), uia §1.5. */
  | { readonly kind: 'email' }
  /** The operation with `auth: {session}` only, after an out-of-band stage (uia §1.3);
   * `concurrent`: from a second app tab, while this one goes on. */
  | { readonly kind: 'resubmit'; readonly concurrent?: boolean }
  /** The user goes away for a while. */
  | { readonly kind: 'pause'; readonly ms: number }
  /** The user gives up: nothing more is sent (a persistent client ignores it). */
  | { readonly kind: 'abandon' }
  /** The session-reuse workload's adversarial step (docs/synapse-uia.md#ref-2.9): the app opens
   * another operation (a 401 and a session bound to it) and sends it with `auth: {session}` of
   * the session it holds for its own, as an app that mixes up two dialogs. The answer changes
   * nothing the client knows. */
  | { readonly kind: 'wrong-operation'; readonly operation: Operation }
  /** The session-reuse workload's other adversarial step (docs/synapse-uia.md#ref-2.5): the
   * app, signed in to a second account too (`otherUserOf`), sends its own operation with
   * `auth: {session}` under that account's token: the session's stages were completed as its
   * first user. The answer changes nothing the client knows. */
  | { readonly kind: 'other-user' };

export interface ClientSpec {
  /** The client's operation; `register` when absent (cases from before issue 3). */
  readonly operation?: Operation;
  readonly actions: readonly ClientAction[];
  readonly adoptsNewSession: boolean;
  /** Retries of one request after a timeout or a 5xx before moving on. */
  readonly retries: number;
  /** How long the client waits for a response before it gives up and retries. */
  readonly requestTimeoutMs: number;
  /** The user's time between two actions (reading, clicking); 0 for a scripted client. */
  readonly thinkMs: number;
  /** After its actions, the client follows the protocol until its operation succeeds, for a
   * bounded number of rounds (the liveness property's clients). */
  readonly persistent?: boolean;
}

export function operationOf(spec: ClientSpec): Operation {
  return spec.operation ?? 'register';
}

export interface Workload {
  /** The `--workload` the clients were generated for (absent in cases from before issue 3:
   * registration). */
  readonly name?: WorkloadName;
  readonly clients: readonly ClientSpec[];
}

/** A client never sends more than this many requests (docs/architecture.md "Clients": bounded). */
export const MAX_REQUESTS_PER_CLIENT = 80;

/** The two client-side actors of every client: the app and the browser it opens (another user
 * agent, no shared cookies, same IP behind the same NAT). Their indices own tapes. */
export function appActor(client: number): number {
  return 2 * client;
}

export function browserActor(client: number): number {
  return 2 * client + 1;
}

/** The client an actor (its app or its browser) belongs to. */
export function clientOfActor(actor: number): number {
  return Math.floor(actor / 2);
}

/** A, B, ... Z, then 27, 28, ... (the benchmark runs many clients). */
export function clientLabel(client: number): string {
  return client < 26 ? String.fromCharCode(65 + client) : String(client + 1);
}

export function actorName(actor: number): string {
  return `${actor % 2 === 0 ? 'app' : 'browser'} ${clientLabel(clientOfActor(actor))}`;
}

/** The requests a client's actions plan, before any reaction: an SSO fallback is two (the page,
 * the callback the IdP sends the browser back with; the IdP is not ours), an email two (the
 * request for a token, the link). */
export function countRequestsPlanned(spec: ClientSpec): number {
  let n = 0;
  for (const action of spec.actions) {
    if (action.kind === 'fallback') n += action.stage === 'm.login.sso' ? 2 : action.loadsPage ? 2 : 1;
    else if (action.kind === 'email' || action.kind === 'wrong-operation') n += 2;
    else if (action.kind !== 'pause' && action.kind !== 'abandon') n += 1;
  }
  return n;
}

/** The session-reuse workload's operations (own and borrowed): the account endpoints whose
 * URI does not name the user's own device, so another user's request has the same (uri,
 * method) and only the user decides (docs/synapse-uia.md#ref-2.5, #ref-2.9). */
export const REUSE_OPERATIONS = ['password', 'deactivate', 'delete-devices', 'login-token'] as const satisfies readonly Operation[];

/** `--workload`: which operations the clients run. */
export const WORKLOADS = [
  { name: 'registration', operations: ['register'], summary: 'POST /register: recaptcha, terms, dummy / email / registration token flows (uia §2.11)' },
  { name: 'password', operations: ['password'], summary: 'POST /account/password with a token: password or SSO re-auth (uia §2.5)' },
  { name: 'deactivate', operations: ['deactivate'], summary: 'POST /account/deactivate: password or SSO re-auth (uia §2.5)' },
  { name: '3pid-add', operations: ['3pid-add'], summary: 'email validation, then POST /account/3pid/add with re-auth (uia §3.1)' },
  { name: 'delete-devices', operations: ['delete-devices', 'delete-device'], summary: 'POST /delete_devices and DELETE /devices/{id} with re-auth (uia §2.4, §3.1)' },
  { name: 'cross-signing', operations: ['cross-signing'], summary: 'a first key upload (exempt), then a replacement upload with re-auth (uia §3.1)' },
  { name: 'login-token', operations: ['login-token'], summary: 'POST /v1/login/get_token, always re-auth (uia §3.1)' },
  { name: 'mix', operations: OPERATIONS, summary: 'every operation above, one per client, mixed (the default)' },
  {
    name: 'session-reuse',
    operations: REUSE_OPERATIONS,
    summary: 'adversarial, not in mix: a session sent with another operation, or continued under another account (uia §2.5, §2.9)',
  },
] as const satisfies readonly { name: string; operations: readonly Operation[]; summary: string }[];

export const WORKLOAD_NAMES = WORKLOADS.map((w) => w.name);
export type WorkloadName = (typeof WORKLOADS)[number]['name'];
export const DEFAULT_WORKLOAD: WorkloadName = 'mix';

/** The servlet (models/synapse/endpoint-names.ts) each operation needs. */
export const OPERATION_ENDPOINTS: Readonly<Record<Operation, EndpointName>> = {
  register: 'register',
  password: 'account-password',
  deactivate: 'deactivate',
  '3pid-add': 'threepid-add',
  'delete-devices': 'delete-devices',
  'delete-device': 'device-delete',
  'cross-signing': 'cross-signing',
  'login-token': 'login-token',
};

/** The workload's operations that a Synapse version has at all (login/get_token came in
 * v1.69, uia §3.1); all of them when it has none (the user asked for exactly that). */
export function operationsFor(workload: string, endpoints: Readonly<Record<EndpointName, string>>): readonly Operation[] {
  const all = operationsOf(workload);
  const present = all.filter((o) => endpoints[OPERATION_ENDPOINTS[o]] !== 'absent');
  return present.length > 0 ? present : all;
}

export function operationsOf(workload: string): readonly Operation[] {
  const found = WORKLOADS.find((w) => w.name === workload);
  if (found === undefined) throw new Error(`unknown workload ${workload}; one of ${WORKLOAD_NAMES.join(', ')}`);
  return found.operations;
}

/** A client that follows the whole registration flow of #6705: start, the captcha on the
 * fallback page in a browser (GET, then POST), resubmit with `{session}`, then terms and dummy
 * directly. A scripted client by default (no retries, no thinking); override what differs. */
export function wholeRegistration(overrides: Partial<ClientSpec> = {}): ClientSpec {
  return {
    actions: [
      { kind: 'start' },
      { kind: 'fallback', stage: 'm.login.recaptcha', loadsPage: true },
      { kind: 'resubmit' },
      { kind: 'direct', stage: 'm.login.terms' },
      { kind: 'direct', stage: 'm.login.dummy' },
    ],
    adoptsNewSession: false,
    retries: 0,
    requestTimeoutMs: 30_000,
    thinkMs: 0,
    ...overrides,
  };
}

/** The second account a client of the session-reuse workload is signed in to (the
 * `other-user` action): its username (world.ts seeds it when an action needs it). */
export function otherUserOf(username: string): string {
  return `${username}other`;
}

export function needsOtherUser(spec: ClientSpec): boolean {
  return spec.actions.some((a) => a.kind === 'other-user');
}

/** Each client behind its own home network (its own /24, so ip_hash spreads them); the app and
 * its browser share the address, as behind one NAT. */
export function clientIp(client: number): string {
  return `198.51.${(100 + client) % 256}.10`;
}
