import { existsSync, readFileSync } from 'node:fs';
import { CaseFormatError, decodeTokenPayload, type TokenPayload } from '../../models/case-codec.js';
import { FailureFileError, parseFailureFile, type FailureFile } from '../run/failure-file.js';
import { decodeToken, TOKEN_PREFIX, TokenError } from '../run/token.js';
import { UsageError } from './usage.js';

/** What `replay` and `regress` take: a replay token, or a failure file saved by --save-failures. */
export interface ReplayInput {
  readonly token: string;
  readonly payload: TokenPayload;
  /** The failure file it came from, when it came from one. */
  readonly failure: FailureFile | null;
}

export function readReplayInput(arg: string): ReplayInput {
  if (arg.trim().startsWith(`${TOKEN_PREFIX}.`)) return { token: arg, payload: decodeTokenPayload(decodeToken(arg)), failure: null };
  if (!existsSync(arg)) throw new UsageError(`'${abbreviate(arg)}' is neither a replay token (${TOKEN_PREFIX}.<data>.<checksum>) nor a failure file`);
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${arg}: ${error instanceof Error ? error.message : String(error)}`);
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
