// A deterministic Synapse deployment for the reference scenarios: the database, main, any
// workers and a router, built from the same parts as models/world.ts, driven one request at a
// time. Choices always take the natural order (FIFO), so a scenario is one fixed run.
import type { Chooser } from '../../src/chooser.js';
import type { HttpMethod, HttpRequest, HttpResponse } from '../../src/http.js';
import type { Message } from '../../src/message.js';
import { ProcessNode } from '../../src/process.js';
import { RouterNode, type RoutingMap } from '../../src/router.js';
import { Sim, type SimNode } from '../../src/sim.js';
import type { FactEvent } from '../../src/trace.js';
import type { SessionRecord, StoreDefinition } from '../../models/stores/contract.js';
import { memoryStore } from '../../models/stores/memory.js';
import { sqlStore } from '../../models/stores/sql.js';
import { seedAccount, type AccountSeed } from '../../models/synapse/accounts.js';
import { CAPTCHA_SERVICE, CaptchaService } from '../../models/synapse/captcha-service.js';
import { synapseProcess, type SynapseProcessConfig } from '../../models/synapse/app.js';
import { DEFAULT_CONFIG, type SynapseConfig } from '../../models/synapse/config.js';
import { SynapseDatabase } from '../../models/synapse/database.js';
import { PROFILES, type ProfileName } from '../../models/synapse/profile.js';
import { fallbackPath as fallbackPathOf, REGISTER_PATTERN } from '../../models/matrix/protocol.js';
import { idpCallback } from '../../models/synapse/sso/idp.js';

/** The client address and user agent every scenario request carries. */
export const CLIENT_IP = '203.0.113.7';
export const USER_AGENT = 'reference-scenario';

export interface DeploymentOptions {
  readonly profile: ProfileName;
  /** Worker names (generic workers; uia §3.4); none by default: main alone, as in the unit tests. */
  readonly workers?: readonly string[];
  /** The homeserver config (models/synapse/config.ts); DEFAULT_CONFIG when absent. */
  readonly config?: SynapseConfig;
  /** The reverse proxy's map; by default `/register` round-robin over the workers (uia §3.2,
   * v1.18+) and everything else to main. */
  readonly routing?: RoutingMap;
  /** The session store; by default the profile's (memory for 1.8/1.12, SQL from 1.13). */
  readonly store?: StoreDefinition;
  readonly seed?: number;
}

/** What a scenario sends: a method, a path, and optionally a body, query and access token. */
export interface Send {
  readonly method: HttpMethod;
  readonly path: string;
  readonly body?: unknown;
  readonly query?: string;
  readonly accessToken?: string;
}

/** A response as a scenario reads it: the status, the JSON body, and who answered. */
export interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** The process that produced it ('router' for the proxy's own 502). */
  readonly servedBy: string;
}

export function post(path: string, body: unknown, extra: Partial<Omit<Send, 'method' | 'path' | 'body'>> = {}): Send {
  return { method: 'POST', path, body, ...extra };
}

export function get(path: string, query = ''): Send {
  return { method: 'GET', path, query };
}

export function del(path: string, body: unknown, extra: Partial<Omit<Send, 'method' | 'path' | 'body'>> = {}): Send {
  return { method: 'DELETE', path, body, ...extra };
}

/** The side of the scenario: receives responses and its own alarms. */
class ScenarioNode implements SimNode {
  readonly up = true;
  readonly incarnation = 1;
  /** Request message id -> its response (a reset reads as status 0) and the node that sent it. */
  readonly replies = new Map<number, { readonly response: HttpResponse; readonly from: number }>();
  readonly firedAlarms = new Set<number>();
  afterReceive: (() => void) | null = null;

  constructor(
    readonly id: number,
    readonly name: string,
  ) {}

  receive(message: Message): void {
    if (message.kind === 'response') this.replies.set(message.replyTo, { response: message.payload, from: message.from });
    else if (message.kind === 'reset') this.replies.set(message.replyTo, { response: { status: 0, body: null, servedBy: -1 }, from: message.from });
    else if (message.kind === 'timer') this.firedAlarms.add(message.id);
    else throw new Error(`scenario client got a ${message.kind} message`);
    this.afterReceive?.();
  }
}

const NATURAL_ORDER: Chooser = { pick: () => 0 };
/** The actor every scenario request belongs to. */
const OWNER = 0;

