import { wholeRegistration } from '../models/clients/workload.js';
import type { Case } from '../models/world.js';

/** The #6705 story told by a person using nheko: thinks 2 s between steps, retries once. */
const issue6705Client = wholeRegistration({ adoptsNewSession: true, retries: 1, thinkMs: 2_000 });

/**
 * The golden traces: three cases whose full traces are committed as text under test/golden/.
 * They change only through `npm run golden`, so a change to the engine or the model that moves
 * any event shows up in review as a diff of those files.
 */
export const GOLDEN_CASES: Readonly<Record<string, Case>> = {
  'memory-1.8-issue-6705': {
    strategy: 'memory-1.8',
    profile: '1.8',
    faultProfile: 'steady',
    workload: { clients: [issue6705Client] },
    faultPlan: { faults: [] },
    tapes: { actors: [[], []], shared: [] },
    seed: 6705,
  },
  'sql-issue-6705': {
    strategy: 'sql',
    profile: '1.13',
    faultProfile: 'steady',
    workload: { clients: [issue6705Client] },
    faultPlan: { faults: [] },
    tapes: { actors: [[], []], shared: [] },
    seed: 6705,
  },
  'sql-two-clients-db-restart': {
    strategy: 'sql',
    profile: '1.13',
    faultProfile: 'store-restart',
    workload: { clients: [issue6705Client, { ...issue6705Client, adoptsNewSession: false, thinkMs: 0 }] },
    faultPlan: { faults: [{ kind: 'crash', node: 'db', atMs: 3, downMs: 1_000, after: { actor: 'browser B', nthResponse: 1 } }] },
    tapes: { actors: [[1, 3, 2], [0, 2], [3, 1, 1, 2], []], shared: [1] },
    seed: 7302,
  },
};
