import { Trace } from '../../../src/trace.js';
// One Synapse process (models/synapse/app.ts): which servlets each role mounts (uia §3.1) and the
// expiry looping call (uia §2.2, §2.8). The app is built from its factory with a hand-made process
// context and its tasks are driven against a database by hand.
import { describe, expect, it } from 'vitest';
import { fallbackPath } from '../../../models/matrix/protocol.js';
import { memoryStore } from '../../../models/stores/memory.js';
import { sqlStore } from '../../../models/stores/sql.js';
import { synapseProcess, type ProcessRole } from '../../../models/synapse/app.js';
import { SynapseDatabase } from '../../../models/synapse/database.js';
import { PROFILES, SESSION_EXPIRE_MS, type ProfileName } from '../../../models/synapse/profile.js';
import type { HttpRequest, HttpResponse } from '../../../src/http.js';
import type { App, ProcessNode } from '../../../src/process.js';
import { Rng } from '../../../src/rng.js';
import type { Sim } from '../../../src/sim.js';
import { bodyOf, DB_NODE, drive, register, request, sessionOf, TestClock } from '../helpers.js';

const HOUR = 60 * 60 * 1000;
const SWEEP = 'expire-old-sessions';

interface Booted {
  readonly app: App;
  readonly timers: { readonly delayMs: number; readonly payload: unknown }[];
  handle(req: HttpRequest): HttpResponse;
  /** Fires the looping call once (as the timer would). */
  sweep(): void;
}

function boot(role: ProcessRole, profile: ProfileName, db: SynapseDatabase, clock: TestClock, name: string, mountsEverything = false): Booted {
  const timers: { delayMs: number; payload: unknown }[] = [];
  const trace = new Trace(false);
  const sim = { get nowMs(): number { return clock.ms; }, trace } as unknown as Sim;
  const node = { id: 9, name, setAppTimer: (delayMs: number, payload: unknown) => timers.push({ delayMs, payload }) } as unknown as ProcessNode;
  const store = PROFILES[profile].sessionStorage === 'database' ? sqlStore : memoryStore;
  const factory = synapseProcess({
    role,
    profile: PROFILES[profile],
    store,
    database: DB_NODE,
    storeNode: store.placement === 'process' ? -1 : DB_NODE,
    serverName: 'test',
    mountsEverything,
  });
  const app = factory({ sim, node, rng: new Rng(3, `${name}#1`) });
  return {
    app,
    timers,
    handle: (req) => drive((app.handleRequest as NonNullable<App['handleRequest']>)(req, 0), db, clock.now).value,
    sweep: () => {
      const task = app.handleTimer?.(SWEEP);
      if (task === undefined) throw new Error('no sweep task');
      drive(task, db, clock.now);
    },
  };
}