/** A running deployment. Every method runs the simulation just far enough. */
export class Deployment {
  readonly sim: Sim;
  readonly database = new SynapseDatabase();
  readonly config: SynapseConfig;
  /** Google's siteverify as a node; `captcha.attempts` lists every response it was asked to
   * verify (test_auth.py's DummyRecaptchaChecker.recaptcha_attempts). */
  readonly captcha = new CaptchaService();
  private readonly client: ScenarioNode;
  private readonly router: RouterNode;

  constructor(readonly options: DeploymentOptions) {
    const profile = PROFILES[options.profile];
    const workers = options.workers ?? [];
    this.config = options.config ?? DEFAULT_CONFIG;
    this.sim = new Sim({ seed: options.seed ?? 1, chooser: NATURAL_ORDER, reorderWindowMs: 0, captureTrace: true, stepBudget: 10_000_000 });
    const sim = this.sim;
    const database = this.database;
    const db = sim.addNode((id) => new ProcessNode(sim, id, 'db', () => ({ handleCommand: (command) => database.execute(command, sim.nowMs) })));
    const captcha = this.captcha;
    const captchaNode = sim.addNode((id) => new ProcessNode(sim, id, CAPTCHA_SERVICE, () => ({ handleCommand: (command) => captcha.execute(command, sim.nowMs) })));
    const store = options.store ?? (profile.sessionStorage === 'database' ? sqlStore : memoryStore);
    const names = ['main', ...workers];
    const processIds = names.map((_, i) => sim.nodes.length + i);
    for (const name of names) {
      const processConfig: SynapseProcessConfig = {
        role: name === 'main' ? 'main' : 'worker',
        profile,
        store,
        database: db.id,
        storeNode: store.placement === 'process' ? -1 : db.id,
        serverName: 'test',
        deployment: { main: processIds[0] as number, processes: processIds },
        config: this.config,
        captchaNode: captchaNode.id,
      };
      sim.addNode((id) => new ProcessNode(sim, id, name, synapseProcess(processConfig)));
    }
    const routing: RoutingMap = options.routing ?? {
      rules: workers.length === 0 ? [] : [{ path: REGISTER_PATTERN, pool: 'register' }],
      pools: workers.length === 0 ? {} : { register: { balancer: 'round-robin', upstreams: [...workers] } },
      defaultUpstream: 'main',
    };
    this.router = sim.addNode((id) => new RouterNode(sim, id, 'router', routing));
    this.client = sim.addNode((id) => new ScenarioNode(id, 'scenario'));
  }

  /** Sends one request to a named process ('main', a worker) or through 'router', and runs the
   * simulation until its response arrives. */
  send(to: string, request: Send): Reply {
    const [reply] = this.sendConcurrently([{ to, request }]);
    return reply as Reply;
  }

  /** Sends several requests at the same virtual instant and runs until all are answered: their
   * handlers interleave at every backend round trip (FIFO), as concurrent requests do. */
  sendConcurrently(requests: readonly { readonly to: string; readonly request: Send }[]): Reply[] {
    const ids = requests.map(({ to, request }) => {
      const target = this.sim.nodeByName(to);
      const payload: HttpRequest = {
        method: request.method,
        path: request.path,
        query: request.query ?? '',
        body: request.body ?? null,
        ip: CLIENT_IP,
        userAgent: USER_AGENT,
        ...(request.accessToken === undefined ? {} : { accessToken: request.accessToken }),
      };
      return this.sim.send('request', this.client.id, target.id, OWNER, -1, target.incarnation, payload).id;
    });
    this.runUntil(() => ids.every((id) => this.client.replies.has(id)));
    return ids.map((id) => {
      const { response, from } = this.client.replies.get(id) as { response: HttpResponse; from: number };
      // Through the router, the router stamps who served it (-1: the router itself); sent
      // straight to a process, the sender is the process.
      const served = from === this.router.id ? response.servedBy : from;
      const servedBy = served < 0 ? 'router' : (this.sim.nodes[served]?.name ?? `node ${served}`);
      return { status: response.status, body: (response.body ?? {}) as Record<string, unknown>, servedBy };
    });
  }

  /** Moves virtual time forward by `ms`, running every timer (expiry sweeps) due meanwhile. */
  advance(ms: number): void {
    const alarm = this.sim.setTimer(this.client, ms, OWNER, 'advance');
    this.runUntil(() => this.client.firedAlarms.has(alarm.id));
  }

