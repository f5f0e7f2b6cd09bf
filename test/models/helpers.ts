import type { FactEvent } from '../../src/trace.js';
// Shared helpers for the model tests: drive a servlet or store generator by hand against a
// SynapseDatabase, build a SynapseContext for one process, and write small Cases for runCase.
import type { Effect, Task } from '../../src/effects.js';
import type { Fault } from '../../src/faults.js';
import type { HttpMethod, HttpRequest, HttpResponse } from '../../src/http.js';
import { Rng } from '../../src/rng.js';
import type { ClientAction, ClientSpec } from '../../models/clients/workload.js';
import { clientScript, TIMED_OUT, type ClientStep } from '../../models/clients/client-script.js';
import { REGISTER_PATH } from '../../models/matrix/protocol.js';
import type { SessionStore } from '../../models/stores/contract.js';
import { memoryStore } from '../../models/stores/memory.js';
import { sqlStore } from '../../models/stores/sql.js';
import type { SynapseContext } from '../../models/synapse/context.js';
import { SynapseDatabase } from '../../models/synapse/database.js';
import { DEFAULT_CONFIG, type SynapseConfig } from '../../models/synapse/config.js';
import { Ratelimiter } from '../../models/synapse/ratelimiter.js';
import { PROFILES, type ProfileName } from '../../models/synapse/profile.js';
import type { Case, RunResult } from '../../models/world.js';
import type { ObserveEvent } from '../../src/trace.js';

/** The node id our hand-driven contexts give the database. */
export const DB_NODE = 0;

export interface Driven<R> {
  readonly value: R;
  /** The backend commands the task issued, in order. */
  readonly commands: readonly unknown[];
  /** CPU time the task's `cpu` effects claimed (password hashing), in ms. */
  readonly cpuMs: number;
}

/**
 * Runs a task to completion, executing every `call` effect at once against `db` (so each
 * command is one atomic round trip, exactly as the database node would run it).
 */
export function drive<R>(task: Task<R>, db: SynapseDatabase, nowMs: () => number = () => 0): Driven<R> {
  const commands: unknown[] = [];
  let cpuMs = 0;
  let input: unknown = undefined;
  for (;;) {
    const step = task.next(input);
    if (step.done === true) return { value: step.value, commands, cpuMs };
    const effect: Effect = step.value;
    if (effect.kind === 'cpu') {
      cpuMs += effect.ms;
      input = undefined;
      continue;
    }
    if (effect.kind !== 'call') throw new Error(`drive: unexpected ${effect.kind} effect`);
    if (effect.to !== DB_NODE) throw new Error(`drive: a call to node ${effect.to}, not the database`);
    commands.push(effect.command);
    input = db.execute(effect.command, nowMs());
  }
}

/** The `op` of every command, for asserting the statement sequence. */
export function ops(commands: readonly unknown[]): string[] {
  return commands.map((c) => (c as { op: string }).op);
}

/** Two tasks interleaved one effect at a time (A, B, A, B, ...): a race on one database. */
export function interleave<A, B>(a: Task<A>, b: Task<B>, db: SynapseDatabase): { a: A; b: B } {
  let inA: unknown = undefined;
  let inB: unknown = undefined;
  let doneA: { value: A } | null = null;
  let doneB: { value: B } | null = null;
  while (doneA === null || doneB === null) {
    if (doneA === null) {
      const s = a.next(inA);
      if (s.done === true) doneA = { value: s.value };
      else inA = db.execute((s.value as Effect & { kind: 'call' }).command, 0);
    }
    if (doneB === null) {
      const s = b.next(inB);
      if (s.done === true) doneB = { value: s.value };
      else inB = db.execute((s.value as Effect & { kind: 'call' }).command, 0);
    }
  }
  return { a: doneA.value, b: doneB.value };
}

/** A virtual clock a test moves by hand. */
export class TestClock {
  ms = 0;
  readonly now = (): number => this.ms;
}

export interface Process {
  readonly ctx: SynapseContext;
  readonly store: SessionStore;
  readonly db: SynapseDatabase;
  readonly clock: TestClock;
  /** The server-side facts this process wrote (models/synapse/facts.ts). */
  readonly facts: FactEvent[];
  /** Runs a task of this process against the shared database. */
  run<R>(task: Task<R>): Driven<R>;
}

/**
 * One Synapse process incarnation for a profile: the 1.8 memory store (process-local) or the
 * 1.13 SQL store (in `db`). Session IDs come from this process's own stream (uia §2.4 step 2).
 */
