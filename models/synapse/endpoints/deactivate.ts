import type { Task } from '../../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import { matrixError } from '../../matrix/protocol.js';
import { accountsCall } from '../accounts.js';
import type { SynapseContext } from '../context.js';
import { authenticate, isRequester, validateUserViaUiAuth } from '../validate-user.js';
import { jsonObject, methodNotAllowed, notJson, operationFact } from './common.js';

/** uia §3.1. */
export const DEACTIVATE_DESCRIPTION = 'deactivate your account';

/**
 * `POST /account/deactivate` (`DeactivateAccountRestServlet`, uia §3.1): always prompts (ref
 * 2.12). Deactivation deletes the user's devices and access tokens, so a retry of a final
 * request whose response was lost gets 401 M_UNKNOWN_TOKEN, not a second deactivation.
 */
export function* handleDeactivate(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  if (request.method !== 'POST') return methodNotAllowed();
  const body = jsonObject(request);
  if (body === undefined) return notJson();
  const erase = body['erase'];
  if (erase !== undefined && typeof erase !== 'boolean') return httpResponse(400, matrixError('M_BAD_JSON', "Param 'erase' must be a boolean, if given"));
  const requester = yield* authenticate(ctx, request);
  if (!isRequester(requester)) return requester;
  const validated = yield* validateUserViaUiAuth(ctx, requester, request, body, DEACTIVATE_DESCRIPTION, false);
  if (validated.kind === 'respond') return validated.response;
  yield* accountsCall<boolean>(ctx, { op: 'accounts.deactivate', userId: requester.userId });
  operationFact(ctx, validated.sessionId, request, requester.userId, validated.authenticatedUser);
  // No identity server is involved: unbinding "succeeds" trivially.
  return httpResponse(200, { id_server_unbind_result: 'success' });
}
