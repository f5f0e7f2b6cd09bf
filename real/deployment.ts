import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, openSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoutingMap } from '../src/router.js';
import { renderDeploymentNginx } from './nginx-config.js';
import { createDatabase, initCluster, startCluster, stopCluster } from './postgres.js';
import { childrenOf, freePorts, isOurs, killNow, sleepMs, startDetached, waitGone, waitReady, type Started } from './processes.js';
import { SITEVERIFY_SOURCE } from './siteverify.js';
import { DATABASE_NAME, WORKER_NAMES, writeSynapseConfig, type DeploymentPorts } from './synapse-config.js';
import { findSynapse, type SynapseInstall } from './synapse-source.js';
import { RealSetupError, realVersion, type RealRelease, type RealVersion } from './versions.js';

/** How to start one process again (a restart fault) and how to tell it is ready. */
export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly marker: string;
  /** GET this until 200. */
  readonly readyUrl: string;
  /** And wait for this line in this log (a worker's replication connection). */
  readonly readyLog?: { readonly file: string; readonly text: string };
}

/** What `up` started, written after every start so `down` finds it even after a crash. */
export interface DeploymentState {
  readonly version: RealVersion;
  readonly release: string;
  readonly dir: string;
  readonly routingName: string;
  readonly ports: DeploymentPorts;
  /** main, reader1, reader2, nginx, siteverify, postgres (in start order). */
  readonly processes: Record<string, Started>;
  readonly specs: Record<string, ProcessSpec>;
  /** Process name -> the port it serves the client API on (main and workers). */
  readonly processPorts: Record<string, number>;
}

/** Where a version's deployment lives: UIASIM_REAL_DIR (default the temp directory)/uiasim-real-<version>. */
export function deploymentDir(version: RealVersion): string {
  return join(process.env.UIASIM_REAL_DIR ?? tmpdir(), `uiasim-real-${version}`);
}

function stateFile(dir: string): string {
  return join(dir, 'state.json');
}

export function readState(version: RealVersion): DeploymentState | null {
  const file = stateFile(deploymentDir(version));
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DeploymentState;
  } catch {
    return null;
  }
}

function saveState(state: DeploymentState): void {
  writeFileSync(stateFile(state.dir), JSON.stringify(state, null, 2) + '\n');
}

export interface UpOptions {
  readonly synapseSrc?: string;
  readonly routing: RoutingMap;
  readonly routingName: string;
  /** Progress lines (stderr). */
  readonly log?: (line: string) => void;
}

const NGINX = process.env.UIASIM_NGINX ?? '/usr/sbin/nginx';
// Generous: a loaded CI machine can take many times the usual 1-3 s per process.
const START_TIMEOUT_MS = 90_000;

/** Modules Synapse 1.8-1.13 import at start, each from a Debian python3-* package (docs/real.md). */
const PYTHON_MODULES = ['twisted', 'canonicaljson', 'signedjson', 'unpaddedbase64', 'nacl', 'bcrypt', 'jsonschema', 'frozendict', 'msgpack', 'phonenumbers', 'pymacaroons', 'service_identity', 'treq', 'prometheus_client', 'attr', 'netaddr', 'jinja2', 'bleach', 'psycopg2', 'yaml', 'PIL', 'sortedcontainers', 'OpenSSL', 'pyasn1', 'pyasn1_modules', 'daemonize', 'idna', 'six', 'pkg_resources', 'simplejson'];

function checkPython(install: SynapseInstall): void {
  if (install.tree === null) return;
  const script = `import importlib,sys\nmissing=[m for m in sys.argv[1:] if importlib.util.find_spec(m) is None]\nprint(' '.join(missing))`;
  const missing = execFileSync(install.python, ['-c', `import importlib.util\n${script}`, ...PYTHON_MODULES], { encoding: 'utf8' }).trim();
  if (missing !== '') throw new RealSetupError(`${install.python} cannot import ${missing.split(' ').join(', ')}: run npm run setup (Debian's python3-* packages)`);
}

