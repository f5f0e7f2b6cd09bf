import type { Task } from '../../../src/effects.js';
import type { AuthDict, UserIdentifier } from '../../matrix/protocol.js';
import { accountsCall, getUser, verifyPassword } from '../accounts.js';
import type { SynapseConfig } from '../config.js';
import type { SynapseContext } from '../context.js';
import { loginError, passed, synapseError, type StageVerdict } from './types.js';

/** HEAD's wording (uia §2.13). */
export const INVALID_PASSWORD = 'Invalid username or password';

/**
 * `m.login.password` (uia §1.5): no checker class; `_check_auth_dict` falls back to
 * `validate_login(authdict, is_reauth=True)` (uia §2.4 step 6). The result is the canonical user
 * ID; binding it to the requester is `validate_user_via_ui_auth`'s job (uia §2.5: 403 "Invalid
 * auth"). Verifying the hash is bcrypt: a `cpu` effect that occupies the process (and it is
 * skipped for an unknown user, as in Synapse). No rate limiting here: `validate_login` runs with
 * `ratelimit=False` for re-auth.
 */
export function* checkPassword(ctx: SynapseContext, config: SynapseConfig, auth: AuthDict): Task<StageVerdict> {
  // validate_login: password re-auth must be enabled, and the password a string.
  if (config.passwordConfig.enabled === false) throw synapseError(400, 'M_UNKNOWN', 'Password login has been disabled.');
  if (typeof auth.password !== 'string') throw synapseError(400, 'M_INVALID_PARAM', 'Bad parameter: password');
  const identifier = identifierOf(auth);
  const username = yield* usernameOf(ctx, identifier);
  if (username === undefined) return loginError(403, 'M_FORBIDDEN', INVALID_PASSWORD);
  const userId = username.startsWith('@') ? username : `@${username}:${ctx.serverName}`;
  // Without the local database there is no password login type at all.
  if (!config.passwordConfig.localdbEnabled) throw synapseError(400, 'M_UNKNOWN', 'Unknown login type m.login.password');
  // _check_local_password: unknown user -> no hash check; a null hash of a deactivated user
  // is UserDeactivatedError (a plain 403); otherwise bcrypt.
  const user = yield* getUser(ctx, userId);
  if (user === undefined) return loginError(403, 'M_FORBIDDEN', INVALID_PASSWORD);
  if (user.passwordHash === null && user.deactivated) throw synapseError(403, 'M_USER_DEACTIVATED', 'This account has been deactivated');
  if (!(yield* verifyPassword(auth.password, user.passwordHash))) return loginError(403, 'M_FORBIDDEN', INVALID_PASSWORD);
  return passed(userId);
}

/**
 * `convert_client_dict_legacy_fields_to_identifier`: a legacy top-level `user` becomes an
 * `m.id.user` identifier (uia §4.1 test_grandfathered_identifier); otherwise `identifier` must be
 * a dict with a `type`.
 */
export function identifierOf(auth: AuthDict): UserIdentifier {
  if (auth.user !== undefined) return { type: 'm.id.user', user: auth.user };
  const identifier = auth.identifier;
  if (identifier === undefined || identifier === null) throw synapseError(400, 'M_UNKNOWN', "Missing param 'identifier'");
  if (typeof identifier !== 'object' || Array.isArray(identifier)) throw synapseError(400, 'M_BAD_JSON', "'identifier' must be a dict");
  if (identifier.type === undefined) throw synapseError(400, 'M_MISSING_PARAM', "'identifier' dict has no key 'type'");
  return identifier;
}

/**
 * The identifier as a username (localpart or full user ID): `m.id.phone` becomes a thirdparty
 * msisdn, `m.id.thirdparty` is looked up in `user_threepids` (unknown -> the LoginError, as
 * undefined here), `m.id.user` gives its `user`. Anything else is a plain 400.
 */
function* usernameOf(ctx: SynapseContext, identifier: UserIdentifier): Task<string | undefined> {
  let id = identifier;
  if (id.type === 'm.id.phone') id = { type: 'm.id.thirdparty', medium: 'msisdn', address: msisdnOf(id) };
  if (id.type === 'm.id.thirdparty') {
    if (typeof id.medium !== 'string' || typeof id.address !== 'string') throw synapseError(400, 'M_UNKNOWN', 'Invalid thirdparty identifier');
    // Email addresses are stored canonicalised (lower case).
    const address = id.medium === 'email' ? id.address.trim().toLowerCase() : id.address;
    return yield* accountsCall<string | undefined>(ctx, { op: 'accounts.userByThreepid', medium: id.medium, address });
  }
  if (id.type !== 'm.id.user') throw synapseError(400, 'M_UNKNOWN', 'Unknown login identifier type');
  if (typeof id.user !== 'string' || id.user === '') throw synapseError(400, 'M_UNKNOWN', "User identifier is missing 'user' key");
  return id.user;
}

/** Calling codes of the few countries the model knows (libphonenumber stands behind Synapse's
 * `phone_number_to_msisdn`). */
const CALLING_CODES: Readonly<Record<string, string>> = { GB: '44', US: '1', FR: '33', DE: '49' };

/** `login_id_phone_to_thirdparty` + `phone_number_to_msisdn`: E.164 digits without the `+`. */
export function msisdnOf(identifier: UserIdentifier): string {
  const { country, phone } = identifier;
  if (typeof country !== 'string' || typeof phone !== 'string') throw synapseError(400, 'M_MISSING_PARAM', 'Invalid phone-type identifier');
  const code = CALLING_CODES[country.toUpperCase()];
  const digits = phone.replace(/[^0-9]/g, '');
  if (code === undefined || digits === '') throw synapseError(400, 'M_INVALID_PARAM', 'Unable to parse phone number');
  return `${code}${digits.replace(/^0+/, '')}`;
}
