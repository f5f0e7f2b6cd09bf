import type { Pool, RoutingMap } from '../../src/router.js';
import { CAPTCHA_SERVICE } from '../synapse/captcha-service.js';
import {
  ACCOUNT_PASSWORD_PATTERN,
  DEACTIVATE_PATTERN,
  DELETE_DEVICES_PATTERN,
  DEVICE_PATTERN,
  DEVICE_SIGNING_UPLOAD_PATTERN,
  FALLBACK_PATTERN,
  LOGIN_GET_TOKEN_PATTERN,
  OIDC_CALLBACK_PATTERN,
  REGISTER_PATTERN,
  SAML_CALLBACK_PATTERN,
  THREEPID_ADD_PATTERN,
} from '../matrix/protocol.js';

/** The processes of the simulated deployment: main and two client_readers (uia §3.1, §3.2). */
export const MAIN = 'main';
export const WORKERS = ['reader1', 'reader2'] as const;
/** Synapse's PostgreSQL: users always, UI-auth sessions from 1.13. */
export const DATABASE = 'db';
export const ROUTER = 'router';
/** What fault plans call the session store's node: the strategy's own service, else `db`. */
export const STORE = 'store';
export const PROCESS_NAMES = [MAIN, ...WORKERS] as const;
/** The world's nodes that are not Synapse processes (models/world.ts), and fault plans' alias for
 * the store: a process of a routing file, or a store's own service, may not take one. */
export const INFRASTRUCTURE_NODE_NAMES: readonly string[] = [DATABASE, CAPTCHA_SERVICE, ROUTER, 'faults', STORE];

export const NETWORK = {
  /** Loopback-to-LAN one-way latencies; the owner's tape picks one per message. */
  latencyBucketsMs: [1, 2, 5, 20],
  connectTimeoutMs: 5_000,
} as const;

/** Events due within this many ms of the earliest are offered to the chooser. */
export const REORDER_WINDOW_MS = 2;

/** uia §2.2, §3.2: Synapse 1.8's documented worker map: every `/register` to one client_reader;
 * the fallback is unmatched, so it goes to main (#6705). */
export const ROUTING_1_8: RoutingMap = {
  rules: [{ path: REGISTER_PATTERN, pool: 'register' }],
  pools: { register: { balancer: 'round-robin', upstreams: ['reader1'] } },
  defaultUpstream: MAIN,
};

/** uia §3.2, HEAD's generic_worker list: `/register` (since v1.18, #7830) and the UIA endpoints
 * that run on workers since v1.135 (deactivate, delete_devices, devices, device_signing/upload),
 * round-robin over the workers (one upstream block); password change, 3PID add, the fallback and
 * login/get_token are not listed, so they fall through to main. Under a profile whose workers do
 * not mount the v1.135 endpoints (1.8 to 1.13) those requests get 404 from the worker, as they
 * would from a deployment routed by today's docs. */
export const ROUTING_SHARDED: RoutingMap = {
  rules: [
    { path: REGISTER_PATTERN, pool: 'register' },
    { path: DEACTIVATE_PATTERN, pool: 'register' },
    { path: DELETE_DEVICES_PATTERN, pool: 'register' },
    { path: DEVICE_PATTERN, pool: 'register' },
    { path: DEVICE_SIGNING_UPLOAD_PATTERN, pool: 'register' },
  ],
  pools: { register: { balancer: 'round-robin', upstreams: [...WORKERS] } },
  defaultUpstream: MAIN,
};

/** Everything to main: no worker serves any UIA request. */
export const ROUTING_ALL_TO_MAIN: RoutingMap = { rules: [], pools: {}, defaultUpstream: MAIN };

/** uia §2.3 (#7048, v1.12 docs): the fallback must share a worker with `/register`: both pinned
 * to one client_reader. At v1.12.0 that worker does not mount the fallback servlet (uia §3.1). */
export const ROUTING_1_12_PINNED: RoutingMap = {
  rules: [
    { path: REGISTER_PATTERN, pool: 'register' },
    { path: FALLBACK_PATTERN, pool: 'register' },
  ],
  pools: { register: { balancer: 'round-robin', upstreams: ['reader1'] } },
  defaultUpstream: MAIN,
};

/** Every UIA endpoint of uia §3.1 (and the fallback), one pattern each. */
export const UIA_PATTERNS: readonly string[] = [
  REGISTER_PATTERN,
  FALLBACK_PATTERN,
  ACCOUNT_PASSWORD_PATTERN,
  DEACTIVATE_PATTERN,
  THREEPID_ADD_PATTERN,
  DELETE_DEVICES_PATTERN,
  DEVICE_PATTERN,
  DEVICE_SIGNING_UPLOAD_PATTERN,
  LOGIN_GET_TOKEN_PATTERN,
];

/** The SSO callbacks complete a UIA stage (uia §2.6): a deployment that pins UIA to a process
 * pins them too (the same browser comes back from the IdP). */
export const SSO_CALLBACK_PATTERNS: readonly string[] = [OIDC_CALLBACK_PATTERN, SAML_CALLBACK_PATTERN];

/** Every UIA path (and the SSO callbacks) to one pool over every process, which must then mount
 * everything. */
function everyUiaPathTo(pool: Pool): RoutingMap {
  return {
    rules: [...UIA_PATTERNS, ...SSO_CALLBACK_PATTERNS].map((path) => ({ path, pool: 'uia' })),
    pools: { uia: pool },
    defaultUpstream: MAIN,
  };
}

const ALL_PROCESSES = [MAIN, ...WORKERS];

/** Sticky by client address (nginx ip_hash). */
export const ROUTING_STICKY_IP = everyUiaPathTo({ balancer: 'ip_hash', upstreams: ALL_PROCESSES });

/** Sticky by a cookie the router sets (the app keeps it; the browser opened on the fallback page
 * has its own cookie jar). */
export const ROUTING_STICKY_COOKIE = everyUiaPathTo({ balancer: 'cookie', upstreams: ALL_PROCESSES });

/** Session IDs carry the owning process ("reader2.abc..."); the router sends every request
 * carrying one to that process, the first request of a session round-robin. */
export const ROUTING_SESSION_HASH = everyUiaPathTo({
  balancer: 'affinity',
  upstreams: ALL_PROCESSES,
  affinity: { query: 'session', bodyPath: ['auth', 'session'], separator: '.' },
});

