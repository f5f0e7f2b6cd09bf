import { callEffect, callResult, type Task } from '../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../src/http.js';
import { matrixError, type RegisterSuccess } from '../matrix/protocol.js';
import { hashPassword } from './accounts.js';
import { checkUiAuth, requestUri } from './auth.js';
import type { SynapseContext } from './context.js';
import type { DatabaseCommand } from './database.js';
import { FACTS } from './facts.js';
import { registrationFlows } from './registration-flows.js';
import { completeRegistrationToken } from './stages/registration-token.js';

export { registrationFlows } from './registration-flows.js';

const REGISTERED_USER_ID = 'registered_user_id';
const PASSWORD_HASH = 'password_hash';

function* db<T>(ctx: SynapseContext, command: DatabaseCommand): Task<T> {
  return callResult<T>(yield callEffect(ctx.database, command), ctx.database);
}

/**
 * `RegisterRestServlet.on_POST` (uia §2.11), the UIA part: `registered_user_id` makes a repeated
 * final request idempotent (uia §2.10); the username is checked before UIA; where the password
 * waits between requests is the profile's `registrationPasswordHash` (uia §2.3, §2.10), hashing
 * is a CPU effect; a registration token used in the session is accounted on success (uia §2.10).
 */
export function* handleRegister(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  if (request.method !== 'POST') return httpResponse(405, matrixError('M_UNRECOGNIZED', 'Unrecognized request'));
  const body: Record<string, unknown> = { ...(typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {}) };
  if (!ctx.config.registration.enableRegistration) return httpResponse(403, matrixError('M_FORBIDDEN', 'Registration has been disabled'));
  const hashLocation = ctx.profile.registrationPasswordHash;

  // Step 3: pop and validate the password (1.19+); 1.13rc3-1.18 hash it into the body at once
  // (#7523); 1.8 leaves it in the body, plaintext in the session.
  let password: string | undefined;
  if (body['password'] !== undefined) {
    if (typeof body['password'] !== 'string' || body['password'].length > 512) return httpResponse(400, matrixError('M_UNKNOWN', 'Invalid password'));
    password = body['password'];
    if (hashLocation !== 'plaintext-clientdict') delete body['password'];
    if (hashLocation === 'hash-clientdict') body['password_hash'] = yield* hashPassword(password);
  }
  if (body['initial_device_display_name'] !== undefined && password === undefined) delete body['initial_device_display_name'];

  // Step 4: a session that already registered a user replays that registration.
  const auth = body['auth'] as { session?: unknown } | undefined;
  const sessionId = typeof auth?.session === 'string' && auth.session !== '' ? auth.session : undefined;
  const registered = sessionId === undefined ? undefined : yield* ctx.store.getSessionData(sessionId, REGISTERED_USER_ID);
  let passwordHash = sessionId === undefined || hashLocation !== 'serverdict' ? undefined : yield* ctx.store.getSessionData(sessionId, PASSWORD_HASH);

  // Step 5: check_username, before UIA; a name this session registered is allowed.
  const username = typeof body['username'] === 'string' ? body['username'].toLowerCase() : undefined;
  if (username !== undefined) {
    const userId = `@${username}:${ctx.serverName}`;
    if (userId !== registered && (yield* db<boolean>(ctx, { op: 'users.exists', userId }))) {
      return httpResponse(400, matrixError('M_USER_IN_USE', 'User ID already taken.'));
    }
  }

  // Step 6. On an incomplete UIA (a 401 with flows, not an escaped LoginError: #9263), 1.19+
  // hashes the password once and keeps the hash in the serverdict.
  const outcome = yield* checkUiAuth(ctx, registrationFlows(ctx), request, body, 'register a new account');
  if (outcome.kind === 'respond') {
    const incomplete = outcome.response.status === 401 && outcome.loginErrorEscaped !== true && outcome.sessionId !== undefined;
    if (hashLocation === 'serverdict' && incomplete && typeof passwordHash !== 'string' && password !== undefined) {
      const hash = yield* hashPassword(password);
      yield* ctx.store.setSessionData(outcome.sessionId as string, PASSWORD_HASH, hash);
    }
    return outcome.response;
  }

  // Step 7: register, or reuse the user this session registered.
  let userId = typeof registered === 'string' ? registered : undefined;
  if (userId === undefined) {
    const params = outcome.clientdict;
    if (hashLocation === 'serverdict') {
      // Prefer a password in this request; else the hash stored on an earlier 401.
      if (password !== undefined) passwordHash = yield* hashPassword(password);
    } else if (hashLocation === 'hash-clientdict') {
      passwordHash = params['password_hash'];
    } else if (typeof params['password'] === 'string') {
      passwordHash = yield* hashPassword(params['password']);
    }
    if (typeof passwordHash !== 'string') return httpResponse(400, matrixError('M_MISSING_PARAM', 'Missing params: password'));
    const desired = typeof params['username'] === 'string' ? params['username'].toLowerCase() : undefined;
    const localpart = desired ?? (yield* db<string>(ctx, { op: 'users.generateLocalpart' }));
    userId = `@${localpart}:${ctx.serverName}`;
    if (!(yield* db<boolean>(ctx, { op: 'users.register', userId, passwordHash }))) {
      return httpResponse(400, matrixError('M_USER_IN_USE', 'User ID already taken.'));
    }
    ctx.fact(FACTS.accountCreated, outcome.sessionId, userId);
    // Step 8.
    yield* ctx.store.setSessionData(outcome.sessionId, REGISTERED_USER_ID, userId);
    if (ctx.profile.registrationTokens) yield* completeRegistrationToken(ctx, outcome.sessionId);
  }
  // Registration has no requester: the account it creates is the user (uia §2.11).
  ctx.fact(FACTS.operation, outcome.sessionId, `${request.method} ${requestUri(request)}`, ['', userId]);
  // _create_registration_details: a new device (the requested one, else a random ID) and token.
  const requested = outcome.clientdict['device_id'];
  const deviceId = typeof requested === 'string' && requested !== '' ? requested : ctx.rng.letters(10).toUpperCase();
  const accessToken = `syt_${ctx.rng.letters(20)}`;
  yield* db<boolean>(ctx, { op: 'accounts.issueToken', userId, deviceId, accessToken, nowMs: ctx.nowMs() });
  const success: RegisterSuccess = { user_id: userId, home_server: ctx.serverName, access_token: accessToken, device_id: deviceId };
  return httpResponse(200, success);
}
