import { call, type Task } from '../../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import { matrixError } from '../../matrix/protocol.js';
import type { ThreepidStartResult, ThreepidValidationCommand } from '../../stores/threepid-validation-table.js';
import { accountsCall } from '../accounts.js';
import type { SynapseContext } from '../context.js';

/** The requestToken success body. `x-email-token` stands for the email itself: the token the
 * validation link carries (test-only, so a simulated client can follow the link; real Synapse
 * sends it by mail and never in the response). */
export interface RequestTokenSuccess {
  readonly sid: string;
  readonly 'x-email-token': string;
}

/** `bind`: registration and 3PID add (the address must be free); `password-reset`: the
 * address must belong to an account (`EmailPasswordRequestTokenRestServlet`). */
export type RequestTokenPurpose = 'bind' | 'password-reset';

/** Synapse's `client_secret` grammar (`assert_valid_client_secret`). */
const CLIENT_SECRET = /^[0-9a-zA-Z.=_-]{1,255}$/;

/**
 * `EmailRegisterRequestTokenRestServlet` / `EmailThreepidRequestTokenRestServlet` (issue 3
 * contract: body {client_secret, email, send_attempt} -> {sid}). The address is canonicalised
 * (lower case); one already bound to an account is 400 M_THREEPID_IN_USE (registration and 3PID
 * add alike), one bound to none is 400 M_THREEPID_NOT_FOUND for a password reset; then `send_threepid_validation` starts or continues the validation session: the
 * same (client_secret, address) and a `send_attempt` not higher than the last answer with the
 * same sid and send no new email.
 */
export function* handleEmailRequestToken(ctx: SynapseContext, request: HttpRequest, purpose: RequestTokenPurpose = 'bind'): Task<HttpResponse> {
  if (request.method !== 'POST') return httpResponse(405, matrixError('M_UNRECOGNIZED', 'Unrecognized request'));
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
  if (!ctx.config.email.enabled) return httpResponse(400, matrixError('M_UNKNOWN', 'Email-based registration has been disabled on this server'));
  const { client_secret: clientSecret, email, send_attempt: sendAttempt } = body;
  const missing = ['client_secret', 'email', 'send_attempt'].filter((k) => body[k] === undefined);
  if (missing.length > 0) return httpResponse(400, matrixError('M_MISSING_PARAM', `Missing params: ${missing.join(', ')}`));
  if (typeof clientSecret !== 'string' || !CLIENT_SECRET.test(clientSecret)) return httpResponse(400, matrixError('M_INVALID_PARAM', 'Invalid client_secret parameter'));
  if (typeof email !== 'string' || !email.includes('@')) return httpResponse(400, matrixError('M_INVALID_PARAM', 'Unable to parse email address'));
  if (typeof sendAttempt !== 'number' || !Number.isInteger(sendAttempt)) return httpResponse(400, matrixError('M_INVALID_PARAM', 'Invalid send_attempt'));
  const address = email.trim().toLowerCase();
  const owner = yield* accountsCall<string | undefined>(ctx, { op: 'accounts.userByThreepid', medium: 'email', address });
  // A password reset goes to an address an account has; registration and 3PID add need a free one.
  if (purpose === 'password-reset' && owner === undefined) return httpResponse(400, matrixError('M_THREEPID_NOT_FOUND', 'Email not found'));
  if (purpose === 'bind' && owner !== undefined) return httpResponse(400, matrixError('M_THREEPID_IN_USE', 'Email is already in use'));
  const command: ThreepidValidationCommand = {
    op: 'threepid.start',
    medium: 'email',
    address,
    clientSecret,
    sendAttempt,
    newSid: ctx.rng.letters(16),
    newToken: ctx.rng.letters(32),
    expiresAtMs: ctx.nowMs() + ctx.config.email.validationTokenLifetimeMs,
  };
  const started = yield* call<ThreepidStartResult>(ctx.database, command);
  const success: RequestTokenSuccess = { sid: started.sid, 'x-email-token': started.token };
  return httpResponse(200, success);
}
