import type { Task } from '../../src/effects.js';
import type { HttpRequest, HttpResponse } from '../../src/http.js';
import type { App, AppFactory } from '../../src/process.js';
import {
  ACCOUNT_PASSWORD_PATTERN,
  DEACTIVATE_PATTERN,
  DELETE_DEVICES_PATTERN,
  DEVICE_PATTERN,
  DEVICE_SIGNING_UPLOAD_PATTERN,
  FALLBACK_PATTERN,
  LOGIN_GET_TOKEN_PATTERN,
  REGISTER_PATTERN,
  THREEPID_ADD_PATTERN,
} from '../matrix/protocol.js';
import type { StoreDefinition } from '../stores/contract.js';
import { serveStoreCall } from '../stores/main-rpc.js';
import { DEFAULT_CONFIG, type SynapseConfig } from './config.js';
import type { SynapseContext } from './context.js';
import type { HandlerDefect } from './defects.js';
import { mounts, type EndpointName } from './endpoint-names.js';
import { handleAccountPassword } from './endpoints/account-password.js';
import { unrecognized } from './endpoints/common.js';
import { handleCrossSigningUpload } from './endpoints/cross-signing.js';
import { handleDeactivate } from './endpoints/deactivate.js';
import { handleDeleteDevices } from './endpoints/delete-devices.js';
import { handleDevice } from './endpoints/device-delete.js';
import { handleLoginToken } from './endpoints/login-token.js';
import { handleThreepidAdd } from './endpoints/threepid-add.js';
import { FACTS } from './facts.js';
import { handleFallback } from './fallback.js';
import type { Profile } from './profile.js';
import { Ratelimiter } from './ratelimiter.js';
import { handleRegister } from './register.js';
import { stageServletFor } from './stage-servlets.js';

/** uia §3.1: main, or a worker (1.8's client_reader, later generic_worker). */
export type ProcessRole = 'main' | 'worker';

export interface SynapseProcessConfig {
  readonly role: ProcessRole;
  readonly profile: Profile;
  readonly store: StoreDefinition;
  /** Node id of the database service (users, and the UI-auth tables from 1.13). */
  readonly database: number;
  /** Node id of the store's service node, or -1 for a process-local store. */
  readonly storeNode: number;
  readonly serverName: string;
  /** The homeserver config (DEFAULT_CONFIG when absent). */
  readonly config?: SynapseConfig;
  /** Node id of the captcha service (recaptcha's siteverify, uia §1.5); absent: none. */
  readonly captchaNode?: number;
  /** Every process mounts every UIA endpoint (sticky and session-hash strategies), instead of
   * the profile's worker mounts (uia §3.1). */
  readonly mountsEverything?: boolean;
  /** Session IDs start with the creating process's name and a dot (session-hash strategy). */
  readonly sessionIdsNameOwner?: boolean;
  /** uia §2.8: the process that runs background tasks (the expiry sweep), main by default. */
  readonly backgroundTasksOn?: string;
  /** Node ids of main and of every Synapse process (stores on main, cache invalidations). */
  readonly deployment?: { readonly main: number; readonly processes: readonly number[] };
  /** A mutant's handler defects (models/synapse/defects.ts); none for a real strategy. */
  readonly defects?: readonly HandlerDefect[];
}

const SWEEP = 'expire-old-sessions';
const NO_TAGS: readonly string[] = [];

/** A servlet: the endpoint it serves, its path pattern, and its handler (`match` is the
 * pattern's match: group 1 the version prefix, group 2 a path parameter where there is one). */
interface Servlet {
  readonly endpoint: EndpointName;
  readonly pattern: RegExp;
  handle(ctx: SynapseContext, request: HttpRequest, match: RegExpExecArray): Task<HttpResponse>;
}

/** Every UIA servlet of uia §3.1 and the fallback (uia §2.6), in match order. */
const SERVLETS: readonly Servlet[] = [
  { endpoint: 'register', pattern: new RegExp(REGISTER_PATTERN), handle: (ctx, request) => handleRegister(ctx, request) },
  { endpoint: 'fallback', pattern: new RegExp(FALLBACK_PATTERN), handle: (ctx, request, m) => handleFallback(ctx, request, m[2] ?? '') },
  { endpoint: 'account-password', pattern: new RegExp(ACCOUNT_PASSWORD_PATTERN), handle: (ctx, request) => handleAccountPassword(ctx, request) },
  { endpoint: 'deactivate', pattern: new RegExp(DEACTIVATE_PATTERN), handle: (ctx, request) => handleDeactivate(ctx, request) },
  { endpoint: 'threepid-add', pattern: new RegExp(THREEPID_ADD_PATTERN), handle: (ctx, request) => handleThreepidAdd(ctx, request) },
  { endpoint: 'delete-devices', pattern: new RegExp(DELETE_DEVICES_PATTERN), handle: (ctx, request) => handleDeleteDevices(ctx, request) },
  { endpoint: 'device-delete', pattern: new RegExp(DEVICE_PATTERN), handle: (ctx, request, m) => handleDevice(ctx, request, decodeURIComponent(m[2] ?? '')) },
  { endpoint: 'cross-signing', pattern: new RegExp(DEVICE_SIGNING_UPLOAD_PATTERN), handle: (ctx, request) => handleCrossSigningUpload(ctx, request) },
  { endpoint: 'login-token', pattern: new RegExp(LOGIN_GET_TOKEN_PATTERN), handle: (ctx, request) => handleLoginToken(ctx, request) },
];

