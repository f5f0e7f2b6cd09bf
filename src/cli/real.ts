import { findStrategy, STRATEGIES, type Strategy } from '../../models/strategies.js';
import type { RoutingMap } from '../router.js';
import { down, status, up } from '../../real/deployment.js';
import { RealSetupError, realVersion, type RealVersion } from '../../real/versions.js';
import type { CommandOutput } from './check.js';
import { loadRouting } from './routing-file.js';
import { choose, UsageError } from './usage.js';

/** The strategy a version's deployment is routed by when none is named: its own era's worker map. */
export const DEFAULT_REAL_STRATEGY: Readonly<Record<RealVersion, string>> = { '1.8': 'memory-1.8', '1.12': 'pinned-1.12', '1.13': 'sql' };

export interface RealOptions {
  synapse?: string;
  strategy?: string;
  routing?: string;
  synapseSrc?: string;
}

/** Bad input or a missing prerequisite of the real world becomes the CLI's one-line exit 2. */
export async function realGuard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RealSetupError) throw new UsageError(error.message);
    throw error;
  }
}

/** The version `option` names (`--synapse` for `real`, `--real` for `conform` and `replay`). */
export function versionOption(value: string | undefined, option: '--synapse' | '--real'): RealVersion {
  if (value === undefined) throw new UsageError(`name the version: ${option} 1.8, 1.12 or 1.13`);
  try {
    return realVersion(value).version;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The routing map of `--strategy S` or `--routing FILE` (default: the version's own). */
export async function realRouting(version: RealVersion, options: { strategy?: string; routing?: string }): Promise<{ readonly routing: RoutingMap; readonly name: string }> {
  if (options.strategy !== undefined && options.routing !== undefined) throw new UsageError('give --strategy or --routing, not both');
  if (options.routing !== undefined) return { routing: (await loadRouting(options.routing)).routing.routing, name: options.routing };
  const strategy = choose<Strategy>('strategy', options.strategy ?? DEFAULT_REAL_STRATEGY[version], STRATEGIES, (s) => s.name);
  return { routing: strategy.routing, name: strategy.name };
}

export async function runReal(action: string, options: RealOptions): Promise<CommandOutput> {
  const version = versionOption(options.synapse, '--synapse');
  return realGuard(async () => {
    switch (action) {
      case 'up': {
        const { routing, name } = await realRouting(version, options);
        const t0 = Date.now();
        const state = await up(version, { routing, routingName: name, ...(options.synapseSrc === undefined ? {} : { synapseSrc: options.synapseSrc }), log: (line) => process.stderr.write(`${line}\n`) });
        process.stderr.write(`up in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
        return { stdout: `synapse ${state.release} up: http://127.0.0.1:${state.ports.nginx}/ (nginx, routing ${name}); uiasim real down --synapse ${version} stops it\n`, exitCode: 0 };
      }
      case 'down': {
        const stopped = await down(version);
        return { stdout: stopped.length === 0 ? `nothing of ${version} was running\n` : `stopped ${stopped.join(', ')}\n`, exitCode: 0 };
      }
      case 'status': {
        const s = status(version);
        if (s === null) return { stdout: `${version}: down\n`, exitCode: 1 };
        const lines = [`synapse ${s.state.release} in ${s.state.dir}, routing ${s.state.routingName}`, ...s.processes.map((p) => `  ${p.name.padEnd(10)} pid ${String(p.pid).padEnd(8)} ${p.alive ? 'running' : 'DEAD   '} 127.0.0.1:${p.port ?? '-'}`)];
        return { stdout: lines.join('\n') + '\n', exitCode: s.processes.every((p) => p.alive) ? 0 : 1 };
      }
      default:
        throw new UsageError(`unknown action ${action}: use up, down or status`);
    }
  });
}

export { findStrategy };
