import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RealSetupError, type RealRelease } from './versions.js';

/** The one setting that says where Synapse is: `--synapse-src DIR` or UIASIM_SYNAPSE_SRC. */
export const SYNAPSE_SRC_ENV = 'UIASIM_SYNAPSE_SRC';
/** Debian's interpreter, which sees the python3-* packages (docs/real.md "Setup"). */
export const DEFAULT_PYTHON = '/usr/bin/python3';

/** How to run one Synapse release: the interpreter, and PYTHONPATH when it is an unpacked tree. */
export interface SynapseInstall {
  readonly python: string;
  /** The unpacked tree (PYTHONPATH and working directory), or null for an installed package. */
  readonly tree: string | null;
}

/**
 * DIR holds one unpacked tree per release (`DIR/synapse-v1.13.0/synapse/...`), or DIR is a
 * Python environment (`DIR/bin/python`) where `pip install matrix-synapse==<release>` was done.
 */
export function findSynapse(release: RealRelease, srcOption: string | undefined): SynapseInstall {
  const dir = srcOption ?? process.env[SYNAPSE_SRC_ENV];
  if (dir === undefined || dir === '') {
    throw new RealSetupError(`no Synapse: pass --synapse-src DIR or set ${SYNAPSE_SRC_ENV} (a directory holding synapse-v${release.release}/, or a virtualenv with matrix-synapse==${release.release}; see docs/real.md)`);
  }
  const root = resolve(dir);
  const tree = join(root, `synapse-v${release.release}`);
  if (existsSync(join(tree, 'synapse', '__init__.py'))) {
    const python = process.env.UIASIM_PYTHON ?? DEFAULT_PYTHON;
    if (!existsSync(python)) throw new RealSetupError(`${python} is missing: install Debian's python3 (npm run setup) or set UIASIM_PYTHON`);
    return { python, tree };
  }
  const venvPython = join(root, 'bin', 'python');
  if (existsSync(venvPython)) {
    let installed = '';
    try {
      installed = execFileSync(venvPython, ['-c', 'import synapse; print(synapse.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      throw new RealSetupError(`${venvPython} cannot import synapse: pip install matrix-synapse==${release.release} in that environment`);
    }
    if (installed !== release.release) throw new RealSetupError(`${root} has matrix-synapse ${installed}, not ${release.release}`);
    return { python: venvPython, tree: null };
  }
  throw new RealSetupError(`${root} holds neither synapse-v${release.release}/synapse nor a Python environment (bin/python) with matrix-synapse==${release.release}`);
}
