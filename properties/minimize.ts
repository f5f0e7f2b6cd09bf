import type { Fault } from '../src/faults.js';
import { actorName, clientOfActor, type ClientAction, type ClientSpec } from '../models/clients/workload.js';
import type { Case } from '../models/world.js';

/**
 * Makes a failing case 1-minimal after fast-check's shrinking: removing any client, action,
 * fault or tape entry, zeroing any tape entry, or simplifying any field, makes it pass. It
 * tries one-step reductions in a fixed order and restarts after each success, so the result
 * is deterministic. `stillFails` must be "the same property is violated". `shouldStop` (a
 * wall-clock budget, given by the CLI) ends it early, marked incomplete.
 */
export function minimizeCase(
  start: Case,
  stillFails: (c: Case) => boolean,
  maxAttempts = 5_000,
  shouldStop: () => boolean = () => false,
): { readonly case: Case; readonly attempts: number; readonly complete: boolean } {
  let current = start;
  let attempts = 0;
  // The candidates seen to pass, by their JSON. Equal tape entries give equal candidates (removing
  // either of two adjacent zeros), and a run is a function of its case, so such a candidate is
  // counted as a try (the output says how many) but not run again: in `compare`'s 54 violated
  // cells, 8,396 of 40,860 tries. A candidate that fails is never met again: it becomes `current`,
  // and reductions only shrink.
  const passed = new Set<string>();
  for (;;) {
    let improved = false;
    for (const candidate of reductions(current)) {
      // Out of attempts or of the caller's budget: the case still fails, but may not be 1-minimal.
      if (attempts >= maxAttempts || shouldStop()) return { case: current, attempts, complete: false };
      attempts++;
      const key = JSON.stringify(candidate);
      if (passed.has(key)) continue;
      if (!stillFails(candidate)) {
        passed.add(key);
        continue;
      }
      current = candidate;
      improved = true;
      break;
    }
    if (!improved) return { case: current, attempts, complete: true };
  }
}

/** Every one-step simplification of a case, biggest first. */
export function* reductions(c: Case): Generator<Case> {
  const clients = c.workload.clients;
  const actors = c.tapes.actors;
  // Remove a whole client, with its two tapes and the faults aimed at its actors.
  if (clients.length > 1) {
    for (let i = 0; i < clients.length; i++) {
      const smaller = withClients(c, without(clients, i), [...actors.slice(0, 2 * i), ...actors.slice(2 * i + 2)]);
      yield { ...smaller, faultPlan: { faults: faultsWithoutClient(c.faultPlan.faults, i) } };
    }
  }
  // Remove a fault, or a window of captcha trouble (the last one leaves a healthy captcha).
  for (let i = 0; i < c.faultPlan.faults.length; i++) yield { ...c, faultPlan: { faults: without(c.faultPlan.faults, i) } };
  const windows = c.captcha?.windows ?? [];
  for (let i = 0; i < windows.length; i++) {
    const rest = without(windows, i);
    if (rest.length > 0) yield { ...c, captcha: { windows: rest } };
    else {
      const { captcha: _healthy, ...healthy } = c;
      yield healthy;
    }
  }
  // Remove an action.
  for (let i = 0; i < clients.length; i++) {
    const spec = clients[i] as ClientSpec;
    for (let j = 0; j < spec.actions.length; j++) yield withClient(c, i, { ...spec, actions: without(spec.actions, j) });
  }
  // Remove or zero a tape entry (the actors' tapes, then the shared one).
  const tapes = [...actors, c.tapes.shared];
  for (let t = 0; t < tapes.length; t++) {
    const tape = tapes[t] as readonly number[];
    for (let k = 0; k < tape.length; k++) yield withTape(c, t, without(tape, k));
    for (let k = 0; k < tape.length; k++) if (tape[k] !== 0) yield withTape(c, t, tape.map((v, at) => (at === k ? 0 : v)));
  }
  // Simplify fields: faults earlier and shorter, actions plainer, clients plainer.
  for (let i = 0; i < c.faultPlan.faults.length; i++) {
    for (const simpler of simplerFaults(c.faultPlan.faults[i] as Fault)) {
      yield { ...c, faultPlan: { faults: c.faultPlan.faults.map((f, at) => (at === i ? simpler : f)) } };
    }
  }
  for (let i = 0; i < clients.length; i++) {
    const spec = clients[i] as ClientSpec;
    for (let j = 0; j < spec.actions.length; j++) {
      for (const simpler of simplerActions(spec.actions[j] as ClientAction)) {
        yield withClient(c, i, { ...spec, actions: spec.actions.map((a, at) => (at === j ? simpler : a)) });
      }
    }
    if (spec.adoptsNewSession) yield withClient(c, i, { ...spec, adoptsNewSession: false });
    if (spec.retries > 0) yield withClient(c, i, { ...spec, retries: 0 });
    if (spec.thinkMs > 0) yield withClient(c, i, { ...spec, thinkMs: 0 });
  }
  if (c.seed !== 0) yield { ...c, seed: 0 };
}