describe('servlet mounts (uia §3.1)', () => {
  it.each<ProfileName>(['1.8', '1.13'])('profile %s: a worker mounts /register but not the fallback servlet (uia §2.2, §3.3: misrouted fallback -> 400 M_UNRECOGNIZED, UnrecognizedRequestError before MSC3743)', (profile) => {
    const clock = new TestClock();
    const db = new SynapseDatabase();
    const worker = boot('worker', profile, db, clock, 'reader1');
    const first = worker.handle(register({ username: 'u' }));
    expect(first.status).toBe(401);
    const sid = sessionOf(first);
    for (const method of ['GET', 'POST'] as const) {
      const response = worker.handle(request(method, fallbackPath('m.login.recaptcha'), { 'g-recaptcha-response': 'a' }, `session=${sid}`));
      expect(response.status).toBe(400);
      expect(bodyOf(response)['errcode']).toBe('M_UNRECOGNIZED');
    }
  });

  it.each<ProfileName>(['1.8', '1.13'])('profile %s: main mounts /register and the fallback servlet', (profile) => {
    const clock = new TestClock();
    const db = new SynapseDatabase();
    const main = boot('main', profile, db, clock, 'main');
    const sid = sessionOf(main.handle(register({ username: 'u' })));
    expect(main.handle(request('GET', fallbackPath('m.login.terms'), null, `session=${sid}`)).body).toEqual({ page: 'form', stage: 'm.login.terms', session: sid });
    expect(bodyOf(main.handle(request('POST', fallbackPath('m.login.terms'), {}, `session=${sid}`)))['page']).toBe('success');
  });

  it('uia §2.1: /register and the fallback answer under the r0, v3 and unstable prefixes; anything else is 400 M_UNRECOGNIZED in 1.13', () => {
    const clock = new TestClock();
    const main = boot('main', '1.13', new SynapseDatabase(), clock, 'main');
    for (const prefix of ['r0', 'v3', 'unstable']) {
      expect(main.handle(request('POST', `/_matrix/client/${prefix}/register`, {})).status).toBe(401);
      expect(main.handle(request('GET', `/_matrix/client/${prefix}/auth/m.login.terms/fallback/web`, null, 'session=x')).status).toBe(200);
    }
    expect(main.handle(request('POST', '/_matrix/client/r0/register/available', {})).status).toBe(400);
    expect(main.handle(request('POST', '/_matrix/client/r0/account/whoami', {})).status).toBe(400);
  });

  it('uia §3.1, §3.4: every UIA endpoint answers on main (a 401 for a missing token); a 1.13 worker mounts only /register', () => {
    const clock = new TestClock();
    const db = new SynapseDatabase();
    const main = boot('main', '1.13', db, clock, 'main');
    const worker = boot('worker', '1.13', db, clock, 'reader1');
    const paths: [HttpRequest['method'], string][] = [
      ['POST', '/_matrix/client/r0/account/deactivate'],
      ['POST', '/_matrix/client/r0/account/3pid/add'],
      ['POST', '/_matrix/client/r0/delete_devices'],
      ['DELETE', '/_matrix/client/r0/devices/DEV1'],
      ['POST', '/_matrix/client/unstable/keys/device_signing/upload'],
    ];
    for (const [method, path] of paths) {
      expect(main.handle(request(method, path, {}))).toMatchObject({ status: 401, body: { errcode: 'M_MISSING_TOKEN' } });
      expect(worker.handle(request(method, path, {}))).toMatchObject({ status: 400, body: { errcode: 'M_UNRECOGNIZED' } });
    }
    // Password change without a token is the email reset flow: a UIA 401.
    expect(bodyOf(main.handle(request('POST', '/_matrix/client/r0/account/password', {})))['flows']).toEqual([{ stages: ['m.login.email.identity'] }]);
    // login/get_token exists from v1.69 only.
    expect(main.handle(request('POST', '/_matrix/client/v1/login/get_token', {})).status).toBe(400);
  });

  it('uia §3.1 (v1.135): a head worker mounts deactivate and the device endpoints, not password, 3PID add or login tokens', () => {
    const clock = new TestClock();
    const worker = boot('worker', 'head', new SynapseDatabase(), clock, 'reader1');
    for (const [method, path] of [
      ['POST', '/_matrix/client/v3/account/deactivate'],
      ['POST', '/_matrix/client/v3/delete_devices'],
      ['DELETE', '/_matrix/client/v3/devices/DEV1'],
      ['POST', '/_matrix/client/v3/keys/device_signing/upload'],
    ] as const) {
      expect(worker.handle(request(method, path, {})).status).toBe(401);
    }
    for (const path of ['/_matrix/client/v3/account/password', '/_matrix/client/v3/account/3pid/add', '/_matrix/client/v1/login/get_token']) {
      expect(worker.handle(request('POST', path, {})).status).toBe(404);
    }
  });
});

describe('mountsEverything (sticky and session-hash strategies)', () => {
  it('a 1.8 worker mounts every servlet the version has (fallback, password, devices, ...), but not login/get_token, which 1.8 lacks', () => {
    const worker = boot('worker', '1.8', new SynapseDatabase(), new TestClock(), 'reader1', true);
    expect(worker.handle(request('GET', fallbackPath('m.login.terms'), null, 'session=x')).status).toBe(200);
    for (const path of ['/_matrix/client/r0/account/deactivate', '/_matrix/client/r0/delete_devices', '/_matrix/client/unstable/account/3pid/add']) {
      expect(worker.handle(request('POST', path, {})).status).toBe(401);
    }
    expect(worker.handle(request('POST', '/_matrix/client/v1/login/get_token', {})).status).toBe(400);
  });
});

