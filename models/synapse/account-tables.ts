/**
 * The account tables of Synapse's main database, as the UIA endpoints use them: `users` (with
 * `password_hash`), `devices`, `access_tokens` (with `last_validated`, uia §2.7), `user_external_ids`
 * (SSO users, uia §2.5), the cross-signing keys (`e2e_cross_signing_keys`), `user_threepids` and
 * the login tokens of `login/get_token`. One command = one transaction (the database node runs it
 * atomically). Insertion order is kept everywhere, so every listing is deterministic.
 */
export interface ExternalId {
  readonly authProvider: string;
  readonly externalId: string;
}

export interface Threepid {
  readonly medium: string;
  readonly address: string;
  readonly validatedAtMs: number;
}

export interface TokenInfo {
  readonly userId: string;
  readonly deviceId: string;
  /** uia §2.5, §2.7: `access_tokens.last_validated` (rows from before v1.25 read as 0). */
  readonly lastValidatedMs: number;
}

export interface UserRow {
  /** null: no password (an SSO-only user, or deactivated). */
  readonly passwordHash: string | null;
  readonly deactivated: boolean;
}

export type AccountCommand =
  /** Inserts the user; false if the ID is taken (M_USER_IN_USE). */
  | { readonly op: 'users.register'; readonly userId: string; readonly passwordHash?: string | null }
  | { readonly op: 'users.exists'; readonly userId: string }
  /** The next numeric localpart for a registration without a username. */
  | { readonly op: 'users.generateLocalpart' }
  | { readonly op: 'accounts.getUser'; readonly userId: string }
  | { readonly op: 'accounts.setPasswordHash'; readonly userId: string; readonly passwordHash: string | null }
  /** Issues an access token (login, registration); adds the device if new; last_validated = now. */
  | { readonly op: 'accounts.issueToken'; readonly userId: string; readonly deviceId: string; readonly accessToken: string; readonly nowMs: number }
  | { readonly op: 'accounts.tokenInfo'; readonly accessToken: string }
  | { readonly op: 'accounts.setLastValidated'; readonly accessToken: string; readonly nowMs: number }
  | { readonly op: 'accounts.listDevices'; readonly userId: string }
  /** Deletes the devices and their access tokens; returns the IDs that existed. */
  | { readonly op: 'accounts.deleteDevices'; readonly userId: string; readonly deviceIds: readonly string[] }
  /** Deletes every access token of the user but `keepToken` (password change `logout_devices`). */
  | { readonly op: 'accounts.deleteOtherTokens'; readonly userId: string; readonly keepToken: string | undefined }
  | { readonly op: 'accounts.addExternalId'; readonly userId: string; readonly externalId: ExternalId }
  | { readonly op: 'accounts.externalIds'; readonly userId: string }
  | { readonly op: 'accounts.userByExternalId'; readonly externalId: ExternalId }
  | { readonly op: 'accounts.crossSigningKeys'; readonly userId: string }
  /** Stores each key (as canonical JSON), replacing the same key type. */
  | { readonly op: 'accounts.setCrossSigningKeys'; readonly userId: string; readonly keys: Readonly<Record<string, string>> }
  /** false if the 3PID is bound to any user already (M_THREEPID_IN_USE). */
  | { readonly op: 'accounts.addThreepid'; readonly userId: string; readonly threepid: Threepid }
  | { readonly op: 'accounts.threepids'; readonly userId: string }
  | { readonly op: 'accounts.userByThreepid'; readonly medium: string; readonly address: string }
  | { readonly op: 'accounts.addLoginToken'; readonly userId: string; readonly loginToken: string; readonly expiresAtMs: number }
  /** `deactivate_account`: devices, tokens, 3PIDs and external IDs removed, password cleared. */
  | { readonly op: 'accounts.deactivate'; readonly userId: string };

export class AccountTables {
  private readonly users = new Map<string, UserRow>();
  private readonly devices = new Map<string, string[]>();
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly externalIds = new Map<string, ExternalId[]>();
  private readonly crossSigning = new Map<string, Map<string, string>>();
  private readonly threepids = new Map<string, Threepid[]>();
  private readonly loginTokens = new Map<string, { readonly userId: string; readonly expiresAtMs: number }>();
  private generatedLocalparts = 0;

