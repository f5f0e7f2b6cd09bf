import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RealSetupError } from './versions.js';
import type { Started } from './processes.js';

/** Debian's PostgreSQL 15 binaries (package postgresql-15); UIASIM_PG_BIN overrides. */
export function pgBin(): string {
  const dir = process.env.UIASIM_PG_BIN ?? '/usr/lib/postgresql/15/bin';
  if (!existsSync(join(dir, 'initdb'))) throw new RealSetupError(`${dir}/initdb is missing: install postgresql-15 (npm run setup) or set UIASIM_PG_BIN`);
  return dir;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user. */
function asPgUser(command: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

function run(command: string, args: readonly string[]): string {
  const [cmd, argv] = asPgUser(command, args);
  try {
    return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${command} failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-3).join(' | ')}`);
  }
}

/** A private cluster: trust auth, loopback only, no fsync (a test deployment). Commits are
 * synchronous (the default), so a committed transaction is in the WAL, in the OS's cache, when
 * its client hears of it: an immediate stop (the store's crash, with the OS still up) keeps it,
 * as the model's durable database does. With `synchronous_commit=off` a crash within the WAL
 * writer's delay lost sessions committed just before it (a later request: 400 "Unknown session
 * ID" where the model lists the session's stages). */
export function initCluster(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) chownSync(dir, pgUid(), pgGid());
  run(join(pgBin(), 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
}

export function startCluster(dir: string, port: number): Started {
  run(join(pgBin(), 'pg_ctl'), [
    '-D', join(dir, 'data'), '-l', join(dir, 'postgres.log'), '-w', '-t', '30',
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
    'start',
  ]);
  return { pid: postmasterPid(dir), marker: 'postgres' };
}

/** `immediate` is PostgreSQL's crash stop (the store's restart fault); `fast` a clean one. */
export function stopCluster(dir: string, mode: 'fast' | 'immediate'): void {
  if (!existsSync(join(dir, 'data', 'postmaster.pid'))) return;
  try {
    run(join(pgBin(), 'pg_ctl'), ['-D', join(dir, 'data'), '-m', mode, '-w', 'stop']);
  } catch {
    // Not running after all (a stale pid file): nothing to stop.
  }
}

/** Synapse refuses any collation but C (its database docs). */
export function createDatabase(port: number, name: string): void {
  const psql = join(pgBin(), 'psql');
  const [cmd, argv] = asPgUser(psql, ['-X', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', `CREATE DATABASE ${name} ENCODING 'UTF8' LC_COLLATE='C' LC_CTYPE='C' template=template0`]);
  execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Runs SQL and returns the rows, one line each, fields separated by '|'. */
export function query(port: number, database: string, sql: string): string[] {
  const psql = join(pgBin(), 'psql');
  const [cmd, argv] = asPgUser(psql, ['-X', '-q', '-A', '-t', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-c', sql]);
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n').filter((l) => l !== '');
}

function postmasterPid(dir: string): number {
  const pid = Number.parseInt(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isFinite(pid)) throw new Error('postgres: no pid in postmaster.pid');
  return pid;
}

function pgUid(): number {
  return Number.parseInt(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim(), 10);
}
function pgGid(): number {
  return Number.parseInt(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim(), 10);
}