  get nowMs(): number {
    return this.sim.nowMs;
  }

  /** Seeds an account straight into the database (the unit tests' register_user + login: the
   * token's last_validated is the seed's `lastValidatedMs`, by default now). */
  seed(account: AccountSeed): void {
    seedAccount(this.database, { lastValidatedMs: this.nowMs, ...account });
  }

  crash(name: string): void {
    (this.sim.nodeByName(name) as ProcessNode).crash();
  }

  restart(name: string): void {
    (this.sim.nodeByName(name) as ProcessNode).restart();
  }

  // ---- Reading the database (the unit tests' `get_success(store....)`) ------------------------

  /** The `ui_auth_sessions` row, with its current clientdict (uia §2.7). */
  session(id: string): SessionRecord | undefined {
    return this.database.execute({ op: 'ui.get', id }, this.nowMs) as SessionRecord | undefined;
  }

  /** One serverdict key of a session (uia §2.10). */
  sessionData(id: string, key: string): unknown {
    return this.database.execute({ op: 'ui.getData', id, key }, this.nowMs);
  }

  /** `ui_auth_sessions_credentials` of a session: stage -> result. */
  credentials(id: string): ReadonlyMap<string, unknown> {
    return this.database.execute({ op: 'ui.getStages', id }, this.nowMs) as ReadonlyMap<string, unknown>;
  }

  /** Every session ID created so far (from the `session-created` facts), in order. */
  sessionIds(): string[] {
    return this.facts('session-created').map((f) => f.key);
  }

  facts(name?: string): FactEvent[] {
    return this.sim.trace.facts.filter((f) => name === undefined || f.name === name);
  }

  /** Runs until `done` holds. The engine's own loop delivers; every message reaching the
   * scenario's node checks `done` and stops the loop (timers keep the queue non-empty forever). */
  private runUntil(done: () => boolean): void {
    const sim = this.sim;
    if (done()) return;
    this.client.afterReceive = () => {
      if (done()) sim.stop();
    };
    try {
      sim.run();
      if (!done()) throw new Error('harness: the queue ran dry before the awaited reply came');
    } finally {
      this.client.afterReceive = null;
      // Sim.stop is meant to be final; a scenario resumes the same world, request after request.
      (sim as unknown as { stopped: boolean }).stopped = false;
    }
  }
}

export function deployment(options: DeploymentOptions): Deployment {
  return new Deployment(options);
}

// ---- Reading replies ----------------------------------------------------------------------------

/** The `session` of a 401 (throws when there is none: the scenario's own assumption broke). */
export function sessionOf(reply: Reply): string {
  const session = reply.body['session'];
  if (typeof session !== 'string') throw new Error(`no session in ${reply.status} ${JSON.stringify(reply.body)}`);
  return session;
}

/** `flows` of a 401 as lists of stage types. */
export function flowsOf(reply: Reply): string[][] {
  const flows = reply.body['flows'];
  if (!Array.isArray(flows)) throw new Error(`no flows in ${reply.status} ${JSON.stringify(reply.body)}`);
  return flows.map((flow) => [...((flow as { stages: string[] }).stages ?? [])]);
}

/** A nested value of the body, e.g. `at(reply, 'params', 'm.login.recaptcha', 'public_key')`. */
export function at(reply: Reply, ...path: string[]): unknown {
  let value: unknown = reply.body;
  for (const step of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[step] : undefined;
  return value;
}

/** The SSO fallback page's IdP redirect followed by a user who logs in at the IdP as
 * `subject`, as the tests' fake OIDC server does (`auth_via_oidc`): returns the fallback page
 * and the page Synapse's callback renders. */
export function authViaOidc(hs: Deployment, session: string, subject: string, query = ''): { readonly confirm: Reply; readonly callback: Reply | undefined } {
  const confirm = hs.send('main', { method: 'GET', path: fallbackPathOf('m.login.sso'), query: `session=${encodeURIComponent(session)}${query}` });
  const redirect = confirm.body['redirect'];
  const back = typeof redirect === 'string' ? idpCallback(redirect, subject) : undefined;
  if (back === undefined) return { confirm, callback: undefined };
  return { confirm, callback: hs.send('main', { method: back.method, path: back.path, query: back.query, body: back.body }) };
}