/** Starts PostgreSQL, the siteverify endpoint, Synapse main, reader1, reader2 and nginx. */
export async function up(version: RealVersion, options: UpOptions): Promise<DeploymentState> {
  const release = realVersion(version);
  const log = options.log ?? (() => {});
  const existing = readState(version);
  if (existing !== null) {
    if (Object.values(existing.processes).some(isOurs)) throw new RealSetupError(`a ${version} deployment is already up in ${existing.dir}: run uiasim real down --synapse ${version} first`);
    await down(version);
  }
  const install = findSynapse(release, options.synapseSrc);
  if (!existsSync(NGINX)) throw new RealSetupError(`${NGINX} is missing: install nginx (npm run setup) or set UIASIM_NGINX`);
  checkPython(install);
  const [pg, main, tcp, http, w1, w2, nginx, siteverify] = await freePorts(8);
  const ports: DeploymentPorts = { postgres: pg!, main: main!, replicationTcp: tcp!, replicationHttp: http!, workers: [w1!, w2!], nginx: nginx!, siteverify: siteverify! };
  const processPorts: Record<string, number> = { main: ports.main, [WORKER_NAMES[0]]: w1!, [WORKER_NAMES[1]]: w2! };
  // Refuse a map nginx cannot express before starting anything.
  const dir = deploymentDir(version);
  const nginxConf = renderDeploymentNginx(dir, ports.nginx, options.routing, (name) => {
    const port = processPorts[name];
    if (port === undefined) throw new RealSetupError(`the routing map names ${name}; the real deployment has main, reader1 and reader2`);
    return port;
  });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const state: DeploymentState = { version, release: release.release, dir, routingName: options.routingName, ports, processes: {}, specs: {}, processPorts };
  saveState(state);
  try {
    const t0 = Date.now();
    initCluster(join(dir, 'pg'));
    state.processes.postgres = startCluster(join(dir, 'pg'), ports.postgres);
    saveState(state);
    createDatabase(ports.postgres, DATABASE_NAME);
    log(`postgres up on 127.0.0.1:${ports.postgres} (${Date.now() - t0} ms)`);

    await startProcess(state, 'siteverify', {
      command: process.execPath, args: ['-e', SITEVERIFY_SOURCE, String(ports.siteverify)], cwd: dir, env: {},
      logFile: join(dir, 'siteverify.stdout'), marker: 'uiasim-siteverify', readyUrl: `http://127.0.0.1:${ports.siteverify}/calls`,
    });

    writeSynapseConfig(dir, ports, release.workerApp);
    const env: Record<string, string> = install.tree === null ? {} : { PYTHONPATH: install.tree };
    const cwd = install.tree ?? dir;
    const t1 = Date.now();
    await startProcess(state, 'main', {
      command: install.python, args: ['-W', 'ignore', '-m', 'synapse.app.homeserver', '-c', join(dir, 'homeserver.yaml')], cwd, env,
      logFile: join(dir, 'main.stdout'), marker: join(dir, 'homeserver.yaml'), readyUrl: `http://127.0.0.1:${ports.main}/_matrix/client/versions`,
    });
    log(`synapse ${release.release} main up on 127.0.0.1:${ports.main} (${Date.now() - t1} ms)`);
    const t2 = Date.now();
    await Promise.all(
      WORKER_NAMES.map((name, i) =>
        startProcess(state, name, {
          command: install.python, args: ['-W', 'ignore', '-m', release.workerApp, '-c', join(dir, 'homeserver.yaml'), '-c', join(dir, `${name}.yaml`)], cwd, env,
          logFile: join(dir, `${name}.stdout`), marker: join(dir, `${name}.yaml`), readyUrl: `http://127.0.0.1:${ports.workers[i]}/_matrix/client/versions`,
          readyLog: { file: join(dir, `${name}.log`), text: 'Connected to replication' },
        }),
      ),
    );
    log(`${release.workerApp} reader1, reader2 up on 127.0.0.1:${ports.workers.join(', ')} (${Date.now() - t2} ms)`);

    for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      mkdirSync(join(dir, 'nginx-tmp', sub), { recursive: true });
      chmodSync(join(dir, 'nginx-tmp', sub), 0o777);
    }
    writeFileSync(join(dir, 'nginx.conf'), nginxConf);
    await startProcess(state, 'nginx', {
      command: NGINX, args: ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], cwd: dir, env: {},
      logFile: join(dir, 'nginx.stdout'), marker: join(dir, 'nginx.conf'), readyUrl: `http://127.0.0.1:${ports.nginx}/_matrix/client/versions`,
    });
    log(`nginx up on 127.0.0.1:${ports.nginx}, routing ${options.routingName} (all in ${Date.now() - t0} ms)`);
    for (const name of SYNAPSE_PROCESSES) await openPooledConnection(state, name);
    return state;
  } catch (error) {
    await down(version);
    throw error;
  }
}

