import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';

/**
 * Child processes of a real deployment: started detached (they outlive `uiasim real up`), their
 * pids kept in the deployment's state file so `down` stops exactly them, also after the command
 * that started them crashed. Only loopback.
 */
export interface Started {
  readonly pid: number;
  /** A string the process's command line contains, so a pid reused by another program is never killed. */
  readonly marker: string;
}

export function startDetached(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string; marker: string }): Started {
  const log = openSync(options.logFile, 'a');
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return { pid: child.pid, marker: options.marker };
}

/** True when pid is alive and still the process we started. */
export function isOurs(started: Started): boolean {
  try {
    process.kill(started.pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${started.pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  try {
    const text = readFileSync(cmdline, 'utf8');
    // A zombie has an empty command line: it is ours but already dead.
    return text.length > 0 && text.replaceAll('\0', ' ').includes(started.marker);
  } catch {
    return false;
  }
}

/** SIGKILL, at once (a crash, and teardown that must not wait). Synchronous, so exit hooks can use it.
 * A process started detached leads its own process group, which holds its children too (nginx's
 * workers): the whole group is killed, since a SIGKILL to nginx's master alone leaves its workers
 * running, and serving on the deployment's port. */
export function killNow(started: Started): void {
  if (!isOurs(started)) return;
  try {
    process.kill(leadsGroup(started.pid) ? -started.pid : started.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The fields of /proc/pid/stat after "pid (comm)": state, ppid, pgrp, ...; null when the
 * process is gone. */
export function statFields(pid: number): string[] | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // comm may hold spaces and parentheses: the fields start after the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Whether `pid` is its process group's leader. */
function leadsGroup(pid: number): boolean {
  return Number(statFields(pid)?.[2]) === pid;
}

/** The live (not zombie) pids whose parent is `pid`, in order (from /proc, as `ps` reads them). */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields !== null && Number(fields[1]) === pid && fields[0] !== 'Z') children.push(Number(entry));
  }
  return children.sort((a, b) => a - b);
}

export async function waitGone(started: Started, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isOurs(started)) return true;
    await sleepMs(50);
  }
  return !isOurs(started);
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Ports the kernel says are free on 127.0.0.1 right now, distinct. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((done, fail) => {
      const server = createServer();
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => done(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  return ports;
}

/** True when something already listens on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(true));
    server.listen(port, '127.0.0.1', () => server.close(() => done(false)));
  });
}

/** GET url's status, or 0 when nothing answers. */
export function httpStatus(url: string, timeoutMs = 2_000): Promise<number> {
  return new Promise((done) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', () => done(0));
    req.on('timeout', () => {
      req.destroy();
      done(0);
    });
    req.end();
  });
}

/** Waits until url answers 200 and `extra` (if given) holds; false on timeout or when the process died. */
export async function waitReady(url: string, process: Started, timeoutMs: number, extra?: () => boolean): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isOurs(process)) return false;
    if ((await httpStatus(url, 1_000)) === 200 && (extra === undefined || extra())) return true;
    await sleepMs(100);
  }
  return false;
}

export function fileContains(file: string, text: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes(text);
  } catch {
    return false;
  }
}
