import { callEffect, callResult, type Task } from '../../../src/effects.js';
import type { AuthDict } from '../../matrix/protocol.js';
import type { ThreepidValidationCommand, ThreepidValidationRow } from '../../stores/threepid-validation-table.js';
import type { SynapseConfig } from '../config.js';
import type { SynapseContext } from '../context.js';
import { loginError, passed, synapseError, type StageVerdict } from './types.js';

/** What the stage stores (uia §1.5). */
export interface ValidatedThreepid {
  readonly medium: string;
  readonly address: string;
  readonly validated_at: number;
  readonly threepid_creds: unknown;
}

function* threepid<T>(ctx: SynapseContext, command: ThreepidValidationCommand): Task<T> {
  return callResult<T>(yield callEffect(ctx.database, command), ctx.database);
}

/**
 * `EmailIdentityAuthChecker` (`_BaseThreepidAuthChecker._check_threepid`, uia §1.5): looks up the
 * validated `threepid_validation_session` row of `threepid_creds` {sid, client_secret},
 * **deletes it on success** (so the same creds pass only once), and stores
 * {medium, address, validated_at, threepid_creds}. A row not (yet) validated is LoginError 401
 * M_UNAUTHORIZED: the link has to be followed first, out of band (email/validate.ts). The stage
 * completes only when the creds are submitted: `{session}` alone after clicking the link does
 * not complete it (uia §5, #7512).
 */
export function* checkEmailIdentity(ctx: SynapseContext, config: SynapseConfig, auth: AuthDict): Task<StageVerdict> {
  const creds = auth.threepid_creds;
  if (creds === undefined) return loginError(400, 'M_MISSING_PARAM', 'Missing threepid_creds');
  if (!config.email.enabled) throw synapseError(400, 'M_UNKNOWN', 'Email address verification is not enabled');
  // threepid_creds["client_secret"] / ["sid"]: a KeyError in Synapse, i.e. a 500.
  if (typeof creds !== 'object' || creds === null || typeof creds.client_secret !== 'string' || typeof creds.sid !== 'string') {
    throw synapseError(500, 'M_UNKNOWN', 'Internal server error');
  }
  const row = yield* threepid<ThreepidValidationRow | undefined>(ctx, { op: 'threepid.getValidated', medium: 'email', sid: creds.sid, clientSecret: creds.client_secret });
  if (row === undefined || row.validatedAtMs === null) return loginError(401, 'M_UNAUTHORIZED', 'Unable to get validated threepid');
  // Valid threepid returned: delete it from the db.
  yield* threepid<boolean>(ctx, { op: 'threepid.delete', sid: creds.sid });
  const result: ValidatedThreepid = { medium: row.medium, address: row.address, validated_at: row.validatedAtMs, threepid_creds: creds };
  return passed(result);
}
