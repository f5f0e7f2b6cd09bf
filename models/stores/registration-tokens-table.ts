/**
 * The `registration_tokens` table (uia §2.10; MSC3231, v1.42): one row per token an admin created,
 * with `uses_allowed`, `pending`, `completed` and `expiry_time`. Each command is one transaction
 * of `RegistrationWorkerStore`; the UIA sweep reaches the table inside its own transaction
 * (uia §2.8), which is why the table lives next to the UI-auth tables.
 */
export interface RegistrationTokenRow {
  readonly token: string;
  /** null: unlimited. */
  readonly usesAllowed: number | null;
  /** Registrations that used the token and are still unfinished. */
  readonly pending: number;
  /** Registrations that finished with it. */
  readonly completed: number;
  /** Virtual ms; null: never expires. */
  readonly expiryTimeMs: number | null;
}

export type RegistrationTokenCommand =
  /** The admin API's create (and the world's seeding); false if the token exists. */
  | { readonly op: 'tokens.create'; readonly token: string; readonly usesAllowed: number | null; readonly expiryTimeMs: number | null }
  /** The admin API's update (test_POST_registration_token_expiry extends the expiry). */
  | { readonly op: 'tokens.update'; readonly token: string; readonly usesAllowed?: number | null; readonly expiryTimeMs?: number | null }
  | { readonly op: 'tokens.delete'; readonly token: string }
  | { readonly op: 'tokens.get'; readonly token: string }
  /** `registration_token_is_valid`: exists, not expired, pending + completed < uses_allowed. */
  | { readonly op: 'tokens.isValid'; readonly token: string; readonly nowMs: number }
  /** `set_registration_token_pending`: pending + 1. */
  | { readonly op: 'tokens.setPending'; readonly token: string }
  /** `use_registration_token`: pending - 1, completed + 1, in one transaction. */
  | { readonly op: 'tokens.use'; readonly token: string };

export class RegistrationTokensTable {
  private readonly rows = new Map<string, RegistrationTokenRow>();

  execute(c: RegistrationTokenCommand): unknown {
    switch (c.op) {
      case 'tokens.create':
        if (this.rows.has(c.token)) return false;
        this.rows.set(c.token, { token: c.token, usesAllowed: c.usesAllowed, pending: 0, completed: 0, expiryTimeMs: c.expiryTimeMs });
        return true;
      case 'tokens.update': {
        const row = this.rows.get(c.token);
        if (row === undefined) return false;
        this.rows.set(c.token, {
          ...row,
          ...(c.usesAllowed === undefined ? {} : { usesAllowed: c.usesAllowed }),
          ...(c.expiryTimeMs === undefined ? {} : { expiryTimeMs: c.expiryTimeMs }),
        });
        return true;
      }
      case 'tokens.delete':
        return this.rows.delete(c.token);
      case 'tokens.get':
        return this.rows.get(c.token);
      case 'tokens.isValid': {
        const row = this.rows.get(c.token);
        if (row === undefined) return false;
        // Synapse: `expiry_time and expiry_time < now` -> expired.
        if (row.expiryTimeMs !== null && row.expiryTimeMs < c.nowMs) return false;
        if (row.usesAllowed !== null && row.pending + row.completed >= row.usesAllowed) return false;
        return true;
      }
      case 'tokens.setPending':
        return this.adjust(c.token, 1, 0);
      case 'tokens.use':
        return this.adjust(c.token, -1, 1);
      default: {
        const unreachable: never = c;
        throw new Error(`registration_tokens: unknown statement ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** uia §2.8 step (2): the sweep gives back `count` pending uses of `token`; a token row that
   * was deleted meanwhile is simply not there to update (`..._session_expiry_deleted_token`). */
  returnPending(token: string, count: number): void {
    this.adjust(token, -count, 0);
  }

  private adjust(token: string, pending: number, completed: number): boolean {
    const row = this.rows.get(token);
    if (row === undefined) return false;
    this.rows.set(token, { ...row, pending: row.pending + pending, completed: row.completed + completed });
    return true;
  }
}
