import { call, type Task } from '../../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import { matrixError } from '../../matrix/protocol.js';
import { accountsCall } from '../accounts.js';
import type { SynapseContext } from '../context.js';
import { authenticate, isRequester, validateUserViaUiAuth } from '../validate-user.js';
import { jsonObject, methodNotAllowed, missingParams, notJson, operationFact } from './common.js';

/** uia §3.1. */
export const THREEPID_ADD_DESCRIPTION = 'add a third-party identifier to your account';

/** A validated `threepid_validation_session` row (models/stores/threepid-validation-table.ts). */
interface ValidatedSession {
  readonly medium: string;
  readonly address: string;
  readonly validatedAtMs: number | null;
}

/**
 * `POST /account/3pid/add` (`ThreepidAddRestServlet`, uia §3.1): always prompts (uia §2.12). After
 * UIA the (sid, client_secret) validation session must have been validated through the emailed
 * link, else 400 M_THREEPID_AUTH_FAILED (uia §4.4 test_cant_add_email_without_clicking_link).
 */
export function* handleThreepidAdd(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  if (request.method !== 'POST') return methodNotAllowed();
  const requester = yield* authenticate(ctx, request);
  if (!isRequester(requester)) return requester;
  const body = jsonObject(request);
  if (body === undefined) return notJson();
  const clientSecret = body['client_secret'];
  const sid = body['sid'];
  if (typeof clientSecret !== 'string' || typeof sid !== 'string') {
    const missing = [typeof clientSecret === 'string' ? '' : 'client_secret', typeof sid === 'string' ? '' : 'sid'].filter((m) => m !== '');
    // 1.8-1.13: assert_params_in_dict; head: the pydantic body model (M_BAD_JSON).
    return ctx.profile.bodyValidation === 'pydantic' ? httpResponse(400, matrixError('M_BAD_JSON', `${missing.join(', ')}: field required`)) : missingParams(missing);
  }
  const validated = yield* validateUserViaUiAuth(ctx, requester, request, body, THREEPID_ADD_DESCRIPTION, false);
  if (validated.kind === 'respond') return validated.response;

  // `validate_threepid_session(client_secret, sid)`: a validated row, or nothing.
  const session = yield* call<ValidatedSession | undefined>(ctx.database, { op: 'threepid.getValidated', medium: 'email', sid, clientSecret });
  if (session === undefined || session.validatedAtMs === null) {
    return httpResponse(400, matrixError('M_THREEPID_AUTH_FAILED', 'No validated 3pid session found'));
  }
  const added = yield* accountsCall<boolean>(ctx, {
    op: 'accounts.addThreepid',
    userId: requester.userId,
    threepid: { medium: session.medium, address: session.address, validatedAtMs: session.validatedAtMs },
  });
  if (!added) return httpResponse(400, matrixError('M_THREEPID_IN_USE', 'Third-party identifier already in use'));
  operationFact(ctx, validated.sessionId, request, requester.userId, validated.authenticatedUser);
  return httpResponse(200, {});
}