  execute(c: AccountCommand): unknown {
    switch (c.op) {
      case 'users.register':
        if (this.users.has(c.userId)) return false;
        this.users.set(c.userId, { passwordHash: c.passwordHash ?? null, deactivated: false });
        return true;
      case 'users.exists':
        return this.users.has(c.userId);
      case 'users.generateLocalpart':
        return String(++this.generatedLocalparts);
      case 'accounts.getUser':
        return this.users.get(c.userId);
      case 'accounts.setPasswordHash': {
        const row = this.users.get(c.userId);
        if (row === undefined) return false;
        this.users.set(c.userId, { ...row, passwordHash: c.passwordHash });
        return true;
      }
      case 'accounts.issueToken': {
        const devices = this.listOf(this.devices, c.userId);
        if (!devices.includes(c.deviceId)) devices.push(c.deviceId);
        this.tokens.set(c.accessToken, { userId: c.userId, deviceId: c.deviceId, lastValidatedMs: c.nowMs });
        return true;
      }
      case 'accounts.tokenInfo':
        return this.tokens.get(c.accessToken);
      case 'accounts.setLastValidated': {
        const info = this.tokens.get(c.accessToken);
        if (info === undefined) return false;
        this.tokens.set(c.accessToken, { ...info, lastValidatedMs: c.nowMs });
        return true;
      }
      case 'accounts.listDevices':
        return [...(this.devices.get(c.userId) ?? [])];
      case 'accounts.deleteDevices':
        return this.deleteDevices(c.userId, c.deviceIds);
      case 'accounts.deleteOtherTokens': {
        for (const [token, info] of [...this.tokens]) if (info.userId === c.userId && token !== c.keepToken) this.tokens.delete(token);
        return true;
      }
      case 'accounts.addExternalId':
        this.listOf(this.externalIds, c.userId).push(c.externalId);
        return true;
      case 'accounts.externalIds':
        return [...(this.externalIds.get(c.userId) ?? [])];
      case 'accounts.userByExternalId':
        for (const [userId, ids] of this.externalIds) {
          if (ids.some((e) => e.authProvider === c.externalId.authProvider && e.externalId === c.externalId.externalId)) return userId;
        }
        return undefined;
      case 'accounts.crossSigningKeys':
        return Object.fromEntries(this.crossSigning.get(c.userId) ?? []);
      case 'accounts.setCrossSigningKeys': {
        let keys = this.crossSigning.get(c.userId);
        if (keys === undefined) this.crossSigning.set(c.userId, (keys = new Map()));
        for (const type of Object.keys(c.keys)) keys.set(type, c.keys[type] as string);
        return true;
      }
      case 'accounts.addThreepid':
        if (this.ownerOfThreepid(c.threepid.medium, c.threepid.address) !== undefined) return false;
        this.listOf(this.threepids, c.userId).push(c.threepid);
        return true;
      case 'accounts.threepids':
        return [...(this.threepids.get(c.userId) ?? [])];
      case 'accounts.userByThreepid':
        return this.ownerOfThreepid(c.medium, c.address);
      case 'accounts.addLoginToken':
        this.loginTokens.set(c.loginToken, { userId: c.userId, expiresAtMs: c.expiresAtMs });
        return true;
      case 'accounts.deactivate': {
        const row = this.users.get(c.userId);
        if (row === undefined) return false;
        this.deleteDevices(c.userId, [...(this.devices.get(c.userId) ?? [])]);
        for (const [token, info] of [...this.tokens]) if (info.userId === c.userId) this.tokens.delete(token);
        this.threepids.delete(c.userId);
        this.externalIds.delete(c.userId);
        this.users.set(c.userId, { passwordHash: null, deactivated: true });
        return true;
      }
      default: {
        const unreachable: never = c;
        throw new Error(`account tables: unknown command ${JSON.stringify(unreachable)}`);
      }
    }
  }

  get userCount(): number {
    return this.users.size;
  }

  private deleteDevices(userId: string, deviceIds: readonly string[]): string[] {
    const devices = this.devices.get(userId) ?? [];
    const deleted = devices.filter((d) => deviceIds.includes(d));
    this.devices.set(userId, devices.filter((d) => !deviceIds.includes(d)));
    for (const [token, info] of [...this.tokens]) if (info.userId === userId && deleted.includes(info.deviceId)) this.tokens.delete(token);
    return deleted;
  }

  private ownerOfThreepid(medium: string, address: string): string | undefined {
    for (const [userId, list] of this.threepids) if (list.some((t) => t.medium === medium && t.address === address)) return userId;
    return undefined;
  }

  private listOf<T>(map: Map<string, T[]>, key: string): T[] {
    let list = map.get(key);
    if (list === undefined) map.set(key, (list = []));
    return list;
  }
}
