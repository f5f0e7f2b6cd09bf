import { existsSync, readFileSync } from 'node:fs';
import { CaseFormatError, decodeTokenPayload, type TokenPayload } from '../../models/case-codec.js';
import { EXPLORE_FAULT_PROFILE } from '../../properties/explore.js';
import { FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { FailureFileError, parseFailureFile, type FailureFile } from '../run/failure-file.js';
import { decodeToken, TOKEN_PREFIX, TokenError } from '../run/token.js';
import { UsageError } from './usage.js';
import { messageOf } from '../error-message.js';

/** What `replay` and `regress` take: a replay token, or a failure file saved by --save-failures. */
export interface ReplayInput {
  readonly token: string;
  readonly payload: TokenPayload;
  /** The failure file it came from, when it came from one. */
  readonly failure: FailureFile | null;
}

export function readReplayInput(arg: string): ReplayInput {
  const input = readInput(arg);
  // The label is printed, and names the cell a regression test is for; the faults themselves are
  // the case's. A label this uiasim never writes is a token edited by hand: bad input, not a run.
  const label = input.payload.case.faultProfile;
  if (!FAULT_PROFILE_LABELS.includes(label)) throw new UsageError(`the token's case names fault profile '${abbreviate(label)}', which uiasim never writes; valid labels: ${FAULT_PROFILE_LABELS.join(', ')}`);
  return input;
}

/** The fault-profile labels a case can carry: check's and compare's profiles, and the explorer's. */
const FAULT_PROFILE_LABELS: readonly string[] = [...FAULT_PROFILES.map((f) => f.name), EXPLORE_FAULT_PROFILE];

function readInput(arg: string): ReplayInput {
  if (arg.trim().startsWith(`${TOKEN_PREFIX}.`)) return { token: arg, payload: decodeTokenPayload(decodeToken(arg)), failure: null };
  if (!existsSync(arg)) throw new UsageError(`'${abbreviate(arg)}' is neither a replay token (${TOKEN_PREFIX}.<data>.<checksum>) nor a failure file`);
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${arg}: ${messageOf(error)}`);
  }
  const failure = parseFailureFile(text, arg);
  let payload: TokenPayload;
  try {
    payload = decodeTokenPayload(decodeToken(failure.token));
  } catch (error) {
    if (error instanceof TokenError || error instanceof CaseFormatError) throw new FailureFileError(`${arg}: field token: ${error.message}`);
    throw error;
  }
  // The readable fields must tell the token's story; an edited file names the field that lies.
  const agree: [keyof FailureFile, string][] = [
    ['strategy', payload.case.strategy],
    ['profile', payload.case.profile],
    ['faultProfile', payload.case.faultProfile],
    ['property', payload.property],
    ['traceHash', payload.traceHash],
  ];
  for (const [field, fromToken] of agree) {
    if (failure[field] !== fromToken) throw new FailureFileError(`${arg}: field ${field}: ${JSON.stringify(failure[field])} does not match the case in its token (${JSON.stringify(fromToken)})`);
  }
  return { token: failure.token, payload, failure };
}

function abbreviate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
