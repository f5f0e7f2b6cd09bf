/**
 * `threepid_validation_session` and `threepid_validation_token`: what `/requestToken` starts and
 * the emailed link validates, and what `m.login.email.identity` reads and deletes (uia §1.5). One
 * command is one transaction of Synapse's `RegistrationWorkerStore`.
 */
export interface ThreepidValidationRow {
  readonly sid: string;
  readonly medium: string;
  readonly address: string;
  readonly clientSecret: string;
  readonly lastSendAttempt: number;
  /** null until the link is followed. */
  readonly validatedAtMs: number | null;
}

export type ThreepidValidationCommand =
  /** `start_or_continue_validation_session` after `send_threepid_validation` decided to send:
   * reuses the unvalidated session of (medium, client_secret, address) when there is one
   * (returning its sid, and no new token when `send_attempt` is not higher), else inserts `sid`.
   * Returns the sid and the token the email carries. */
  | {
      readonly op: 'threepid.start';
      readonly medium: string;
      readonly address: string;
      readonly clientSecret: string;
      readonly sendAttempt: number;
      readonly newSid: string;
      readonly newToken: string;
      readonly expiresAtMs: number;
    }
  /** `validate_threepid_session`: the link's (sid, client_secret, token); sets validated_at. */
  | { readonly op: 'threepid.validate'; readonly sid: string; readonly clientSecret: string; readonly token: string; readonly nowMs: number }
  /** `get_threepid_validation_session(medium, client_secret, sid, validated=True)`. */
  | { readonly op: 'threepid.getValidated'; readonly medium: string; readonly sid: string; readonly clientSecret: string }
  /** `delete_threepid_session`: the session and its tokens. */
  | { readonly op: 'threepid.delete'; readonly sid: string };

export type ThreepidStartResult = { readonly sid: string; readonly token: string };
/** `validate_threepid_session`'s outcome: ok, or the ThreepidValidationError message. */
export type ThreepidValidateResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

interface Token {
  readonly token: string;
  readonly expiresAtMs: number;
}

export class ThreepidValidationTable {
  private readonly sessions = new Map<string, ThreepidValidationRow>();
  private readonly tokens = new Map<string, Token[]>();

  execute(c: ThreepidValidationCommand): unknown {
    switch (c.op) {
      case 'threepid.start':
        return this.start(c);
      case 'threepid.validate':
        return this.validate(c.sid, c.clientSecret, c.token, c.nowMs);
      case 'threepid.getValidated': {
        const row = this.sessions.get(c.sid);
        if (row === undefined || row.medium !== c.medium || row.clientSecret !== c.clientSecret || row.validatedAtMs === null) return undefined;
        return row;
      }
      case 'threepid.delete':
        this.tokens.delete(c.sid);
        return this.sessions.delete(c.sid);
      default: {
        const unreachable: never = c;
        throw new Error(`threepid_validation_session: unknown statement ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private start(c: Extract<ThreepidValidationCommand, { op: 'threepid.start' }>): ThreepidStartResult {
    let existing: ThreepidValidationRow | undefined;
    for (const row of this.sessions.values()) {
      if (row.medium === c.medium && row.clientSecret === c.clientSecret && row.address === c.address && row.validatedAtMs === null) existing = row;
    }
    if (existing !== undefined && c.sendAttempt <= existing.lastSendAttempt) {
      // Synapse answers with the sid and sends no email; the client still has the last one.
      const last = this.tokens.get(existing.sid)?.at(-1);
      return { sid: existing.sid, token: last?.token ?? '' };
    }
    const sid = existing?.sid ?? c.newSid;
    this.sessions.set(sid, { sid, medium: c.medium, address: c.address, clientSecret: c.clientSecret, lastSendAttempt: c.sendAttempt, validatedAtMs: existing?.validatedAtMs ?? null });
    const tokens = this.tokens.get(sid) ?? [];
    tokens.push({ token: c.newToken, expiresAtMs: c.expiresAtMs });
    this.tokens.set(sid, tokens);
    return { sid, token: c.newToken };
  }

  private validate(sid: string, clientSecret: string, token: string, nowMs: number): ThreepidValidateResult {
    const row = this.sessions.get(sid);
    if (row === undefined) return { ok: false, error: 'Unknown session_id' };
    const found = this.tokens.get(sid)?.find((t) => t.token === token);
    if (found === undefined) return { ok: false, error: 'Validation token not found or has expired' };
    if (row.clientSecret !== clientSecret) return { ok: false, error: 'This client_secret does not match the provided session_id' };
    // Already validated: nothing to do (following the link twice is fine).
    if (row.validatedAtMs !== null) return { ok: true };
    if (found.expiresAtMs <= nowMs) return { ok: false, error: 'This token has expired. Please request a new one' };
    this.sessions.set(sid, { ...row, validatedAtMs: nowMs });
    return { ok: true };
  }
}
