/**
 * `node dist/bench/fingerprint.js [casesPerCell]`: one digest of the trace hashes (and steps,
 * end times, CPU costs) of generated cases for every strategy x fault profile x workload. An
 * optimisation of the engine or the model must leave it unchanged: it covers far more of the
 * model than the golden traces do (every store, every fault kind, every operation).
 */
import fc from 'fast-check';
import { WORKLOAD_NAMES } from '../models/clients/workload.js';
import { STRATEGIES } from '../models/strategies.js';
import { runCase, type Case } from '../models/world.js';
import { caseArbitrary } from '../properties/case-arbitrary.js';
import { FAULT_PROFILES } from '../properties/fault-profiles.js';
import { hashEvents, type TraceEvent } from '../src/trace.js';

const CASES_PER_CELL = Number(process.argv[2] ?? 3);

/** Folds a string into a running 32-bit FNV-1a digest. */
function fold(digest: number, text: string): number {
  let h = digest;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

let all = 0x811c9dc5;
let runs = 0;
for (const strategy of STRATEGIES) {
  let digest = 0x811c9dc5;
  for (const faultProfile of FAULT_PROFILES) {
    for (const workload of WORKLOAD_NAMES) {
      const arbitrary = caseArbitrary({ strategy: strategy.name, profile: strategy.profile, faultProfile, workload });
      const cases = fc.sample(arbitrary, { seed: runs, numRuns: CASES_PER_CELL }) as Case[];
      for (const c of cases) {
        const result = runCase(c, { stepBudget: 1_000_000 });
        digest = fold(digest, `${result.traceHash} ${result.steps} ${result.endMs} ${result.cpuMsByNode.join(',')}`);
        runs++;
      }
    }
  }
  // One captured run per strategy: the captured events hash to the hot path's hash.
  const captured = runCase(fc.sample(caseArbitrary({ strategy: strategy.name, profile: strategy.profile, faultProfile: FAULT_PROFILES[0]!, workload: 'mix' }), { seed: 7, numRuns: 1 })[0] as Case, { capture: true });
  if (hashEvents(captured.events as readonly TraceEvent[]) !== captured.traceHash) throw new Error(`fingerprint: ${strategy.name}'s captured events do not hash to its run hash`);
  console.log(`${strategy.name.padEnd(14)} ${digest.toString(16).padStart(8, '0')}`);
  all = fold(all, digest.toString(16));
}
console.log(`all ${runs} runs   ${all.toString(16).padStart(8, '0')}`);
