import type { StoreService } from '../stores/contract.js';
import { UiAuthTables, type UiAuthCommand } from '../stores/sql-tables.js';
import { AccountTables, type AccountCommand } from './account-tables.js';

/** Kept for callers of the foundation's `users` commands (now part of the account tables). */
export type UserCommand = Extract<AccountCommand, { readonly op: `users.${string}` }>;

export type DatabaseCommand = UiAuthCommand | AccountCommand;

/**
 * Synapse's main database (PostgreSQL), shared by every process. It is durable: every command
 * commits as it runs, and a restart keeps everything committed (`restart` drops nothing). Since 1.13 it also holds the UI-auth tables (uia §2.7). Tables answer the
 * commands whose `op` starts with their prefix (`ui.`, `users.`/`accounts.`).
 */
export class SynapseDatabase implements StoreService {
  readonly uiAuth = new UiAuthTables();
  readonly accounts = new AccountTables();

  execute(command: unknown, _nowMs: number): unknown {
    const c = command as DatabaseCommand;
    if (c.op.startsWith('users.') || c.op.startsWith('accounts.')) return this.accounts.execute(c as AccountCommand);
    return this.uiAuth.execute(c as UiAuthCommand);
  }

  /** PostgreSQL after a restart: every committed row is there (each command is its own
   * transaction, so nothing was in flight). */
  restart(): void {}

  get userCount(): number {
    return this.accounts.userCount;
  }
}
