/** The Synapse releases a real deployment runs (docs/real.md): the version a user names, the
 * release it means, the model profile it is held against and the worker app it has. */
export type RealVersion = '1.8' | '1.12' | '1.13';

export interface RealRelease {
  readonly version: RealVersion;
  /** The release, as `pip install matrix-synapse==<release>` and the `synapse-v<release>` tree name it. */
  readonly release: string;
  /** The model profile of this version (models/synapse/profile.ts). */
  readonly profile: RealVersion;
  /** 1.8 and 1.12 have client_reader; generic_worker replaced it in 1.13. */
  readonly workerApp: string;
}

export const REAL_RELEASES: Readonly<Record<RealVersion, RealRelease>> = {
  '1.8': { version: '1.8', release: '1.8.0', profile: '1.8', workerApp: 'synapse.app.client_reader' },
  '1.12': { version: '1.12', release: '1.12.4', profile: '1.12', workerApp: 'synapse.app.client_reader' },
  '1.13': { version: '1.13', release: '1.13.0', profile: '1.13', workerApp: 'synapse.app.generic_worker' },
};

export const REAL_VERSIONS = Object.keys(REAL_RELEASES) as RealVersion[];

/** Bad input or a missing prerequisite: one line on stderr, exit 2. */
export class RealSetupError extends Error {}

export function realVersion(name: string): RealRelease {
  const release = (REAL_RELEASES as Record<string, RealRelease | undefined>)[name];
  if (release === undefined) throw new RealSetupError(`unknown real Synapse version ${name} (choose ${REAL_VERSIONS.join(', ')})`);
  return release;
}
