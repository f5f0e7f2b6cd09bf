import { RandomChooser, TapeChooser, type Chooser } from '../src/chooser.js';
import { crashableProcess, FaultInjector } from '../src/fault-injector.js';
import type { FaultPlan } from '../src/faults.js';
import { Network } from '../src/network.js';
import { ProcessNode, type AppFactory } from '../src/process.js';
import { Rng } from '../src/rng.js';
import { RouterNode, type RoutingMap } from '../src/router.js';
import { Sim } from '../src/sim.js';
import { OrdersScheduler, type Decider } from '../src/explore/orders-scheduler.js';
import { ReplayDecider } from '../src/explore/replay-decider.js';
import type { FactEvent, LifecycleEvent, ObserveEvent, TraceEvent } from '../src/trace.js';
import { Client } from './clients/client-node.js';
import { clientIp, clientLabel, needsOtherUser, operationOf, otherUserOf, type Workload } from './clients/workload.js';
import { identityOf } from './clients/operations.js';
import { seedAccount } from './synapse/accounts.js';
import { findStrategy, type Strategy } from './strategies.js';
import { synapseProcess } from './synapse/app.js';
import { CAPTCHA_SERVICE, captchaApp, HEALTHY_CAPTCHA, type CaptchaBehaviour } from './synapse/captcha-service.js';
import { seedRegistrationTokens } from './synapse/stages/registration-token.js';
import { DEFAULT_CONFIG, type SynapseConfig } from './synapse/config.js';
import { SynapseDatabase } from './synapse/database.js';
import type { StoreService } from './stores/contract.js';
import { PROFILES, type Profile, type ProfileName } from './synapse/profile.js';
import { applySwitches, type Switches } from './synapse/profile-set.js';
import { DATABASE, MAIN, NETWORK, REORDER_WINDOW_MS, ROUTER, STORE, WORKERS } from './topologies/synapse-workers.js';

/** Everything one run needs; a run is a pure function of its case (docs/architecture.md "Words"). */
export interface Case {
  readonly strategy: string;
  readonly profile: ProfileName;
  readonly faultProfile: string;
  readonly workload: Workload;
  readonly faultPlan: FaultPlan;
  /** One tape per client-side actor (app A, browser A, app B, ...) plus the shared tape. */
  readonly tapes: { readonly actors: readonly (readonly number[])[]; readonly shared: readonly number[] };
  /** Seeds the data streams (session IDs, tokens). */
  readonly seed: number;
  /** When the captcha service is slow or failing (the fault profile's hook; healthy when
   * absent). A crash or partition of the `captcha` node works through the fault plan. */
  readonly captcha?: CaptchaBehaviour;
  /** `--set` switches of the profile and the homeserver config (profile-set.ts). */
  readonly switches?: Switches;
  /** A path of an exhaustive exploration (docs/explore.md): the run uses the orders scheduler
   * and these decisions instead of the tapes. */
  readonly explore?: CaseExploration;
}

/** Exhaustive mode's settings and the path taken (`uiasim explore`'s counterexamples). */
export interface CaseExploration {
  /** The path: at each decision with more than one option, the option taken (entry mod the
   * options; past the end, 0). */
  readonly decisions: readonly number[];
  /** A timer due within this many ms may fire before the deliveries in flight. */
  readonly raceWindowMs: number;
  /** How many crashes the explorer may place (each at any step, restart `downMs` later). */
  readonly crashes: number;
  /** The processes that may crash, by fault-plan name (`store` for the session store's node). */
  readonly crashable: readonly string[];
  readonly downMs: number;
  /** How many responses to client-side actors may be lost. */
  readonly lostResponses: number;
}

export interface RunOptions {
  /** Keep every trace event (replay, display); off in the hot path. */
  readonly capture?: boolean;
  /** Compute the trace hash (default on). Off where nobody reads it (a comparison's scans, the
   * 1-minimal pass's tries); such a run's `traceHash` is NOT_HASHED. */
  readonly hashTrace?: boolean;
  /** Replaces the strategy's routing map (a user's own worker map, or a test's). */
  readonly routing?: RoutingMap;
  /** Replaces the strategy (replaying a case under another one). */
  readonly strategy?: Strategy;
  /** Drive choices with a seeded random chooser instead of the tapes. */
  readonly randomChoices?: boolean;
  readonly stepBudget?: number;
  /** The homeserver config every process gets (DEFAULT_CONFIG when absent). */
  readonly config?: SynapseConfig;
  /** Exhaustive mode: the explorer's decider instead of the case's recorded decisions, with
   * state tracking (fingerprints, sleep sets) on. */
  readonly decider?: Decider;
}

