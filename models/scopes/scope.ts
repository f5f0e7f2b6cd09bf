import type { ClientSpec } from '../clients/workload.js';
import type { ProfileName } from '../synapse/profile.js';

/**
 * A scope of exhaustive exploration (docs/explore.md): the clients and their scripts, the faults
 * the explorer may place anywhere, and the bounds. Everything a random `check` draws (the
 * schedule, where a fault falls) is enumerated instead; everything else is fixed here.
 */
export interface Scope {
  readonly name: string;
  readonly summary: string;
  /** Each client's script, as in a case's workload. */
  readonly clients: readonly ClientSpec[];
  readonly faults: ScopeFaults;
  readonly bounds: ScopeBounds;
  /** The Synapse profile when not the strategy's. */
  readonly profile?: ProfileName;
  /** Seeds the data streams (session IDs, tokens); one value, not explored. */
  readonly seed: number;
}

export interface ScopeFaults {
  /** At most this many crashes of a process (each restarts `downMs` later), at any step. */
  readonly restarts: number;
  /** Which processes may crash (`main`, `reader1`, `reader2`, `db`, `store`, `captcha`). */
  readonly processes: readonly string[];
  readonly downMs: number;
  /** At most this many responses to a client-side actor lost (the client times out). */
  readonly lostResponses: number;
}

export interface ScopeBounds {
  /** Deeper than this many decisions a path goes on in the natural order, without branching. */
  readonly maxDecisions: number;
  /** A timer due within this many ms of now may fire before the deliveries in flight. */
  readonly raceWindowMs: number;
}

export const NO_SCOPE_FAULTS: ScopeFaults = { restarts: 0, processes: [], downMs: 1_000, lostResponses: 0 };
/** One network hop's worst latency (models/topologies/synapse-workers.ts NETWORK). */
export const DEFAULT_RACE_WINDOW_MS = 20;
export const DEFAULT_BOUNDS: ScopeBounds = { maxDecisions: 200, raceWindowMs: DEFAULT_RACE_WINDOW_MS };

/** A scope's client when it says no more than its actions: scripted (no retries, no thinking),
 * keeping its session, a 30 s request timeout. The built-in scopes and scope files share it. */
export const SCOPE_CLIENT_DEFAULTS = { adoptsNewSession: false, retries: 0, requestTimeoutMs: 30_000, thinkMs: 0 } as const;
