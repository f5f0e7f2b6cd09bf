import type { Mutant } from './base.js';
import { collidingIds } from './colliding-ids.js';
import { dropsDummy } from './drops-dummy.js';
import { dropsStageWrite } from './drops-stage-write.js';
import { earlySweep } from './early-sweep.js';
import { forgetsBinding } from './forgets-binding.js';
import { ignoresUser } from './ignores-user.js';
import { lateSweep } from './late-sweep.js';
import { losesServerdict } from './loses-serverdict.js';
import { nonDurable } from './non-durable.js';
import { rmwCompleted } from './rmw-completed.js';
import { skipsFirstStage } from './skips-first-stage.js';
import { staleCache } from './stale-cache.js';

export type { Mutant, MutantCatch } from './base.js';
export { MUTANT_DATABASE } from './base.js';
export { sqlFaithfulStore } from './sql-faithful.js';

/**
 * The mutant suite (issue 4 item 3): variants of the `sql` store, each with one deliberate
 * defect and the property named for it. test/mutants/ checks that each is caught by that
 * property within a stated number of runs at a fixed seed, with the arbitraries the real
 * strategies use, and that `sql` and `sql-faithful` are not caught with the same runs.
 */
export const MUTANTS: readonly Mutant[] = [dropsStageWrite, nonDurable, staleCache, earlySweep, collidingIds, losesServerdict, rmwCompleted, skipsFirstStage, lateSweep, dropsDummy, forgetsBinding, ignoresUser];
