import { availableParallelism } from 'node:os';
import { isCount, UsageError } from './usage.js';

/** The environment variable that sets the default of `--jobs` for `check`, `compare` and
 * `explore` (docs/scale.md "check --jobs N"): a CI job sharing its machine, or a test suite that runs
 * several commands at once, asks for fewer threads than the machine's cores without editing
 * every command. `--jobs` on the command line wins. */
export const JOBS_ENV = 'UIASIM_JOBS';

/** The worker threads a command uses when `--jobs` is not given: UIASIM_JOBS, else the
 * machine's cores. The os module only sizes the thread pool; no output depends on it. */
export function defaultJobs(): number {
  const raw = process.env[JOBS_ENV];
  if (raw === undefined || raw === '') return availableParallelism();
  // The rule --jobs itself follows (parseCount).
  if (!isCount(raw)) throw new UsageError(`${JOBS_ENV} must be a positive whole number of threads, got '${raw}'`);
  return Number(raw);
}
