import type { HttpResponse } from './http.js';

/**
 * What a handler or store method yields. Each yield is a point where other events interleave;
 * code that does not yield (a process-local memory store, as in Synapse 1.8) runs atomically.
 */
export type Effect =
  /** A round trip to a service node (a SQL transaction, a Redis command, an internal RPC). */
  | { readonly kind: 'call'; readonly to: number; readonly command: unknown }
  /** CPU-bound work (password hashing) that occupies the process for `ms`. */
  | { readonly kind: 'cpu'; readonly ms: number }
  /** Waiting without holding the CPU. */
  | { readonly kind: 'sleep'; readonly ms: number }
  /** A one-way message to another node, `delayMs` on top of the network's latency (a
   * replication stream's lag); the task goes on at once. */
  | { readonly kind: 'notify'; readonly to: number; readonly payload: unknown; readonly delayMs: number };

/** A running piece of work in a process: an HTTP handler returns a response, a background
 * task returns nothing. The value sent back into the generator is the effect's result. */
export type Task<R> = Generator<Effect, R, unknown>;
export type HttpHandler = Task<HttpResponse>;
export type BackgroundTask = Task<void>;

/** What a `call` effect resumes with when the service is down or the link is cut. A global
 * symbol: a plug-in loaded through tsx gets its own copy of this module, and must agree. */
export const UNAVAILABLE: unique symbol = Symbol.for('uia-sim.unavailable') as typeof UNAVAILABLE;

/** Brands that survive a second copy of this module (plug-ins loaded through tsx). */
const UNAVAILABLE_BRAND = Symbol.for('uia-sim.BackendUnavailableError');
const HTTP_ERROR_BRAND = Symbol.for('uia-sim.HttpError');

/** Thrown (by model helpers) when a backend call came back UNAVAILABLE; the process turns it
 * into a 500 response, as Synapse does when its database connection fails. */
export class BackendUnavailableError extends Error {
  readonly [UNAVAILABLE_BRAND] = true;
  constructor(readonly target: number) {
    super(`backend node ${target} unavailable`);
  }
}

export function isBackendUnavailable(error: unknown): error is BackendUnavailableError {
  return typeof error === 'object' && error !== null && UNAVAILABLE_BRAND in error;
}

export function isHttpError(error: unknown): error is HttpError {
  return typeof error === 'object' && error !== null && HTTP_ERROR_BRAND in error;
}

/** An error with an HTTP answer, thrown from deep inside a handler (Synapse's SynapseError,
 * e.g. a StoreError 500): the process answers the request with it. */
export class HttpError extends Error {
  readonly [HTTP_ERROR_BRAND] = true;
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Yields one backend call and returns its result, throwing BackendUnavailableError when the
 * service could not be reached. */
export function* call<T>(to: number, command: unknown): Task<T> {
  return callResult<T>(yield callEffect(to, command), to);
}

/** The effect `call` yields, for hot code that yields it itself (`callResult<T>(yield
 * callEffect(to, command), to)`) instead of delegating to `call`: a generator object fewer per
 * backend call, and one level less that every resume passes through. */
export function callEffect(to: number, command: unknown): Effect {
  return { kind: 'call', to, command };
}

/** What `call` returns for the result a call effect was resumed with: throws
 * BackendUnavailableError when the service could not be reached. */
export function callResult<T>(result: unknown, to: number): T {
  if (result === UNAVAILABLE) throw new BackendUnavailableError(to);
  return result as T;
}

export function* cpu(ms: number): Task<void> {
  yield { kind: 'cpu', ms };
}

export function* sleep(ms: number): Task<void> {
  yield { kind: 'sleep', ms };
}

export function* notify(to: number, payload: unknown, delayMs: number): Task<void> {
  yield { kind: 'notify', to, payload, delayMs };
}
