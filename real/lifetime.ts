import { rmSync } from 'node:fs';
import type { RoutingMap } from '../src/router.js';
import { down, isUp, killAllNow, readState, up, type DeploymentState } from './deployment.js';
import { RealSetupError, type RealVersion } from './versions.js';

/** Deployments this process started and must stop, whatever happens to it. */
const owned = new Map<RealVersion, DeploymentState>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = (): void => {
    for (const state of owned.values()) {
      killAllNow(state);
      rmSync(state.dir, { recursive: true, force: true });
    }
    owned.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

export interface Lease {
  readonly state: DeploymentState;
  /** Stops the deployment if this lease started it. */
  readonly release: () => Promise<void>;
  /** Whether this lease started it (false: one `uiasim real up` left running was used). */
  readonly started: boolean;
}

/**
 * The deployment of `version` routed by `routingName`: the one `uiasim real up` left running when
 * it is routed the same way, else a new one this process stops when done (and on exit or a
 * signal, so a failing command or test leaves nothing running).
 */
export async function leaseDeployment(version: RealVersion, options: { readonly routing: RoutingMap; readonly routingName: string; readonly synapseSrc?: string; readonly log?: (line: string) => void }): Promise<Lease> {
  const existing = readState(version);
  if (existing !== null && isUp(existing)) {
    if (existing.routingName !== options.routingName) throw new RealSetupError(`the running ${version} deployment is routed by ${existing.routingName}, not ${options.routingName}: run uiasim real down --synapse ${version}, or real up with that routing`);
    return { state: existing, started: false, release: async () => {} };
  }
  hookExit();
  const state = await up(version, options);
  owned.set(version, state);
  return {
    state,
    started: true,
    release: async () => {
      owned.delete(version);
      await down(version);
    },
  };
}
