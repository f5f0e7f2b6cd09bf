import type { Task } from '../../../src/effects.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import { matrixError } from '../../matrix/protocol.js';
import { accountsCall } from '../accounts.js';
import type { SynapseContext } from '../context.js';
import { authenticate, isRequester, validateUserViaUiAuth } from '../validate-user.js';
import { jsonObject, methodNotAllowed, operationFact } from './common.js';

/** uia §3.1. */
export const DEVICE_DELETE_DESCRIPTION = 'remove a device from your account';

/**
 * `DELETE /devices/{deviceId}` (`DeviceRestServlet.on_DELETE`, uia §3.1): UIA with
 * `can_skip_ui_auth` (uia §2.12). The device ID is in the URI, so it is part of what the session
 * is bound to: finishing on another device's URI is 403 (uia §2.9, test_cannot_change_uri).
 * Deleting a device that does not exist succeeds (`delete_devices` ignores it). `GET` answers
 * 404 once the device is gone (Complement, uia §4.5).
 */
export function* handleDevice(ctx: SynapseContext, request: HttpRequest, deviceId: string): Task<HttpResponse> {
  if (request.method !== 'DELETE' && request.method !== 'GET') return methodNotAllowed();
  const requester = yield* authenticate(ctx, request);
  if (!isRequester(requester)) return requester;
  if (request.method === 'GET') {
    const devices = yield* accountsCall<readonly string[]>(ctx, { op: 'accounts.listDevices', userId: requester.userId });
    return devices.includes(deviceId)
      ? httpResponse(200, { device_id: deviceId, user_id: requester.userId })
      : httpResponse(404, matrixError('M_NOT_FOUND', 'No device found'));
  }
  // "deal with older clients which didn't pass a JSON dict the same as those that pass an empty dict"
  const body = jsonObject(request) ?? {};
  const validated = yield* validateUserViaUiAuth(ctx, requester, request, body, DEVICE_DELETE_DESCRIPTION, true);
  if (validated.kind === 'respond') return validated.response;
  yield* accountsCall<readonly string[]>(ctx, { op: 'accounts.deleteDevices', userId: requester.userId, deviceIds: [deviceId] });
  operationFact(ctx, validated.sessionId, request, requester.userId, validated.authenticatedUser);
  return httpResponse(200, {});
}
