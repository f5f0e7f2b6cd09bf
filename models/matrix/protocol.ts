/** The Matrix client-server shapes the simulator exchanges (ref 1.2-1.5). */

export const STAGES = ['m.login.dummy', 'm.login.recaptcha', 'm.login.terms'] as const;
export type StageType = (typeof STAGES)[number];

export function isStageType(value: unknown): value is StageType {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** Stages that a fallback web page can complete (ref 2.6; sso and the token form come later). */
export const FALLBACK_STAGES = ['m.login.recaptcha', 'm.login.terms'] as const satisfies readonly StageType[];
export type FallbackStage = (typeof FALLBACK_STAGES)[number];

export interface Flow {
  readonly stages: readonly StageType[];
}

/** The `auth` object of a request body (ref 1.3). */
export interface AuthDict {
  readonly type?: string;
  readonly session?: string;
  readonly response?: string;
}

/** The 401 body (ref 1.2, 2.4 step 5 and 7). `completed` appears once an auth dict was sent. */
export interface UiaChallenge {
  readonly session: string;
  readonly flows: readonly Flow[];
  readonly params: Readonly<Record<string, unknown>>;
  readonly completed?: readonly string[];
  readonly errcode?: string;
  readonly error?: string;
}

export interface MatrixErrorBody {
  readonly errcode: string;
  readonly error: string;
}

export interface RegisterSuccess {
  readonly user_id: string;
  readonly access_token: string;
  readonly device_id: string;
}

/** A fallback page (ref 1.4, 2.6): the stage's form, or the success page whose script calls
 * `window.onAuthDone()`. */
export interface FallbackPage {
  readonly page: 'form' | 'success';
  readonly stage: string;
  readonly session: string;
  readonly error?: string;
}

export const CLIENT_PREFIX = '/_matrix/client/r0';
export const REGISTER_PATH = `${CLIENT_PREFIX}/register`;

export function fallbackPath(stage: string): string {
  return `${CLIENT_PREFIX}/auth/${stage}/fallback/web`;
}

/** Path patterns as Synapse registers them (ref 2.1), any client-API version prefix. */
export const REGISTER_PATTERN = '^/_matrix/client/(r0|v3|unstable)/register$';
export const FALLBACK_PATTERN = '^/_matrix/client/(r0|v3|unstable)/auth/([\\w.]*)/fallback/web$';

export function matrixError(errcode: string, error: string): MatrixErrorBody {
  return { errcode, error };
}
