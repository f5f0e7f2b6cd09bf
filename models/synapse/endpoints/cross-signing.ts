import type { Task } from '../../../src/effects.js';
import { canonicalJson } from '../../../src/run/token.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import { accountsCall } from '../accounts.js';
import type { SynapseContext } from '../context.js';
import { authenticate, isRequester, validateUserViaUiAuth } from '../validate-user.js';
import { jsonObject, methodNotAllowed, notJson, operationFact } from './common.js';

/** uia §3.1. */
export const CROSS_SIGNING_DESCRIPTION = 'reset the device signing key on your account';

const KEY_TYPES = ['master_key', 'self_signing_key', 'user_signing_key'] as const;

/**
 * `POST /keys/device_signing/upload` (`SigningKeyUploadServlet`, uia §3.1): always prompts, except
 * (MSC3967, v1.79, uia §1.5, §4.5) when the user has no master key yet, and an identical re-upload
 * is a 200 no-op; replacing a key or adding one needs UIA.
 */
export function* handleCrossSigningUpload(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  if (request.method !== 'POST') return methodNotAllowed();
  const requester = yield* authenticate(ctx, request);
  if (!isRequester(requester)) return requester;
  const body = jsonObject(request);
  if (body === undefined) return notJson();
  const uploaded: Record<string, string> = {};
  for (const type of KEY_TYPES) if (body[type] !== undefined) uploaded[type] = canonicalJson(body[type]);

  let exempt = false;
  if (ctx.profile.crossSigningFirstUploadExempt) {
    const existing = yield* accountsCall<Readonly<Record<string, string>>>(ctx, { op: 'accounts.crossSigningKeys', userId: requester.userId });
    // "Resending exactly the same keys should just 200 OK without doing a UIA prompt": a no-op,
    // no operation runs.
    if (Object.keys(uploaded).every((type) => existing[type] === uploaded[type])) return httpResponse(200, {});
    // First-time setup (no master key yet) needs no UIA (MSC3967).
    exempt = existing['master_key'] === undefined;
  }
  let sessionId: string | undefined;
  let authenticated = requester.userId;
  if (!exempt) {
    const validated = yield* validateUserViaUiAuth(ctx, requester, request, body, CROSS_SIGNING_DESCRIPTION, false);
    if (validated.kind === 'respond') return validated.response;
    sessionId = validated.sessionId;
    authenticated = validated.authenticatedUser;
  }
  yield* accountsCall<boolean>(ctx, { op: 'accounts.setCrossSigningKeys', userId: requester.userId, keys: uploaded });
  operationFact(ctx, sessionId, request, requester.userId, authenticated);
  return httpResponse(200, {});
}