/**
 * One Synapse process. Which servlets it mounts depends on its role (uia §3.1: a worker mounts
 * `/register` but never the fallback servlet, uia §2.2); expiry is a looping call on the processes
 * the profile names (uia §2.8).
 */
export function synapseProcess(config: SynapseProcessConfig): AppFactory {
  return ({ sim, node, rng }) => {
    const synapseConfig = config.config ?? DEFAULT_CONFIG;
    const ctx: SynapseContext = {
      profile: config.profile,
      config: synapseConfig,
      store: config.store.connect({
        newSessionId: config.sessionIdsNameOwner === true ? () => `${node.name}.${rng.letters(24)}` : () => rng.letters(24),
        nowMs: () => sim.nowMs,
        serviceNode: config.storeNode,
        ...(config.deployment === undefined
          ? {}
          : { deployment: { self: node.id, main: config.deployment.main, peers: config.deployment.processes.filter((id) => id !== node.id) } }),
      }),
      database: config.database,
      processId: node.id,
      rng,
      serverName: config.serverName,
      nowMs: () => sim.nowMs,
      fact: (name, key, detail, tags = NO_TAGS) => sim.trace.fact(sim.nowMs, node.id, name, key, detail, tags),
      // In memory: a restart forgets the failed-attempt counts (uia §3.4).
      failedUiaAttempts: new Ratelimiter(synapseConfig.rcLoginFailedAttempts),
      // In memory too: SAML's outstanding requests (#7530, uia §2.6).
      samlOutstanding: new Map(),
      ...(config.captchaNode === undefined ? {} : { captchaNode: config.captchaNode }),
      ...(config.defects === undefined ? {} : { defects: config.defects }),
    };
    const expiry = config.profile.expiry;
    // uia §2.8 (#8369): the sweep runs on the run_background_tasks_on process, main by default.
    const sweeps = expiry.sweptBy === 'every-process' || node.name === (config.backgroundTasksOn ?? 'main');
    if (sweeps) node.setAppTimer(expiry.sweepEveryMs, SWEEP);

    const app: App = {
      handleRequest: (request: HttpRequest): Task<HttpResponse> => route(ctx, config, request),
      // Main answers the internal store API of a store placed on it (main-rpc).
      ...(config.store.placement === 'main' && config.role === 'main' ? { handleCommand: (command: unknown) => serveStoreCall(ctx.store, command) } : {}),
      handleNotification: (payload: unknown) => ctx.store.handleNotification?.(payload),
      handleTimer: (payload: unknown): Task<void> | undefined => {
        if (payload !== SWEEP) return undefined;
        node.setAppTimer(expiry.sweepEveryMs, SWEEP);
        return sweep(ctx);
      },
    };
    return app;
  };
}

/**
 * Dispatches a request to the servlet this process mounts (exported for the bare-loop
 * benchmark): per the profile's mounts (uia §3.1, §3.4), a worker lacks main-only servlets; an
 * unmounted path, or a stable prefix of an unstable-only servlet (uia §3.1, v1.8), is
 * M_UNRECOGNIZED, as Synapse answers for any path it has no servlet for: a 400 up to v1.66 at
 * least, a 404 today (Profile.unrecognizedStatus).
 */
export function route(ctx: SynapseContext, config: SynapseProcessConfig, request: HttpRequest): Task<HttpResponse> {
  // Not a generator itself: it returns the servlet's task, so every resume of the handler
  // passes through one generator fewer.
  for (const servlet of SERVLETS) {
    const match = servlet.pattern.exec(request.path);
    if (match === null) continue;
    if (!mounts(config.profile.endpoints[servlet.endpoint], config.role, config.mountsEverything === true)) return answer(unrecognized(config.profile.unrecognizedStatus));
    const unstableOnly = (config.profile.unstableOnly as readonly string[]).includes(servlet.endpoint);
    if (unstableOnly && match[1] !== 'unstable') return answer(unrecognized(config.profile.unrecognizedStatus));
    return servlet.handle(ctx, request, match);
  }
  // The stages' own servlets: email requestToken and link, SSO callbacks.
  const stageServlet = stageServletFor(request, config.role, config.mountsEverything === true);
  if (stageServlet !== undefined) return stageServlet(ctx, request);
  return answer(unrecognized(config.profile.unrecognizedStatus));
}

/** A task that answers at once. */
function* answer(response: HttpResponse): Task<HttpResponse> {
  return response;
}

/** The sweep fact's tags for a small count of deleted sessions, shared: a slow run sweeps some
 * hundred times and nearly every sweep deletes none (tags are readonly, so sharing is safe). */
const COUNT_TAGS: readonly (readonly string[])[] = Array.from({ length: 8 }, (_, n) => [String(n)]);

function* sweep(ctx: SynapseContext): Task<void> {
  const thresholdMs = ctx.nowMs() - ctx.profile.expiry.expiryMs;
  const deleted = yield* ctx.store.deleteOldSessions(thresholdMs);
  ctx.fact(FACTS.sweep, '', String(thresholdMs), COUNT_TAGS[deleted] ?? [String(deleted)]);
}
