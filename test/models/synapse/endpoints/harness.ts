// Helpers for the endpoint tests: one process with the contract's seeded accounts (A and B),
// requests with an access token, password auth dicts per profile, and `route` through the
// process's mounts.
import type { HttpMethod, HttpRequest, HttpResponse } from '../../../../src/http.js';
import type { Task } from '../../../../src/effects.js';
import { seedAccount, standardAccount, STANDARD_PASSWORD, type AccountSeed } from '../../../../models/synapse/accounts.js';
import { route, type ProcessRole } from '../../../../models/synapse/app.js';
import { DEFAULT_CONFIG, type SynapseConfig } from '../../../../models/synapse/config.js';
import { SynapseDatabase } from '../../../../models/synapse/database.js';
import { PROFILES, type ProfileName } from '../../../../models/synapse/profile.js';
import { sqlStore } from '../../../../models/stores/sql.js';
import { CLIENT_IP, DB_NODE, processFor, type Driven, type Process } from '../../helpers.js';

export const USER_A = '@usera:test';
export const USER_B = '@userb:test';
export const TOKEN_A = 'syt_usera_token';
export const TOKEN_B = 'syt_userb_token';

export interface AccountsProcess extends Process {
  /** Routes a request through this process's mounts, as `role` (main by default). */
  serve(request: HttpRequest, role?: ProcessRole): HttpResponse;
  /** As serve, with the commands issued and the CPU time claimed. */
  serveDriven(request: HttpRequest, role?: ProcessRole): Driven<HttpResponse>;
  /** Runs a handler task; returns its response. */
  call(task: Task<HttpResponse>): HttpResponse;
}

/** A process of `profile` whose database holds accounts A and B (plus `extra` seeds). */
export function accountsProcess(profile: ProfileName, options: { readonly config?: SynapseConfig; readonly seeds?: readonly AccountSeed[] } = {}): AccountsProcess {
  const db = new SynapseDatabase();
  for (const seed of options.seeds ?? [standardAccount('A'), standardAccount('B')]) seedAccount(db, seed);
  const config = options.config ?? DEFAULT_CONFIG;
  const p = processFor(profile, { db, config });
  const processConfig = (role: ProcessRole) => ({
    role,
    profile: PROFILES[profile],
    store: sqlStore,
    database: DB_NODE,
    storeNode: DB_NODE,
    serverName: 'test',
    config,
  });
  return {
    ...p,
    serve: (request, role = 'main') => p.run(route(p.ctx, processConfig(role), request)).value,
    serveDriven: (request, role = 'main') => p.run(route(p.ctx, processConfig(role), request)),
    call: (task) => p.run(task).value,
  };
}

/** A request with `accessToken` (A's by default; null: none). */
export function authed(method: HttpMethod, path: string, body: unknown, accessToken: string | null = TOKEN_A, query = ''): HttpRequest {
  return { method, path, query, body, ip: CLIENT_IP, userAgent: 'element/1.11', ...(accessToken === null ? {} : { accessToken }) };
}

/** An `m.login.password` auth dict: an `identifier` (v1.24+) or the legacy `user` before. */
export function passwordAuth(profile: ProfileName, session: string | undefined, user = USER_A, password = STANDARD_PASSWORD): Record<string, unknown> {
  const who = PROFILES[profile].identifierDicts ? { identifier: { type: 'm.id.user', user } } : { user };
  return { type: 'm.login.password', ...who, password, ...(session === undefined ? {} : { session }) };
}

export function body(response: HttpResponse): Record<string, unknown> {
  return response.body as Record<string, unknown>;
}

export function session(response: HttpResponse): string {
  const s = body(response)['session'];
  if (typeof s !== 'string') throw new Error(`no session in ${JSON.stringify(response.body)}`);
  return s;
}

/** The `operation` facts' tags, in order. */
export function operations(p: Process): (readonly string[])[] {
  return p.facts.filter((f) => f.name === 'operation').map((f) => f.tags);
}

export const PRE_HEAD: readonly ProfileName[] = ['1.8', '1.12', '1.13'];
export const ALL_PROFILES: readonly ProfileName[] = ['1.8', '1.12', '1.13', 'head'];
