import type { StoreService } from '../stores/contract.js';
import { UiAuthTables, type UiAuthCommand } from '../stores/sql-tables.js';

/** The `users` table as registration needs it. */
export type UserCommand =
  /** Inserts the user; false if the ID is taken (M_USER_IN_USE). */
  | { readonly op: 'users.register'; readonly userId: string }
  | { readonly op: 'users.exists'; readonly userId: string }
  /** The next numeric localpart for a registration without a username. */
  | { readonly op: 'users.generateLocalpart' };

export type DatabaseCommand = UiAuthCommand | UserCommand;

/**
 * Synapse's main database (PostgreSQL), shared by every process. It is durable: the service
 * node's factory hands every incarnation the same state object, so a database restart loses
 * nothing committed. Since 1.13 it also holds the UI-auth tables (ref 2.7).
 */
export class SynapseDatabase implements StoreService {
  readonly uiAuth = new UiAuthTables();
  private readonly users = new Set<string>();
  private generatedLocalparts = 0;

  execute(command: unknown, _nowMs: number): unknown {
    const c = command as DatabaseCommand;
    switch (c.op) {
      case 'users.register':
        if (this.users.has(c.userId)) return false;
        this.users.add(c.userId);
        return true;
      case 'users.exists':
        return this.users.has(c.userId);
      case 'users.generateLocalpart':
        return String(++this.generatedLocalparts);
      default:
        return this.uiAuth.execute(c);
    }
  }

  get userCount(): number {
    return this.users.size;
  }
}