async function startProcess(state: DeploymentState, name: string, spec: ProcessSpec): Promise<void> {
  state.specs[name] = spec;
  const logOffset = spec.readyLog === undefined ? 0 : sizeOf(spec.readyLog.file);
  const started = startDetached(spec.command, spec.args, { cwd: spec.cwd, env: { ...process.env, ...spec.env }, logFile: spec.logFile, marker: spec.marker });
  state.processes[name] = started;
  saveState(state);
  const ready = spec.readyLog;
  const ok = await waitReady(spec.readyUrl, started, START_TIMEOUT_MS, ready === undefined ? undefined : () => logHasAfter(ready.file, logOffset, ready.text));
  if (!ok) {
    const tail = tailOf(spec.logFile) || tailOf(ready?.file ?? '');
    throw new Error(`${name} did not become ready within ${START_TIMEOUT_MS / 1000} s${isOurs(started) ? '' : ' (it exited)'}: ${tail}`);
  }
}

function logHasAfter(file: string, offset: number, text: string): boolean {
  if (!existsSync(file)) return false;
  const size = statSync(file).size;
  if (size <= offset) return false;
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(file, 'r');
  readSync(fd, buffer, 0, buffer.length, offset);
  closeSync(fd);
  return buffer.toString('utf8').includes(text);
}

function tailOf(file: string): string {
  if (file === '' || !existsSync(file)) return '';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ').slice(-600);
}

/** A crash: SIGKILL (PostgreSQL: an immediate stop). */
export async function crash(state: DeploymentState, name: string): Promise<void> {
  if (name === 'postgres') {
    stopCluster(join(state.dir, 'pg'), 'immediate');
    return;
  }
  const started = state.processes[name];
  if (started === undefined) throw new Error(`no process ${name} in the deployment`);
  killNow(started);
  await waitGone(started, 5_000);
}

/**
 * nginx's round-robin starts over, as the model's router does in every run: a graceful reload
 * (SIGHUP) gives nginx a new worker process with new upstream state, and the old one finishes
 * what it has and exits. Waits until the old workers are gone, so no request meets one.
 */
export async function restartRoundRobin(state: DeploymentState): Promise<void> {
  const master = state.processes['nginx'];
  if (master === undefined || !isOurs(master)) throw new Error('nginx is not running in the deployment');
  const before = childrenOf(master.pid);
  process.kill(master.pid, 'SIGHUP');
  const until = Date.now() + 10_000;
  for (;;) {
    const now = childrenOf(master.pid);
    if (now.length > 0 && now.every((pid) => !before.includes(pid))) return;
    // The rendered config bounds an old worker's shutdown at 5 s (worker_shutdown_timeout).
    if (Date.now() > until) throw new Error(`nginx did not replace its worker within 10 s of a reload: ${tailOf(join(state.dir, 'nginx-error.log'))}`);
    await sleepMs(10);
  }
}

/**
 * Every Synapse process started again, one after another (a process the run left down is only
 * started), each with one pooled connection open: after a database restart each one's pooled
 * connections are dead, and each would answer 500 to the first request that meets one
 * (docs/real.md, "A database restart breaks every pooled connection"), while every model run
 * starts with a fresh deployment. The next case must not inherit them.
 */
export async function freshConnections(state: DeploymentState): Promise<void> {
  // All down first (a process the run left down already is), then main before the workers: a
  // worker started after main connects to it as it starts, so restarting main has no worker up
  // to wait for.
  for (const name of SYNAPSE_PROCESSES) if (isOurs(state.processes[name] as Started)) await crash(state, name);
  for (const name of SYNAPSE_PROCESSES) {
    await restart(state, name);
    await openPooledConnection(state, name);
  }
}

/** main and the workers. */
export const SYNAPSE_PROCESSES: readonly string[] = ['main', ...WORKER_NAMES];

/**
 * Makes a Synapse process that has just started open a connection in its database pool, as the
 * model's processes have at the start of every run (src/connection-pool.ts: a deployment's
 * processes have served before). A started Synapse opens pool connections only as transactions
 * need them (its start-up queries use a connection of their own), so a database restart before
 * its first request would cost it no 500 where the model has one. `POST /register` with a
 * username checks that name in the database before anything else (`check_username`); the 401 it
 * answers leaves an unused UIA session behind.
 */
