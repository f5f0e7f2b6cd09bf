import type { FallbackStage, StageType } from '../matrix/protocol.js';

/**
 * What one client intends to do, step by step (DESIGN.md "Clients"). Each action is
 * self-describing (it names its stage), so fast-check can delete any one of them while the rest
 * keep their meaning. A client executes them against its current session, reacting to responses:
 * it adopts a new session ID a 401 gives it (when `adoptsNewSession`, as nheko does), forgets a
 * session the server calls unknown, retries timeouts and 5xx, and stops once registered.
 */
export type ClientAction =
  /** POST /register with the client's parameters and no auth: starts a new session. */
  | { readonly kind: 'start' }
  /** Completes a stage with an auth dict in the /register body. */
  | { readonly kind: 'direct'; readonly stage: StageType }
  /** Completes a stage on the fallback page in a browser: GET the page first (a real browser)
   * or only POST the form (a scripted client), ref 1.4 and 2.6. */
  | { readonly kind: 'fallback'; readonly stage: FallbackStage; readonly loadsPage: boolean; readonly concurrent?: boolean }
  /** POST /register with `auth: {session}` only, after an out-of-band stage (ref 1.3). */
  | { readonly kind: 'resubmit' }
  /** The user goes away for a while. */
  | { readonly kind: 'pause'; readonly ms: number };

export interface ClientSpec {
  readonly actions: readonly ClientAction[];
  readonly adoptsNewSession: boolean;
  /** Retries of one request after a timeout or a 5xx before moving on. */
  readonly retries: number;
  /** How long the client waits for a response before it gives up and retries. */
  readonly requestTimeoutMs: number;
  /** The user's time between two actions (reading, clicking); 0 for a scripted client. */
  readonly thinkMs: number;
  /** After its actions, the client follows the protocol until registered, for a bounded number
   * of rounds (the liveness property's clients). */
  readonly persistent?: boolean;
}

export interface Workload {
  readonly clients: readonly ClientSpec[];
}

/** The two client-side actors of every client: the app and the browser it opens (another user
 * agent, no shared cookies, same IP behind the same NAT). Their indices own tapes. */
export function appActor(client: number): number {
  return 2 * client;
}

export function browserActor(client: number): number {
  return 2 * client + 1;
}

/** A, B, ... Z, then 27, 28, ... (the benchmark runs many clients). */
export function clientLabel(client: number): string {
  return client < 26 ? String.fromCharCode(65 + client) : String(client + 1);
}

export function actorName(actor: number): string {
  return `${actor % 2 === 0 ? 'app' : 'browser'} ${clientLabel(Math.floor(actor / 2))}`;
}

export function countRequestsPlanned(spec: ClientSpec): number {
  let n = 0;
  for (const action of spec.actions) {
    if (action.kind === 'fallback') n += action.loadsPage ? 2 : 1;
    else if (action.kind !== 'pause') n += 1;
  }
  return n;
}

/** Workloads `--workload` selects; registration is the one the foundation models. */
export const WORKLOAD_NAMES = ['registration'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

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

/** Each client behind its own home network (its own /24, so ip_hash spreads them); the app and
 * its browser share the address, as behind one NAT. */
export function clientIp(client: number): string {
  return `198.51.${(100 + client) % 256}.10`;
}