export interface RunResult {
  readonly traceHash: string;
  readonly observations: readonly ObserveEvent[];
  readonly lifecycle: readonly LifecycleEvent[];
  /** Server-side facts (models/synapse/facts.ts). */
  readonly facts: readonly FactEvent[];
  /** Virtual CPU ms per node (password hashing, uia §2.10/2.11), indexed like nodeNames. */
  readonly cpuMsByNode: readonly number[];
  readonly events: readonly TraceEvent[] | null;
  readonly nodeNames: readonly string[];
  readonly profile: Profile;
  readonly steps: number;
  readonly endMs: number;
  /** The choices the tapes made, canonically (entry mod n, trailing zeros dropped). */
  readonly canonicalTapes: Case['tapes'];
  /** Per client (workload order), when each of its persistent rounds began: the time its first
   * request was sent, after the round's pause (models/clients/client-script.ts). What liveness
   * counts; it follows from the trace, so it is not hashed. */
  readonly roundStartsMs: readonly (readonly number[])[];
}

/** The trace hash of a run made with `hashTrace` off. */
export const NOT_HASHED = 'not hashed';

export const DEFAULT_STEP_BUDGET = 200_000;

/** A Synapse process of the deployment: main, or a worker. */
export interface ProcessSpec {
  readonly name: string;
  readonly role: 'main' | 'worker';
}

/** The default deployment: main and two client_readers (uia §3.1, §3.2). */
export const DEFAULT_PROCESSES: readonly ProcessSpec[] = [
  { name: MAIN, role: 'main' },
  ...WORKERS.map((name): ProcessSpec => ({ name, role: 'worker' })),
];