export function processFor(
  profile: ProfileName,
  options: {
    readonly db?: SynapseDatabase;
    readonly clock?: TestClock;
    readonly label?: string;
    readonly newSessionId?: () => string;
    /** The homeserver config (DEFAULT_CONFIG when absent). */
    readonly config?: SynapseConfig;
  } = {},
): Process {
  const config = options.config ?? DEFAULT_CONFIG;
  const db = options.db ?? new SynapseDatabase();
  const clock = options.clock ?? new TestClock();
  const facts: FactEvent[] = [];
  const rng = new Rng(7, options.label ?? 'reader1#1');
  const definition = PROFILES[profile].sessionStorage === 'database' ? sqlStore : memoryStore;
  const store = definition.connect({
    newSessionId: options.newSessionId ?? (() => rng.letters(24)),
    nowMs: clock.now,
    serviceNode: definition.placement === 'process' ? -1 : DB_NODE,
  });
  const ctx: SynapseContext = {
    profile: PROFILES[profile],
    store,
    database: DB_NODE,
    processId: 2,
    rng,
    serverName: 'test',
    nowMs: clock.now,
    fact: (name, key, detail, tags = []) => facts.push({ kind: 'fact', atMs: clock.ms, node: 2, name, key, detail, tags }),
    config,
    failedUiaAttempts: new Ratelimiter(config.rcLoginFailedAttempts),
  };
  return { ctx, store, db, clock, facts, run: (task) => drive(task, db, clock.now) };
}

export const CLIENT_IP = '198.51.100.10';

export function request(method: HttpMethod, path: string, body: unknown, query = ''): HttpRequest {
  return { method, path, query, body, ip: CLIENT_IP, userAgent: 'nheko/0.7' };
}

export function register(body: unknown, query = ''): HttpRequest {
  return request('POST', REGISTER_PATH, body, query);
}

/** The JSON body of a response, typed loosely for assertions. */
export function bodyOf(response: HttpResponse): Record<string, unknown> {
  return response.body as Record<string, unknown>;
}

export function sessionOf(response: HttpResponse): string {
  const session = bodyOf(response)['session'];
  if (typeof session !== 'string') throw new Error(`no session in ${JSON.stringify(response.body)}`);
  return session;
}

// ---- Cases for runCase -------------------------------------------------------------------

export function client(actions: readonly ClientAction[], overrides: Partial<ClientSpec> = {}): ClientSpec {
  return { actions, adoptsNewSession: true, retries: 0, requestTimeoutMs: 30_000, thinkMs: 0, ...overrides };
}

export function caseOf(
  strategy: 'memory-1.8' | 'sql',
  clients: readonly ClientSpec[],
  faults: readonly Fault[] = [],
  seed = 1,
): Case {
  return {
    strategy,
    profile: strategy === 'sql' ? '1.13' : '1.8',
    faultProfile: faults.length === 0 ? 'steady' : 'any-restart',
    workload: { clients },
    faultPlan: { faults },
    tapes: { actors: clients.flatMap(() => [[], []]), shared: [] },
    seed,
  };
}

/** Runs a script by hand: `answer` gives the response to each HTTP step (spawned scripts are
 * run to completion at once, answered the same way). */
export function driveScript(spec: ClientSpec, answer: (step: Extract<ClientStep, { kind: 'http' }>, index: number) => HttpResponse): ClientStep[] {
  const steps: ClientStep[] = [];
  let requests = 0;
  const run = (gen: Generator<ClientStep, void, HttpResponse>): void => {
    let input: HttpResponse = TIMED_OUT;
    for (let next = gen.next(input); next.done !== true; next = gen.next(input)) {
      steps.push(next.value);
      if (next.value.kind === 'spawn') run(next.value.script);
      input = next.value.kind === 'http' ? answer(next.value, requests++) : TIMED_OUT;
      if (steps.length > 400) throw new Error('runaway script');
    }
  };
  run(clientScript(spec, 'usera', '198.51.100.10'));
  return steps;
}

export const START: ClientAction = { kind: 'start' };
export const RESUBMIT: ClientAction = { kind: 'resubmit' };
export const FALLBACK_RECAPTCHA: ClientAction = { kind: 'fallback', stage: 'm.login.recaptcha', loadsPage: false };
export const pause = (ms: number): ClientAction => ({ kind: 'pause', ms });
export const direct = (stage: 'm.login.dummy' | 'm.login.recaptcha' | 'm.login.terms'): ClientAction => ({ kind: 'direct', stage });

/** The responses of a run, with the name of the process that served each (or 'router'). */
export function responses(result: RunResult): (ObserveEvent & { readonly served: string })[] {
  return result.observations
    .filter((o) => o.phase === 'received')
    .map((o) => ({ ...o, served: o.servedBy < 0 ? 'router' : (result.nodeNames[o.servedBy] ?? `node ${o.servedBy}`) }));
}

export function sent(result: RunResult): ObserveEvent[] {
  return result.observations.filter((o) => o.phase === 'sent');
}
