import { call, type Task } from '../../../src/effects.js';
import { queryParam } from '../query.js';
import { httpResponse, type HttpRequest, type HttpResponse } from '../../../src/http.js';
import type { FallbackPage } from '../../matrix/protocol.js';
import type { ThreepidValidateResult } from '../../stores/threepid-validation-table.js';
import type { SynapseContext } from '../context.js';

/** What the emailed link's page is called in observations (`page:email-validated`). */
export const EMAIL_VALIDATED = 'email-validated';

/**
 * The emailed link, `GET /_synapse/client/email/validate?sid=..&client_secret=..&token=..`
 * (`validate_threepid_session`): marks the validation session validated. It completes no UIA
 * stage and is about no UIA session: the client must still submit `threepid_creds` (uia §1.5,
 * uia §5 #7512), so the page shows no stage. A bad link renders the failure page (400).
 */
export function* handleEmailValidate(ctx: SynapseContext, request: HttpRequest): Task<HttpResponse> {
  const sid = queryParam(request.query, 'sid');
  const clientSecret = queryParam(request.query, 'client_secret');
  const token = queryParam(request.query, 'token');
  if (sid === undefined || clientSecret === undefined || token === undefined) return failed('Missing sid, client_secret or token');
  const result = yield* call<ThreepidValidateResult>(ctx.database, { op: 'threepid.validate', sid, clientSecret, token, nowMs: ctx.nowMs() });
  if (!result.ok) return failed(result.error);
  const body: FallbackPage = { page: EMAIL_VALIDATED, stage: '', session: '' };
  return httpResponse(200, body);
}

function failed(error: string): HttpResponse {
  const body: FallbackPage = { page: 'email-failed', stage: '', session: '', error };
  return httpResponse(400, body);
}
