import { HttpError } from '../../../src/effects.js';
import { matrixError } from '../../matrix/protocol.js';

/**
 * A checker's verdict (uia §2.4 step 6): a truthy result to store, or a `LoginError` whose
 * errcode and error are merged into the 401 (uia §1.2; its own status only matters where it
 * escapes: the fallback form, uia §2.6, and 1.8's email re-raise, uia §2.2). Errors that are not
 * about auth (Synapse's plain SynapseError) are thrown as HttpError: a bare response, no UIA
 * fields (uia §1.2).
 */
export type StageVerdict = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly loginError: LoginError };

export interface LoginError {
  readonly status: number;
  readonly errcode: string;
  readonly error: string;
}

export function passed(result: unknown): StageVerdict {
  return { ok: true, result };
}

export function loginError(status: number, errcode: string, error: string): StageVerdict {
  return { ok: false, loginError: { status, errcode, error } };
}

/** A plain SynapseError: the request fails with it (uia §1.2, §2.4 step 6). */
export function synapseError(status: number, errcode: string, error: string): HttpError {
  return new HttpError(status, matrixError(errcode, error));
}
