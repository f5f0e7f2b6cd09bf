import { call, type Task } from '../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../src/http.js';
import { matrixError, type Flow, type RegisterSuccess } from '../matrix/protocol.js';
import { checkUiAuth, requestUri } from './auth.js';
import type { SynapseContext } from './context.js';
import type { DatabaseCommand } from './database.js';
import { FACTS } from './facts.js';

/** The flows the foundation issue asks for: captcha + terms before dummy, or dummy alone. */
export const REGISTRATION_FLOWS: readonly Flow[] = [
  { stages: ['m.login.recaptcha', 'm.login.terms', 'm.login.dummy'] },
  { stages: ['m.login.dummy'] },
];

const REGISTERED_USER_ID = 'registered_user_id';

function* db<T>(ctx: SynapseContext, command: DatabaseCommand): Task<T> {
  return yield* call<T>(ctx.database, command);
}

/**
 * `RegisterRestServlet.on_POST` (ref 2.11), the UIA part: `registered_user_id` makes a repeated
 * final request idempotent (ref 2.10); the username is checked before UIA.
 */
export function* handleRegister(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
  if (request.method !== 'POST') return httpResponse(405, matrixError('M_UNRECOGNIZED', 'Unrecognized request'));
  const auth = body['auth'] as { session?: unknown } | undefined;
  const sessionId = typeof auth?.session === 'string' ? auth.session : undefined;

  // Step 4: a session that already registered a user replays that registration.
  const registered = sessionId === undefined ? undefined : yield* ctx.store.getSessionData(sessionId, REGISTERED_USER_ID);

  // Step 5: check_username, before UIA; a name this session registered is allowed.
  const username = typeof body['username'] === 'string' ? body['username'].toLowerCase() : undefined;
  if (username !== undefined) {
    const userId = `@${username}:${ctx.serverName}`;
    if (userId !== registered && (yield* db<boolean>(ctx, { op: 'users.exists', userId }))) {
      return httpResponse(400, matrixError('M_USER_IN_USE', 'User ID already taken.'));
    }
  }

  // Step 6.
  const outcome = yield* checkUiAuth(ctx, REGISTRATION_FLOWS, request, body, 'register a new account');
  if (outcome.kind === 'respond') return outcome.response;

  // Step 7: register, or reuse the user this session registered.
  let userId = typeof registered === 'string' ? registered : undefined;
  if (userId === undefined) {
    const desired = typeof outcome.clientdict['username'] === 'string' ? (outcome.clientdict['username'] as string).toLowerCase() : undefined;
    const localpart = desired ?? (yield* db<string>(ctx, { op: 'users.generateLocalpart' }));
    userId = `@${localpart}:${ctx.serverName}`;
    if (!(yield* db<boolean>(ctx, { op: 'users.register', userId }))) {
      return httpResponse(400, matrixError('M_USER_IN_USE', 'User ID already taken.'));
    }
    ctx.fact(FACTS.accountCreated, outcome.sessionId, userId);
    // Step 8.
    yield* ctx.store.setSessionData(outcome.sessionId, REGISTERED_USER_ID, userId);
  }
  // Registration has no requester: the account it creates is the user (ref 2.11).
  ctx.fact(FACTS.operation, outcome.sessionId, `${request.method} ${requestUri(request)}`, ['', userId]);
  const success: RegisterSuccess = { user_id: userId, access_token: `syt_${ctx.rng.letters(20)}`, device_id: ctx.rng.letters(10).toUpperCase() };
  return httpResponse(200, success);
}
