import { callEffect, callResult, type Task } from '../../../src/effects.js';
import type { AuthDict } from '../../matrix/protocol.js';
import type { RegistrationTokenCommand } from '../../stores/registration-tokens-table.js';
import type { SynapseConfig } from '../config.js';
import type { SynapseContext } from '../context.js';
import type { SynapseDatabase } from '../database.js';
import { loginError, passed, synapseError, type StageVerdict } from './types.js';

export const REGISTRATION_TOKEN_STAGE = 'm.login.registration_token';
/** uia §2.10: the serverdict key equals the stage type. */
export const REGISTRATION_TOKEN_KEY = REGISTRATION_TOKEN_STAGE;

function* tokens<T>(ctx: SynapseContext, command: RegistrationTokenCommand): Task<T> {
  return callResult<T>(yield callEffect(ctx.database, command), ctx.database);
}

/**
 * `RegistrationTokenAuthChecker` (uia §1.5, §2.10). The result is the token string; registration
 * overwrites it with `true` once it succeeds (`completeRegistrationToken`). The same token again
 * in one session returns early without counting again; a different one is LoginError 400
 * M_INVALID_PARAM "Registration token has changed". Check-then-set is not atomic: every step is
 * its own transaction, so two concurrent submits in one session can both count (uia §2.10
 * [code-reading]).
 */
export function* checkRegistrationToken(ctx: SynapseContext, auth: AuthDict): Task<StageVerdict> {
  if (auth.token === undefined) return loginError(401, 'M_MISSING_PARAM', 'Missing registration token');
  if (typeof auth.token !== 'string') return loginError(401, 'M_INVALID_PARAM', 'Registration token must be a string');
  if (typeof auth.session !== 'string') return loginError(401, 'M_MISSING_PARAM', 'Missing UIA session');
  const { session, token } = auth;
  // auth_handler.get_session_data raises 400 "Unknown session ID" for a session that is not
  // there (the fallback POST reaches this before the FK check, uia §2.6); the store contract
  // answers undefined instead, so ask for the session first.
  if ((yield* ctx.store.getSession(session)) === undefined) throw synapseError(400, 'M_UNKNOWN', `Unknown session ID: ${session}`);
  const stored = yield* ctx.store.getSessionData(session, REGISTRATION_TOKEN_KEY);
  if (typeof stored === 'string' && stored !== '') {
    if (stored !== token) return loginError(400, 'M_INVALID_PARAM', 'Registration token has changed');
    return passed(token);
  }
  if (!(yield* tokens<boolean>(ctx, { op: 'tokens.isValid', token, nowMs: ctx.nowMs() }))) {
    return loginError(401, 'M_UNAUTHORIZED', 'Invalid registration token');
  }
  // Count the use as pending first, so a limited token cannot be used up by someone else.
  yield* tokens<boolean>(ctx, { op: 'tokens.setPending', token });
  yield* ctx.store.setSessionData(session, REGISTRATION_TOKEN_KEY, token);
  return passed(token);
}

/**
 * uia §2.10 / §2.11 step 8: after registering, a token used in the session becomes a completed use
 * and its credential row `true`, so the sweep does not give the pending use back again.
 */
export function* completeRegistrationToken(ctx: SynapseContext, sessionId: string): Task<void> {
  const token = yield* ctx.store.getSessionData(sessionId, REGISTRATION_TOKEN_KEY);
  if (typeof token !== 'string' || token === '') return;
  yield* tokens<boolean>(ctx, { op: 'tokens.use', token });
  yield* ctx.store.markStageComplete(sessionId, REGISTRATION_TOKEN_STAGE, true);
}

/** The tokens an admin created before the run (`registration_tokens` rows, uia §2.10), straight
 * into the database (no effects). */
export function seedRegistrationTokens(db: SynapseDatabase, config: SynapseConfig): void {
  for (const t of config.registration.registrationTokens) {
    const command: RegistrationTokenCommand = { op: 'tokens.create', token: t.token, usesAllowed: t.usesAllowed, expiryTimeMs: t.expiryTimeMs };
    db.execute(command, 0);
  }
}
