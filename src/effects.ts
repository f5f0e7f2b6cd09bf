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
 * into a 500 response, as Synapse does when its database connection fails. It is thrown on
 * every failed round trip under faults and always caught, so it captures no stack frames
 * (capturing them was 1.5% of a faulted `check`); its message names the node. */
export class BackendUnavailableError extends Error {
  readonly [UNAVAILABLE_BRAND] = true;
  readonly target: number;
  constructor(target: number) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`backend node ${target} unavailable`);
    Error.stackTraceLimit = limit;
    this.target = target;
  }
}

export function isBackendUnavailable(error: unknown): error is BackendUnavailableError {
  return typeof error === 'object' && error !== null && UNAVAILABLE_BRAND in error;
}

export function isHttpError(error: unknown): error is HttpError {
  return typeof error === 'object' && error !== null && HTTP_ERROR_BRAND in error;
}

/** An error with an HTTP answer, thrown from deep inside a handler (Synapse's SynapseError,
 * e.g. a StoreError 500, a stage checker's LoginError): the process answers the request with it.
 * Thrown on ordinary paths (a wrong stage, a bad token) and always caught, so, like
 * BackendUnavailableError, it captures no stack frames (1.4% of `compare`). */
export class HttpError extends Error {
  readonly [HTTP_ERROR_BRAND] = true;
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`HTTP ${status}`);
    Error.stackTraceLimit = limit;
    this.status = status;
    this.body = body;
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

/** What a yielded value that is not an effect looks like, for a message naming it: the usual
 * slips are a bare `yield`, yielding a command instead of `yield* call(node, command)`, and
 * `yield call(...)` (a generator) where `yield* call(...)` was meant. */
export function describeYielded(value: unknown): string {
  if (value === undefined) return 'undefined (a bare `yield`)';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${abbreviate(JSON.stringify(value))}`;
  if (typeof value !== 'object') return `the ${typeof value} ${abbreviate(String(value))}`;
  const maybe = value as { next?: unknown; [Symbol.iterator]?: unknown };
  if (typeof maybe.next === 'function' && typeof maybe[Symbol.iterator] === 'function') return 'a generator (`yield call(...)` where `yield* call(...)` was meant)';
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return json === undefined ? 'an object that is not an effect' : `the object ${abbreviate(json)}`;
}

function abbreviate(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}

/** Null when `value` is an effect the driver can run; otherwise what is wrong with it. Checked
 * where a plug-in's yields enter the simulation (models/stores/checked-store.ts), so the engine's
 * own loop only pays for a tag it reads anyway. */
export function effectProblem(value: unknown): string | null {
  const effect = value as Partial<Record<string, unknown>> | null | undefined;
  if (typeof effect !== 'object' || effect === null) return describeYielded(value);
  switch (effect['kind']) {
    case 'call':
      return typeof effect['to'] === 'number' ? null : `a call effect whose \`to\` is ${describeYielded(effect['to'])}, not a node id`;
    case 'cpu':
    case 'sleep':
      return typeof effect['ms'] === 'number' && effect['ms'] >= 0 ? null : `a ${String(effect['kind'])} effect whose \`ms\` is ${describeYielded(effect['ms'])}, not a duration`;
    case 'notify':
      return typeof effect['to'] === 'number' && typeof effect['delayMs'] === 'number' ? null : 'a notify effect without a numeric `to` and `delayMs`';
    default:
      return describeYielded(value);
  }
}

/** A task yielded something the driver cannot run: the engine's rule that tasks yield effects. */
export class NotAnEffectError extends Error {}
