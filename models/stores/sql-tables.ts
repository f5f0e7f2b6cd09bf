import type { SessionRecord } from './contract.js';
import { RegistrationTokensTable, type RegistrationTokenCommand } from './registration-tokens-table.js';
import { ThreepidValidationTable, type ThreepidValidationCommand } from './threepid-validation-table.js';

/**
 * The UI-auth tables of schema delta 58 (uia §2.7), one row object per table row, and the store
 * statements of `UIAuthWorkerStore`, each one transaction. The database node runs a command
 * atomically, so a statement sequence inside one command is one transaction. The tables the
 * stages read live here too: `registration_tokens` (its pending uses go back in the sweep's own
 * transaction, uia §2.8) and `threepid_validation_session` (`m.login.email.identity`, uia §1.5);
 * their commands are prefixed `tokens.` and `threepid.`.
 */
export type UiAuthCommand = UiAuthSessionCommand | RegistrationTokenCommand | ThreepidValidationCommand;

/** The statements of `UIAuthWorkerStore` proper. */
export type UiAuthSessionCommand =
  | { readonly op: 'ui.create'; readonly id: string; readonly clientdict: Record<string, unknown>; readonly uri: string; readonly method: string; readonly description: string; readonly nowMs: number }
  | { readonly op: 'ui.get'; readonly id: string }
  | { readonly op: 'ui.markStage'; readonly id: string; readonly stage: string; readonly result: unknown }
  | { readonly op: 'ui.getStages'; readonly id: string }
  | { readonly op: 'ui.setClientdict'; readonly id: string; readonly clientdict: Record<string, unknown> }
  | { readonly op: 'ui.setData'; readonly id: string; readonly key: string; readonly value: unknown }
  | { readonly op: 'ui.getData'; readonly id: string; readonly key: string }
  | { readonly op: 'ui.addIp'; readonly id: string; readonly userAgent: string; readonly ip: string }
  | { readonly op: 'ui.deleteOld'; readonly expiryTimeMs: number };

const REGISTRATION_TOKEN_STAGE = 'm.login.registration_token';

interface SessionRow {
  readonly record: SessionRecord;
  clientdict: Record<string, unknown>;
  serverdict: Record<string, unknown>;
}

export class UiAuthTables {
  /** ui_auth_sessions, keyed by the UNIQUE session_id. */
  private readonly sessions = new Map<string, SessionRow>();
  /** ui_auth_sessions_credentials: UNIQUE(session_id, stage_type); row order = insert order. */
  private readonly credentials = new Map<string, Map<string, unknown>>();
  /** ui_auth_sessions_ips: UNIQUE(session_id, ip, user_agent). */
  private readonly ips = new Map<string, Set<string>>();
  readonly registrationTokens = new RegistrationTokensTable();
  readonly threepidValidation = new ThreepidValidationTable();

  /** Returns the statement's result; `false`/`undefined` stand for a unique or FK violation. */
  execute(command: UiAuthCommand): unknown {
    if (command.op.startsWith('tokens.')) return this.registrationTokens.execute(command as RegistrationTokenCommand);
    if (command.op.startsWith('threepid.')) return this.threepidValidation.execute(command as ThreepidValidationCommand);
    return this.executeSession(command as UiAuthSessionCommand);
  }

  private executeSession(command: UiAuthSessionCommand): unknown {
    switch (command.op) {
      case 'ui.create': {
        if (this.sessions.has(command.id)) return false; // unique violation: the caller retries
        const record: SessionRecord = {
          id: command.id,
          clientdict: command.clientdict,
          uri: command.uri,
          method: command.method,
          description: command.description,
          creationTimeMs: command.nowMs,
        };
        this.sessions.set(command.id, { record, clientdict: command.clientdict, serverdict: {} });
        return true;
      }
      case 'ui.get': {
        const row = this.sessions.get(command.id);
        return row === undefined ? undefined : { ...row.record, clientdict: row.clientdict };
      }
      case 'ui.markStage': {
        // The FK to ui_auth_sessions fails for an unknown session (uia §2.6: 400 Unknown session ID).
        if (!this.sessions.has(command.id)) return false;
        let stages = this.credentials.get(command.id);
        if (stages === undefined) {
          stages = new Map();
          this.credentials.set(command.id, stages);
        }
        stages.set(command.stage, command.result); // upsert on (session_id, stage_type)
        return true;
      }
      case 'ui.getStages':
        return new Map(this.credentials.get(command.id) ?? []);
      case 'ui.setClientdict': {
        const row = this.sessions.get(command.id);
        if (row !== undefined) row.clientdict = command.clientdict; // blind overwrite, last writer wins
        return null;
      }
      case 'ui.setData': {
        // One transaction: read serverdict, set the key, write back (uia §2.7).
        const row = this.sessions.get(command.id);
        if (row !== undefined) row.serverdict = { ...row.serverdict, [command.key]: command.value };
        return null;
      }
      case 'ui.getData':
        return this.sessions.get(command.id)?.serverdict[command.key];
      case 'ui.addIp': {
        if (!this.sessions.has(command.id)) return null;
        let seen = this.ips.get(command.id);
        if (seen === undefined) {
          seen = new Set();
          this.ips.set(command.id, seen);
        }
        seen.add(`${command.ip} ${command.userAgent}`);
        return null;
      }
      case 'ui.deleteOld': {
        // uia §2.8: creation_time <= now - 48h, absolute. In one transaction: (1) ips rows;
        // (2) for each registration-token credential whose result is still the token string
        // (token used, registration unfinished), give the pending use back; (3) credentials;
        // (4) the sessions.
        // A loop, not spread/filter/map: this runs on every sweep (hundreds in a slow run), and
        // nearly every sweep finds nothing to delete. A row's key is its record's id.
        const expired: string[] = [];
        for (const row of this.sessions.values()) if (row.record.creationTimeMs <= command.expiryTimeMs) expired.push(row.record.id);
        if (expired.length === 0) return 0;
        for (const id of expired) this.ips.delete(id);
        const pendingByToken = new Map<string, number>();
        for (const id of expired) {
          const result = this.credentials.get(id)?.get(REGISTRATION_TOKEN_STAGE);
          if (typeof result === 'string') pendingByToken.set(result, (pendingByToken.get(result) ?? 0) + 1);
        }
        for (const [token, count] of pendingByToken) this.registrationTokens.returnPending(token, count);
        for (const id of expired) this.credentials.delete(id);
        for (const id of expired) this.sessions.delete(id);
        return expired.length;
      }
      default: {
        const unreachable: never = command;
        throw new Error(`ui_auth tables: unknown statement ${JSON.stringify(unreachable)}`);
      }
    }
  }
}
