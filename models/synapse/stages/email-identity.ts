import { call, type Task } from '../../../src/effects.js';
import type { AuthDict } from '../../matrix/protocol.js';
import type { ThreepidValidationCommand, ThreepidValidationRow } from '../../stores/threepid-validation-table.js';
import type { SynapseConfig } from '../config.js';
import type { SynapseContext } from '../context.js';
import type { ProfileName } from '../profile.js';
import { loginError, passed, synapseError, type StageVerdict } from './types.js';

/** What the stage stores (ref 1.5). */
export interface ValidatedThreepid {
  readonly medium: string;
  readonly address: string;
  readonly validated_at: number;
  readonly threepid_creds: unknown;
}

function* threepid<T>(ctx: SynapseContext, command: ThreepidValidationCommand): Task<T> {
  return yield* call<T>(ctx.database, command);
}

/**
 * `EmailIdentityAuthChecker` (`_BaseThreepidAuthChecker._check_threepid`, ref 1.5): looks up the
 * validated `threepid_validation_session` row of `threepid_creds` {sid, client_secret},
 * **deletes it on success** (so the same creds pass only once), and stores
 * {medium, address, validated_at, threepid_creds}. A row not (yet) validated is LoginError 401
 * M_UNAUTHORIZED: the link has to be followed first, out of band (email/validate.ts). The stage
 * completes only when the creds are submitted: `{session}` alone after clicking the link does
 * not complete it (ref 5, #7512).
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

/**
 * ref 2.2 step 4, 2.3 (#9265, v1.27): before v1.27 `check_auth` re-raised the email stage's
 * LoginError instead of merging it into the 401 (an old Riot workaround), so the 401 had no
 * flows and registration's hash-storing handler never ran (#9263). Per profile: 1.8 to 1.13 have
 * it, head does not.
 */
export const EMAIL_LOGIN_ERROR_RERAISED: Readonly<Record<ProfileName, boolean>> = { '1.8': true, '1.12': true, '1.13': true, head: false };