describe('the expiry looping call', () => {
  it('uia §2.8 (1.13): only main runs it, every 5 minutes', () => {
    const clock = new TestClock();
    const db = new SynapseDatabase();
    expect(boot('main', '1.13', db, clock, 'main').timers).toEqual([{ delayMs: 5 * 60 * 1000, payload: SWEEP }]);
    expect(boot('worker', '1.13', db, clock, 'reader1').timers).toEqual([]);
  });

  it('uia §2.2 (1.8): every process prunes its own cache every 24 h (expiry_ms / 2)', () => {
    const clock = new TestClock();
    const db = new SynapseDatabase();
    expect(boot('main', '1.8', db, clock, 'main').timers).toEqual([{ delayMs: 24 * HOUR, payload: SWEEP }]);
    expect(boot('worker', '1.8', db, clock, 'reader1').timers).toEqual([{ delayMs: 24 * HOUR, payload: SWEEP }]);
  });

  it('firing re-arms the timer; other payloads start nothing', () => {
    const clock = new TestClock();
    const main = boot('main', '1.13', new SynapseDatabase(), clock, 'main');
    main.sweep();
    expect(main.timers).toHaveLength(2);
    expect(main.app.handleTimer?.('something else')).toBeUndefined();
  });

  it('uia §2.8 (1.13): absolute 48 h from creation, activity does not extend it; a worker keeps serving an old session until main sweeps (reads never check age)', () => {
    const clock = new TestClock();
    const db = new SynapseDatabase();
    const main = boot('main', '1.13', db, clock, 'main');
    const worker = boot('worker', '1.13', db, clock, 'reader1');
    const sid = sessionOf(worker.handle(register({ username: 'u' })));
    clock.ms = 47 * HOUR;
    expect(bodyOf(worker.handle(register({ auth: { type: 'm.login.terms', session: sid } })))['completed']).toEqual(['m.login.terms']);
    clock.ms = SESSION_EXPIRE_MS - 1;
    main.sweep();
    expect(worker.handle(register({ auth: { session: sid } })).status).toBe(401);
    clock.ms = SESSION_EXPIRE_MS + 10 * HOUR;
    // No sweep yet: the session is past 48 h but fully usable.
    expect(bodyOf(worker.handle(register({ auth: { session: sid } })))['completed']).toEqual(['m.login.terms']);
    main.sweep();
    const gone = worker.handle(register({ auth: { session: sid } }));
    expect(gone.status).toBe(400);
    expect(gone.body).toEqual({ errcode: 'M_UNKNOWN', error: `Unknown session ID: ${sid}` });
  });

  it('uia §2.2 (1.8): sliding 48 h from the last access, in the process that holds the session', () => {
    const clock = new TestClock();
    const db = new SynapseDatabase();
    const worker = boot('worker', '1.8', db, clock, 'reader1');
    const sid = sessionOf(worker.handle(register({ username: 'u' })));
    clock.ms = 40 * HOUR;
    worker.handle(register({ auth: { type: 'm.login.terms', session: sid } })); // touches it
    clock.ms = 72 * HOUR; // idle 32 h: kept
    worker.sweep();
    clock.ms = 87 * HOUR + 59 * 60 * 1000; // idle 47 h 59 min: still kept
    worker.sweep();
    const alive = worker.handle(register({ auth: { session: sid } })); // and this touches it again
    expect(sessionOf(alive)).toBe(sid);
    expect(bodyOf(alive)['completed']).toEqual(['m.login.terms']);
    // ExpiringCache prunes entries last used strictly before now - 48 h: idle exactly 48 h is kept
    // (and this request touches it once more)...
    clock.ms += SESSION_EXPIRE_MS;
    worker.sweep();
    const atCutoff = worker.handle(register({ auth: { session: sid } }));
    expect(sessionOf(atCutoff)).toBe(sid);
    expect(bodyOf(atCutoff)['completed']).toEqual(['m.login.terms']);
    // ...and idle 48 h and 1 ms is gone.
    clock.ms += SESSION_EXPIRE_MS + 1;
    worker.sweep();
    const gone = worker.handle(register({ auth: { session: sid } }));
    expect(gone.status).toBe(401);
    expect(sessionOf(gone)).not.toBe(sid);
    expect(bodyOf(gone)['completed']).toEqual([]);
  });
});

describe('run_background_tasks_on (uia §2.8, #8369)', () => {
  it('the sweep runs on the configured process instead of main', async () => {
    const { runCase } = await import('../../../models/world.js');
    const { findStrategy } = await import('../../../models/strategies.js');
    const sql = findStrategy('sql');
    if (sql === undefined) throw new Error('no sql strategy');
    const c = {
      strategy: 'sql',
      profile: 'head' as const,
      faultProfile: 'steady',
      workload: { clients: [{ actions: [{ kind: 'start' as const }, { kind: 'pause' as const, ms: 11 * 60_000 }, { kind: 'resubmit' as const }], adoptsNewSession: false, retries: 0, requestTimeoutMs: 30_000, thinkMs: 0 }] },
      faultPlan: { faults: [] },
      tapes: { actors: [[], []], shared: [] },
      seed: 1,
    };
    const sweepers = (strategy: typeof sql) => {
      const result = runCase(c, { capture: true, strategy });
      const names = new Set<string>();
      for (const e of result.events ?? []) if (e.kind === 'deliver' && e.msgKind === 'command' && e.to === result.nodeNames.indexOf('db')) names.add(result.nodeNames[e.from] ?? '');
      return names;
    };
    // Without traffic in the 11-minute pause, the only commands are the sweeps (and the requests').
    expect(sweepers(sql)).toContain('main');
    const onReader2 = sweepers({ ...sql, backgroundTasksOn: 'reader2' });
    expect(onReader2).toContain('reader2');
    expect(onReader2).not.toContain('main');
  });
});