/** Builds the deployment of a case: router, main, workers, database, clients; then runs it. */
export function runCase(c: Case, options: RunOptions = {}): RunResult {
  const strategy = options.strategy ?? findStrategy(c.strategy);
  if (strategy === undefined) throw new Error(`case names an unknown strategy ${c.strategy}`);
  const { profile, config } = applySwitches(PROFILES[c.profile], options.config ?? DEFAULT_CONFIG, c.switches);
  const tapeChooser = new TapeChooser(c.tapes.actors, c.tapes.shared);
  const chooser: Chooser = options.randomChoices === true ? new RandomChooser(new Rng(c.seed, 'choices')) : tapeChooser;
  const exploration = c.explore;
  let orders: OrdersScheduler | null = null;
  const sim = new Sim({
    seed: c.seed,
    chooser,
    reorderWindowMs: REORDER_WINDOW_MS,
    captureTrace: options.capture === true,
    hashTrace: options.hashTrace !== false,
    stepBudget: options.stepBudget ?? DEFAULT_STEP_BUDGET,
    ...(exploration === undefined
      ? {}
      : {
          makeQueue: (s: Sim) => {
            const decider = options.decider ?? new ReplayDecider(exploration.decisions);
            orders = new OrdersScheduler(s, decider, { flightMs: 0, raceWindowMs: exploration.raceWindowMs, tracking: options.decider !== undefined });
            return orders;
          },
        }),
  });
  // Exhaustive mode explores orders, not latencies: every delivery takes the one nominal latency.
  const network = new Network(sim, exploration === undefined ? NETWORK : { ...NETWORK, latencyBucketsMs: [0] });
  sim.network = network;

  const database = new SynapseDatabase();
  seedClientAccounts(database, c.workload);
  seedRegistrationTokens(database, config);
  const db = sim.addNode((id) => new ProcessNode(sim, id, DATABASE, serviceApp(database, sim)));
  // Google's siteverify, for the recaptcha checker (uia §1.5): slow or failing per the case.
  const captcha = sim.addNode((id) => new ProcessNode(sim, id, CAPTCHA_SERVICE, () => captchaApp(sim, c.captcha ?? HEALTHY_CAPTCHA)));
  let storeNode = strategy.store.placement === 'process' ? -1 : db.id;
  const service = strategy.store.service;
  if (service !== undefined) {
    const node = sim.addNode((id) => new ProcessNode(sim, id, service.name, serviceApp(service.create(), sim)));
    storeNode = node.id;
  }
  // Main and the workers take the next ids, in this order.
  const processes = strategy.processes ?? DEFAULT_PROCESSES;
  const processIds = processes.map((_, i) => sim.nodes.length + i);
  const mainIndex = processes.findIndex((p) => p.role === 'main');
  for (const { name, role } of processes) {
    const factory = synapseProcess({
      role,
      profile,
      store: strategy.store,
      database: db.id,
      storeNode,
      serverName: 'test',
      config,
      captchaNode: captcha.id,
      mountsEverything: strategy.mountsEverything === true,
      ...(strategy.backgroundTasksOn === undefined ? {} : { backgroundTasksOn: strategy.backgroundTasksOn }),
      sessionIdsNameOwner: strategy.sessionIdsNameOwner === true,
      ...(strategy.defects === undefined ? {} : { defects: strategy.defects }),
      deployment: { main: processIds[mainIndex] as number, processes: processIds },
    });
    // Synapse reaches its database over a connection pool, which a database restart leaves dead
    // (src/connection-pool.ts; found against real 1.13.0, docs/real.md).
    const process = sim.addNode((id) => new ProcessNode(sim, id, name, factory, { pooledBackends: [db.id] }));
    if (process.id !== processIds[processes.findIndex((p) => p.name === name)]) throw new Error('world: process ids are not the ones announced');
  }
  const router = sim.addNode((id) => new RouterNode(sim, id, ROUTER, options.routing ?? strategy.routing));
  const faults = sim.addNode((id) => new FaultInjector(sim, id, 'faults'));

  let running = c.workload.clients.length;
  const clients = c.workload.clients.map(
    (spec, index) =>
      new Client(sim, index, spec, router.id, () => {
        if (--running === 0) sim.stop();
      }),
  );
  // Fault plans say "store" for the session store's node (its own service, else the database),
  // and name the default deployment's processes: in a deployment of the user's own, `main` is
  // its main process and reader1, reader2 its first and second worker (wrapping around).
  const storeName = service?.name ?? DATABASE;
  const workers = processes.filter((p) => p.role === 'worker').map((p) => p.name);
  const alias = (name: string): string => {
    if (name === STORE) return storeName;
    if (processes === DEFAULT_PROCESSES) return name;
    if (name === MAIN) return (processes[mainIndex] as ProcessSpec).name;
    const worker = (WORKERS as readonly string[]).indexOf(name);
    return worker >= 0 && workers.length > 0 ? (workers[worker % workers.length] as string) : name;
  };
  const plan = {
    faults: c.faultPlan.faults.map((f) => (f.kind === 'crash' ? { ...f, node: alias(f.node) } : f.kind === 'partition' ? { ...f, a: alias(f.a), b: alias(f.b) } : f)),
  };
  network.applyFaultPlan(plan);
  faults.schedule(plan);
  if (orders !== null && exploration !== undefined) {
    const queue: OrdersScheduler = orders;
    // "store" is the database's node when no service holds the sessions (sql, sql-cached, the
    // in-memory strategies): one node is one restart option, not two with the same outcome.
    const named = exploration.crashable.map((name) => crashableProcess(sim, alias(name)).id);
    const crashable = named.filter((id, at) => named.indexOf(id) === at);
    queue.setFaults({
      crashes: exploration.crashes,
      crashable,
      downMs: exploration.downMs,
      lostResponses: exploration.lostResponses,
      droppableTo: clients.flatMap((cl) => [cl.app.id, cl.browser.id]),
      faultsNode: faults.id,
    });
    // A client's app and browser are one client object: one history.
    const owners = sim.nodes.map((n) => n.id);
    for (const cl of clients) owners[cl.browser.id] = cl.app.id;
    queue.history?.setOwners(owners);
  }
  for (const client of clients) client.start();
  if (running > 0) sim.run();
  const result: RunResult = {
    nodeNames: sim.nodes.map((n) => n.name),
    // Not '' (a token's "no hash to check"): a run made without hashing can never pass for one.
    traceHash: options.hashTrace === false ? NOT_HASHED : sim.trace.hash,
    observations: sim.trace.observations,
    lifecycle: sim.trace.lifecycleEvents,
    facts: sim.trace.facts,
    cpuMsByNode: sim.cpuMsByNode,
    events: sim.trace.events,
    profile,
    steps: sim.stepCount,
    endMs: sim.nowMs,
    canonicalTapes: tapeChooser.canonical(),
    roundStartsMs: clients.map((client) => client.rounds.startsMs),
  };
  sim.release();
  return result;
}

/** Every client of an account operation has its account before the run (issue 3 contract:
 * `@user<a>:test`, `correct horse`, devices `DEV<A>1`, `DEV<A>2`, `syt_user<a>_token`), with an
 * external ID at the OIDC provider so `m.login.sso` is offered too (uia §2.5). */
/** A service node's app: one service object for the whole run, told when its node restarts
 * (the first start is not a restart); what it keeps is what survives. */
function serviceApp(service: StoreService, sim: Sim): AppFactory {
  let started = false;
  return () => {
    if (started) service.restart?.();
    started = true;
    return { handleCommand: (command) => service.execute(command, sim.nowMs) };
  };
}

function seedClientAccounts(database: SynapseDatabase, workload: Workload): void {
  workload.clients.forEach((spec, index) => {
    if (operationOf(spec) === 'register') return;
    const username = `user${clientLabel(index).toLowerCase()}`;
    // The session-reuse workload's second account, only where an action uses it.
    for (const name of needsOtherUser(spec) ? [username, otherUserOf(username)] : [username]) {
      const id = identityOf(name, clientIp(index));
      seedAccount(database, { userId: id.userId, password: id.password, devices: id.devices, accessToken: id.accessToken, externalIds: [id.externalId] });
    }
  });
}
