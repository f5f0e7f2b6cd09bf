import { callEffect, callResult, cpu, type Task } from '../../src/effects.js';
import type { AccountCommand, ExternalId, Threepid, TokenInfo, UserRow } from './account-tables.js';
import { DEFAULT_IDP_ID } from './config.js';
import type { SynapseContext } from './context.js';
import type { SynapseDatabase } from './database.js';

export type { AccountCommand, ExternalId, Threepid, TokenInfo, UserRow } from './account-tables.js';

/**
 * Accounts: the API the endpoints, the stage checkers and the world use over the account tables
 * (account-tables.ts). Reads and writes from a process are `call` effects to the database node;
 * seeding happens before a run, directly on the database object.
 */

/** Synapse's default `bcrypt_rounds` is 12. */
export const BCRYPT_ROUNDS = 12;
/** What one bcrypt hash or check at 12 rounds costs in (virtual) CPU time: ~200-300 ms on a
 * server core. Hashing and checking occupy the process (a `cpu` effect), as Synapse runs bcrypt
 * on a thread pool bounded by the reactor's. */
export const PASSWORD_HASH_CPU_MS = 250;

const HASH_PREFIX = `$2b$${BCRYPT_ROUNDS}$`;

/** The stored form of a password: deterministic (no salt needed in a simulation), opaque to
 * everything but verifyPassword. Pure: no CPU cost (seeding, tests). */
export function passwordHashOf(password: string): string {
  return `${HASH_PREFIX}${password.length}.${password}`;
}

/** `hash_password` (bcrypt): costs PASSWORD_HASH_CPU_MS of the running process's CPU. */
export function* hashPassword(password: string): Task<string> {
  yield* cpu(PASSWORD_HASH_CPU_MS);
  return passwordHashOf(password);
}

/** `validate_hash` (bcrypt checkpw): as costly as hashing. A null hash never matches, free. */
export function* verifyPassword(password: string, hash: string | null): Task<boolean> {
  if (hash === null) return false;
  yield* cpu(PASSWORD_HASH_CPU_MS);
  return passwordHashOf(password) === hash;
}

/** One account-table transaction from a process. */
export function* accountsCall<T>(ctx: Pick<SynapseContext, 'database'>, command: AccountCommand): Task<T> {
  return callResult<T>(yield callEffect(ctx.database, command), ctx.database);
}

export function* getUser(ctx: Pick<SynapseContext, 'database'>, userId: string): Task<UserRow | undefined> {
  return yield* accountsCall<UserRow | undefined>(ctx, { op: 'accounts.getUser', userId });
}

export function* tokenInfo(ctx: Pick<SynapseContext, 'database'>, accessToken: string): Task<TokenInfo | undefined> {
  return yield* accountsCall<TokenInfo | undefined>(ctx, { op: 'accounts.tokenInfo', accessToken });
}

export function* externalIdsOf(ctx: Pick<SynapseContext, 'database'>, userId: string): Task<readonly ExternalId[]> {
  return yield* accountsCall<readonly ExternalId[]>(ctx, { op: 'accounts.externalIds', userId });
}

export function* threepidsOf(ctx: Pick<SynapseContext, 'database'>, userId: string): Task<readonly Threepid[]> {
  return yield* accountsCall<readonly Threepid[]>(ctx, { op: 'accounts.threepids', userId });
}

/** An account that exists before the run (issue 3 contract: `@user<a>:test`, password
 * `correct horse`, devices `DEV<A>1`, `DEV<A>2`, token `syt_user<a>_token`). */
export interface AccountSeed {
  readonly userId: string;
  /** null: an SSO-only user with no password hash (uia §4.1 test_does_not_offer_password_for_sso_user). */
  readonly password: string | null;
  readonly devices: readonly string[];
  /** The access token, on the first device. */
  readonly accessToken: string;
  /** Subjects at the default OIDC provider (`user_external_ids`, uia §2.5): offers m.login.sso. */
  readonly externalIds?: readonly string[];
  readonly threepids?: readonly { readonly medium: string; readonly address: string }[];
  /** uia §2.5: the token's `last_validated` (login time); 0 by default. */
  readonly lastValidatedMs?: number;
}

/** Seeds one account straight into the database (before the run: no effects, no CPU). */
export function seedAccount(db: SynapseDatabase, seed: AccountSeed): void {
  const run = (command: AccountCommand): unknown => db.execute(command, 0);
  if (seed.devices.length === 0) throw new Error(`seedAccount: ${seed.userId} needs a device for its access token`);
  if (run({ op: 'users.register', userId: seed.userId, passwordHash: seed.password === null ? null : passwordHashOf(seed.password) }) !== true) {
    throw new Error(`seedAccount: ${seed.userId} seeded twice`);
  }
  const nowMs = seed.lastValidatedMs ?? 0;
  seed.devices.forEach((deviceId, i) => {
    // Every device gets a token; the first one's is the seed's (the others are not used).
    const accessToken = i === 0 ? seed.accessToken : `${seed.accessToken}_${deviceId}`;
    run({ op: 'accounts.issueToken', userId: seed.userId, deviceId, accessToken, nowMs });
  });
  for (const externalId of seed.externalIds ?? []) {
    run({ op: 'accounts.addExternalId', userId: seed.userId, externalId: { authProvider: DEFAULT_IDP_ID, externalId } });
  }
  for (const t of seed.threepids ?? []) {
    run({ op: 'accounts.addThreepid', userId: seed.userId, threepid: { medium: t.medium, address: t.address, validatedAtMs: 0 } });
  }
}

/** The contract's account for the client labelled `label` (workload.ts clientLabel: A, B, ...):
 * `@user<a>:test`, devices `DEV<A>1`, `DEV<A>2`, token `syt_user<a>_token`, with <a> lower case. */
export function standardAccount(label: string, serverName = 'test'): AccountSeed {
  const a = label.toLowerCase();
  return {
    userId: `@user${a}:${serverName}`,
    password: STANDARD_PASSWORD,
    devices: [`DEV${label}1`, `DEV${label}2`],
    accessToken: `syt_user${a}_token`,
  };
}

export const STANDARD_PASSWORD = 'correct horse';