export async function openPooledConnection(state: DeploymentState, name: string): Promise<void> {
  const port = state.processPorts[name];
  if (port === undefined) throw new Error(`no Synapse process ${name} in the deployment`);
  await new Promise<void>((resolve, reject) => {
    const body = JSON.stringify({ username: 'uiasimpool' });
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/_matrix/client/r0/register', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('timeout', () => req.destroy(new Error(`${name} did not answer a POST /register within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Starts a crashed process again and waits until it answers; main, until the workers that are
 * up have connected to it again too. */
export async function restart(state: DeploymentState, name: string): Promise<void> {
  if (name === 'postgres') {
    state.processes.postgres = startCluster(join(state.dir, 'pg'), state.ports.postgres);
    saveState(state);
    return;
  }
  const spec = state.specs[name];
  if (spec === undefined) throw new Error(`no process ${name} in the deployment`);
  // A worker's readyLog is its log and the line it writes on connecting to main's replication.
  const workersUp = name === 'main' ? WORKER_NAMES.filter((w) => isOurs(state.processes[w] as Started)) : [];
  const waits = workersUp.map((worker) => {
    const ready = state.specs[worker]?.readyLog;
    if (ready === undefined) throw new Error(`worker ${worker} has no replication log to wait on`);
    return { worker, ready, from: sizeOf(ready.file) };
  });
  await startProcess(state, name, spec);
  for (const { worker, ready, from } of waits) await replicationCaughtUp(worker, ready, from);
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/**
 * Waits until `worker`, whose replication connection to main broke when main went down, has
 * connected again (its log says so past byte `from`) and has caught up: its log quiet for
 * 300 ms. A worker retries about once a second, and on connecting catches up with what it
 * missed, for some streams from the database (1.13: "Fetching replication rows for 'caches'").
 * Unawaited, that read fell into the next case: a database stopped there failed it, which used
 * up the worker's one dead connection, and the request meant to meet it got a 401 where the
 * model has a 500 (test/real/v1.13-sql.test.ts, every other run).
 */
async function replicationCaughtUp(worker: string, ready: { readonly file: string; readonly text: string }, from: number): Promise<void> {
  const { file, text } = ready;
  const until = Date.now() + 30_000;
  let connected = false;
  let size = sizeOf(file);
  let quietSince = Date.now();
  for (;;) {
    const now = sizeOf(file);
    if (now !== size) {
      size = now;
      quietSince = Date.now();
    }
    if (!connected) connected = logHasAfter(file, from, text);
    if (connected && Date.now() - quietSince >= 300) return;
    if (Date.now() > until) throw new Error(`${worker} did not connect to main's replication again within 30 s: ${tailOf(file)}`);
    await sleepMs(50);
  }
}

/** Stops exactly what `up` started (its state file), then removes the directory. */
export async function down(version: RealVersion): Promise<string[]> {
  const state = readState(version);
  const dir = deploymentDir(version);
  if (state === null) {
    rmSync(dir, { recursive: true, force: true });
    return [];
  }
  const stopped: string[] = [];
  for (const name of ['nginx', ...WORKER_NAMES, 'main', 'siteverify']) {
    const started = state.processes[name];
    if (started === undefined || !isOurs(started)) continue;
    try {
      process.kill(started.pid, 'SIGTERM');
    } catch {
      continue;
    }
    if (!(await waitGone(started, 3_000))) killNow(started);
    stopped.push(name);
  }
  if (state.processes.postgres !== undefined) {
    stopCluster(join(state.dir, 'pg'), 'fast');
    if (isOurs(state.processes.postgres)) killNow(state.processes.postgres);
    stopped.push('postgres');
  }
  rmSync(state.dir, { recursive: true, force: true });
  return stopped;
}

/** Synchronous teardown for exit hooks: SIGKILL everything, PostgreSQL too. */
export function killAllNow(state: DeploymentState): void {
  for (const started of Object.values(state.processes)) killNow(started);
}

export interface ProcessStatus {
  readonly name: string;
  readonly pid: number;
  readonly alive: boolean;
  readonly port: number | null;
}

export function status(version: RealVersion): { readonly state: DeploymentState; readonly processes: readonly ProcessStatus[] } | null {
  const state = readState(version);
  if (state === null) return null;
  const portOf: Record<string, number> = { ...state.processPorts, nginx: state.ports.nginx, siteverify: state.ports.siteverify, postgres: state.ports.postgres };
  const processes = Object.entries(state.processes).map(([name, started]) => ({ name, pid: started.pid, alive: isOurs(started), port: portOf[name] ?? null }));
  return { state, processes };
}

export { sleepMs };
export type { RealRelease };

/** Every process of the deployment is alive. */
export function isUp(state: DeploymentState): boolean {
  const names = Object.keys(state.processes);
  return names.length >= 6 && names.every((name) => isOurs(state.processes[name] as Started));
}
