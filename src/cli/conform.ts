import fc from 'fast-check';
import { replayToken } from '../../properties/replay-token.js';
import { caseArbitrary } from '../../properties/case-arbitrary.js';
import { findFaultProfile, FAULT_PROFILE_NAMES, type FaultProfile } from '../../properties/fault-profiles.js';
import type { Case } from '../../models/world.js';
import { captureCase } from './replay.js';
import { choose, UsageError } from './usage.js';
import type { CommandOutput } from './check.js';
import { DEFAULT_REAL_STRATEGY, realGuard, realRouting, versionOption } from './real.js';
import { findStrategy } from '../../models/strategies.js';
import { leaseDeployment } from '../../real/lifetime.js';
import { runReal } from '../../real/driver.js';
import { compareRuns, formatAnswer, rowMark, type Row } from '../../real/compare.js';
import { Agreement, realCovers } from '../../real/coverage.js';
import { realModelStrategy } from '../../real/model-side.js';
import { REAL_RELEASES, type RealVersion } from '../../real/versions.js';

export interface ConformOptions {
  real?: string;
  runs: number;
  seed: number;
  strategy?: string;
  workload?: string;
  faults?: string;
  synapseSrc?: string;
  /** Cap on shrinking a disagreement, in cases run on the real deployment. */
  maxShrinkRuns?: number;
}

/**
 * `conform --real V --runs N`: generated registration cases, each run in the model (V's profile,
 * V's real store, the strategy's routing) and on the real deployment; the agreement per endpoint
 * and per stage; the first disagreement shrunk by fast-check to a minimal case that still
 * disagrees, printed with both answers and its token. Exit 0 when every case agrees.
 */
export async function runConform(options: ConformOptions): Promise<CommandOutput> {
  const version = versionOption(options.real, '--real');
  const workload = options.workload ?? 'registration';
  if (workload !== 'registration') throw new UsageError(`conform runs the registration workload only (the real deployment has no seeded accounts); got ${workload}`);
  const faultProfile = choose<FaultProfile>('fault profile', options.faults ?? 'steady', FAULT_PROFILE_NAMES.map((n) => findFaultProfile(n) as FaultProfile), (f) => f.name);
  const strategyName = options.strategy ?? DEFAULT_REAL_STRATEGY[version];
  const base = findStrategy(strategyName);
  if (base === undefined) throw new UsageError(`unknown strategy ${strategyName}`);
  const strategy = realModelStrategy(base, version);
  const { routing, name } = await realRouting(version, { strategy: strategyName });
  const profile = REAL_RELEASES[version].profile;
  const arbitrary = caseArbitrary({ strategy: strategy.name, profile, faultProfile, workload, maxClients: 2 }).filter(realCovers);
  return realGuard(async () => {
    const lease = await leaseDeployment(version, { routing, routingName: name, ...(options.synapseSrc === undefined ? {} : { synapseSrc: options.synapseSrc }), log: (line) => process.stderr.write(`${line}\n`) });
    try {
      const one = async (c: Case): Promise<{ rows: Row[]; ms: number }> => {
        const captured = captureCase(c, ['progress-never-lost'], strategy);
        const real = await runReal(c, captured.verdict.result, lease.state);
        return { rows: compareRuns(captured.verdict.result, real), ms: real.wallMs };
      };
      const agreement = new Agreement();
      const cases = fc.sample(arbitrary, { seed: options.seed, numRuns: options.runs });
      let first: Case | null = null;
      let totalMs = 0;
      for (const [i, c] of cases.entries()) {
        const { rows, ms } = await one(c);
        totalMs += ms;
        agreement.add(rows);
        if (first === null && rows.some((r) => rowMark(r) === 'DIFFER')) first = c;
        process.stderr.write(`\rconform ${version}: ${i + 1}/${cases.length}`);
      }
      process.stderr.write(`\nconform ${version}: ${cases.length} cases in ${(totalMs / 1000).toFixed(1)} s on the real deployment (${Math.round(totalMs / Math.max(1, cases.length))} ms a case)\n`);
      const lines = [`conform: ${cases.length} registration cases (fault profile ${faultProfile.name}, routing ${name}, seed ${options.seed}) in the model (profile ${profile}) and on real Synapse ${REAL_RELEASES[version].release}`, ...agreement.lines()];
      if (first !== null) lines.push('', ...(await shrunk(arbitrary, options, one, first, version)));
      return { stdout: lines.join('\n') + '\n', exitCode: first === null ? 0 : 1 };
    } finally {
      await lease.release();
    }
  });
}

/** The first disagreement made minimal by fast-check (each candidate run for real), then shown. */
async function shrunk(arbitrary: fc.Arbitrary<Case>, options: ConformOptions, one: (c: Case) => Promise<{ rows: Row[] }>, first: Case, version: RealVersion): Promise<string[]> {
  let smallest = first;
  let smallestRows: Row[] | null = null;
  let tries = 0;
  // The cap counts the shrink's own cases: those after fast-check meets the first disagreement
  // again (it replays the cases before it, which agreed).
  const cap = options.maxShrinkRuns ?? Number.POSITIVE_INFINITY;
  let shrinkTries = 0;
  let capped = false;
  const result = await fc.check(
    fc.asyncProperty(arbitrary, async (c) => {
      if (smallestRows !== null) {
        // Past the cap every candidate passes unrun: fast-check walks the rest cheaply.
        if (shrinkTries >= cap) {
          capped = true;
          return true;
        }
        shrinkTries++;
      }
      tries++;
      const { rows } = await one(c);
      const agree = rows.every((r) => rowMark(r) !== 'DIFFER');
      if (!agree) {
        smallest = c;
        smallestRows = rows;
      }
      return agree;
    }),
    { seed: options.seed, numRuns: options.runs, endOnFailure: false, maxSkipsPerRun: 1000, interruptAfterTimeLimit: 120_000 },
  );
  const rows = smallestRows ?? (await one(smallest)).rows;
  const token = replayToken(smallest, 'progress-never-lost', '');
  return [
    capped
      ? `A disagreement, not minimal (shrinking stopped at its cap of ${shrinkTries} cases, ${result.numShrinks} shrink steps, ${tries} cases run): ${smallest.workload.clients.length} client(s)`
      : `Minimal disagreement (${result.numShrinks} shrink steps, ${tries} cases run): ${smallest.workload.clients.length} client(s)`,
    ...rows.flatMap((r) => [`${String(r.request).padStart(3)}. ${r.actor.padEnd(9)} ${r.what}`, `       model ${formatAnswer(r.model)}`, `       real  ${formatAnswer(r.real)}   ${rowMark(r)}`]),
    `replay      uiasim replay ${token} --real ${version}`,
  ];
}