/** The faults once client `removed` is gone: its actors' faults are dropped, and the actors of
 * the clients after it take the names of one client earlier ("app C" becomes "app B"). */
function faultsWithoutClient(faults: readonly Fault[], removed: number): Fault[] {
  const names = new Map<string, string | null>();
  for (let actor = 0; actor < 2 * MAX_CLIENT_LABELS; actor++) {
    const client = clientOfActor(actor);
    names.set(actorName(actor), client === removed ? null : client > removed ? actorName(actor - 2) : actorName(actor));
  }
  const rename = (actor: string): string | null => (names.has(actor) ? (names.get(actor) ?? null) : actor);
  const out: Fault[] = [];
  for (const fault of faults) {
    if (fault.kind === 'drop') {
      const actor = rename(fault.actor);
      if (actor !== null) out.push({ ...fault, actor });
    } else if (fault.kind === 'crash' && fault.after !== undefined) {
      const actor = rename(fault.after.actor);
      if (actor !== null) out.push({ ...fault, after: { ...fault.after, actor } });
    } else if (fault.kind === 'ip-change') {
      const actor = rename(fault.actor);
      const anchorActor = fault.after === undefined ? null : rename(fault.after.actor);
      if (actor === null || (fault.after !== undefined && anchorActor === null)) continue;
      out.push(fault.after === undefined ? { ...fault, actor } : { ...fault, actor, after: { ...fault.after, actor: anchorActor as string } });
    } else if (fault.kind === 'partition') {
      const a = rename(fault.a);
      const b = rename(fault.b);
      if (a !== null && b !== null) out.push({ ...fault, a, b });
    } else {
      out.push(fault);
    }
  }
  return out;
}

/** Enough clients for any generated case (the arbitraries make at most 4). */
const MAX_CLIENT_LABELS = 64;

function* simplerFaults(fault: Fault): Generator<Fault> {
  if (fault.kind === 'crash' || fault.kind === 'ip-change') {
    if (fault.atMs > 0) {
      yield { ...fault, atMs: 0 };
      yield { ...fault, atMs: Math.floor(fault.atMs / 2) };
    }
  }
  if (fault.kind === 'crash' && fault.downMs > 50) yield { ...fault, downMs: Math.max(50, Math.floor(fault.downMs / 2)) };
  if (fault.kind === 'partition' && fault.untilMs - fault.fromMs > 1) {
    yield { ...fault, fromMs: Math.floor((fault.fromMs + fault.untilMs) / 2) };
    yield { ...fault, untilMs: Math.ceil((fault.fromMs + fault.untilMs) / 2) };
  }
}

function* simplerActions(action: ClientAction): Generator<ClientAction> {
  if (action.kind === 'fallback' && action.loadsPage) yield { ...action, loadsPage: false };
  if (action.kind === 'fallback' && action.concurrent === true) yield { ...action, concurrent: false };
  if (action.kind === 'resubmit' && action.concurrent === true) yield { kind: 'resubmit' };
  if (action.kind === 'direct' && action.legacyUser === true) yield { kind: 'direct', stage: action.stage };
  if (action.kind === 'pause' && action.ms > 200) yield { ...action, ms: Math.max(200, Math.floor(action.ms / 2)) };
}

function without<T>(list: readonly T[], index: number): T[] {
  return [...list.slice(0, index), ...list.slice(index + 1)];
}

function withClients(c: Case, clients: ClientSpec[], actors: (readonly number[])[]): Case {
  return { ...c, workload: { ...c.workload, clients }, tapes: { actors, shared: c.tapes.shared } };
}

function withClient(c: Case, index: number, spec: ClientSpec): Case {
  return { ...c, workload: { ...c.workload, clients: c.workload.clients.map((s, at) => (at === index ? spec : s)) } };
}

function withTape(c: Case, index: number, tape: readonly number[]): Case {
  const actors = c.tapes.actors;
  if (index === actors.length) return { ...c, tapes: { actors, shared: tape } };
  return { ...c, tapes: { actors: actors.map((t, at) => (at === index ? tape : t)), shared: c.tapes.shared } };
}
