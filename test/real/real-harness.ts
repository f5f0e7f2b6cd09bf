import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../../src/cli/check.js';
import { runExplore } from '../../src/cli/explore.js';
import { runReplayReal } from '../../src/cli/replay-real.js';
import { findStrategy } from '../../models/strategies.js';
import { leaseDeployment, type Lease } from '../../real/lifetime.js';
import { SYNAPSE_SRC_ENV } from '../../real/synapse-source.js';
import type { Row, Verdict } from '../../real/compare.js';
import type { RealVersion } from '../../real/versions.js';

/** Set by .ci/run (the release tarballs unpacked and patched) or by a user (docs/real.md). */
export const SYNAPSE_SRC = process.env[SYNAPSE_SRC_ENV];
export const HAS_SYNAPSE = SYNAPSE_SRC !== undefined && SYNAPSE_SRC !== '';

/** Each test file gets its own deployment directory, so a user's own `real up` is never touched. */
export function privateDeploymentDir(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'uiasim-real-test-'));
  // PostgreSQL runs as its own user when the tests run as root: it must reach its directory.
  chmodSync(dir, 0o755);
  process.env.UIASIM_REAL_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

export async function deploy(version: RealVersion, strategyName: string): Promise<Lease> {
  const strategy = findStrategy(strategyName);
  if (strategy === undefined) throw new Error(`no strategy ${strategyName}`);
  return leaseDeployment(version, { routing: strategy.routing, routingName: strategy.name });
}

/** The token `check` prints for these options. */
export async function tokenOf(options: Partial<Parameters<typeof runCheck>[0]>): Promise<string> {
  // check's command-line defaults.
  const output = await runCheck({ faults: 'any-restart', property: 'progress-never-lost', workload: 'mix', runs: 100, seed: 1, ...options, format: 'json' });
  const token = (JSON.parse(output.stdout) as { violation?: { token?: string } }).violation?.token;
  if (token === undefined) throw new Error(`check found no counterexample: ${output.stdout.slice(0, 200)}`);
  return token;
}

/** The token of `explore`'s shortest counterexample of a scope (breadth-first, one thread). */
export async function exploreTokenOf(strategy: string, scope: string): Promise<string> {
  const output = await runExplore({ strategy, scope, format: 'json', jobs: 1 });
  const token = (JSON.parse(output.stdout) as { violation?: { token?: string } }).violation?.token;
  if (token === undefined) throw new Error(`explore found no counterexample: ${output.stdout.slice(0, 200)}`);
  return token;
}

export interface RealReplay {
  readonly agree: boolean;
  readonly rows: readonly Row[];
  readonly verdicts: readonly Verdict[];
  readonly exitCode: number;
}

export async function replayOnReal(token: string, version: RealVersion): Promise<RealReplay> {
  const output = await runReplayReal(token, { real: version, format: 'json' });
  return { ...(JSON.parse(output.stdout) as Omit<RealReplay, 'exitCode'>), exitCode: output.exitCode };
}
