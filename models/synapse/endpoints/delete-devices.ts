import type { Task } from '../../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import { matrixError } from '../../matrix/protocol.js';
import { accountsCall } from '../accounts.js';
import type { SynapseContext } from '../context.js';
import { authenticate, isRequester, validateUserViaUiAuth } from '../validate-user.js';
import { jsonObject, methodNotAllowed, missingParams, operationFact } from './common.js';

/** uia §3.1: the description shown on the SSO confirmation page. */
export const DELETE_DEVICES_DESCRIPTION = 'remove device(s) from your account';

/**
 * `POST /delete_devices` (`DeleteDevicesRestServlet`, uia §3.1): UIA with `can_skip_ui_auth`
 * (uia §2.12). The devices come from the *current* body, not the session's stored params, so the
 * final request decides which devices go (uia §2.4, §2.9; #8968, test_can_change_body).
 */
export function* handleDeleteDevices(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  if (request.method !== 'POST') return methodNotAllowed();
  const requester = yield* authenticate(ctx, request);
  if (!isRequester(requester)) return requester;
  // Older clients sent no JSON: treated as {} (then `devices` is missing).
  const body = jsonObject(request) ?? {};
  const devices = body['devices'];
  if (!Array.isArray(devices) || !devices.every((d): d is string => typeof d === 'string')) {
    // 1.8-1.13 `assert_params_in_dict(body, ["devices"])`; head validates the body model
    // (pydantic) first: 400 M_BAD_JSON (profile switch bodyValidation).
    return ctx.profile.bodyValidation === 'pydantic' ? httpResponse(400, matrixError('M_BAD_JSON', 'devices: field required')) : missingParams(['devices']);
  }
  const validated = yield* validateUserViaUiAuth(ctx, requester, request, body, DELETE_DEVICES_DESCRIPTION, true);
  if (validated.kind === 'respond') return validated.response;
  yield* accountsCall<readonly string[]>(ctx, { op: 'accounts.deleteDevices', userId: requester.userId, deviceIds: devices });
  operationFact(ctx, validated.sessionId, request, requester.userId, validated.authenticatedUser);
  return httpResponse(200, {});
}
