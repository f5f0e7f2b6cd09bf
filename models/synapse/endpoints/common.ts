import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import { matrixError } from '../../matrix/protocol.js';
import { requestUri } from '../auth.js';
import type { SynapseContext } from '../context.js';
import { FACTS } from '../facts.js';

/** The JSON object body, or undefined when the body is not a JSON object (Synapse's
 * `parse_json_object_from_request` raises M_NOT_JSON; device deletion treats that as `{}`). */
export function jsonObject(request: HttpRequest): Record<string, unknown> | undefined {
  const body = request.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

export function notJson(): HttpResponse {
  return httpResponse(400, matrixError('M_NOT_JSON', 'Content not JSON.'));
}

/** No servlet for the path: 400 up to v1.66 at least, 404 today (Profile.unrecognizedStatus). */
export function unrecognized(status: 400 | 404): HttpResponse {
  return httpResponse(status, matrixError('M_UNRECOGNIZED', 'Unrecognized request'));
}

export function methodNotAllowed(): HttpResponse {
  return httpResponse(405, matrixError('M_UNRECOGNIZED', 'Unrecognized request'));
}

/** `SynapseError(400, "Missing params: ...", M_MISSING_PARAM)` (`assert_params_in_dict`). */
export function missingParams(names: readonly string[]): HttpResponse {
  return httpResponse(400, matrixError('M_MISSING_PARAM', `Missing params: ${names.join(', ')}`));
}

/** The `operation` fact (facts.ts): the endpoint ran its operation; tags [requester (or '' for
 * none), authenticated user]. `sessionId` is '' when UIA was skipped or exempt. */
export function operationFact(ctx: SynapseContext, sessionId: string | undefined, request: HttpRequest, requester: string, authenticated: string): void {
  ctx.fact(FACTS.operation, sessionId ?? '', `${request.method} ${requestUri(request)}`, [requester, authenticated]);
}

export const OK_EMPTY: unknown = {};
