import { explore, type ExploreOutcome, type ExploreSettings, type RunPath } from '../src/explore/driver.js';
import type { Decider } from '../src/explore/orders-scheduler.js';
import { PathRunError } from '../src/explore/types.js';
import { NO_FAULTS } from '../src/faults.js';
import type { Scope } from '../models/scopes/scope.js';
import type { Strategy } from '../models/strategies.js';
import type { ProfileName } from '../models/synapse/profile.js';
import type { RoutingMap } from '../src/router.js';
import type { Case } from '../models/world.js';
import { judgeRun, type CaseVerdict } from './check-case.js';
import { runCase } from '../models/world.js';
import type { PropertyName } from './violation.js';

/** The fault profile a case of an exploration names (its faults are the scope's, placed by the
 * explorer, so the plan is empty). */
export const EXPLORE_FAULT_PROFILE = 'explore';

/** The case of a path through `scope`: replaying it (`uiasim replay`) re-runs that path. */
export function scopeCase(scope: Scope, strategy: Strategy, profile: ProfileName, decisions: readonly number[]): Case {
  return {
    strategy: strategy.name,
    profile,
    faultProfile: EXPLORE_FAULT_PROFILE,
    workload: { clients: scope.clients },
    faultPlan: NO_FAULTS,
    tapes: { actors: [], shared: [] },
    seed: scope.seed,
    explore: {
      decisions,
      raceWindowMs: scope.bounds.raceWindowMs,
      crashes: scope.faults.restarts,
      crashable: scope.faults.processes,
      downMs: scope.faults.downMs,
      lostResponses: scope.faults.lostResponses,
    },
  };
}

export interface ScopeExploration {
  readonly outcome: ExploreOutcome<CaseVerdict>;
  /** The counterexample's case, when a property was violated. */
  readonly case: Case | null;
}

/** One run of a path through `scope` under `strategy`, judged by `properties` (the first
 * violated one counts): what the driver explores, in this thread or a worker's. With
 * `hashTrace` off its verdicts' trace hashes are NOT_HASHED: for exploring, where a
 * counterexample is re-run on a hashed path to be reported (src/cli/explore-tasks.ts). */
export function scopeRunPath(
  scope: Scope,
  strategy: Strategy,
  profile: ProfileName,
  properties: readonly PropertyName[],
  routing?: RoutingMap,
  onRun?: () => void,
  hashTrace = true,
): RunPath<CaseVerdict> {
  const template = scopeCase(scope, strategy, profile, []);
  const runOptions = { strategy, hashTrace, ...(routing === undefined ? {} : { routing }) };
  return (decider, wasCut) => {
    onRun?.();
    // The decisions taken, so a run that throws names its path (and the CLI can replay it).
    const taken: number[] = [];
    // The explorer's own errors (a decision whose width changed: "not deterministic") are not
    // the model throwing, and are not reported as a path to replay.
    let deciderError: unknown = null;
    const recording: Decider = {
      decide(n, point) {
        let choice: number;
        try {
          choice = decider.decide(n, point);
        } catch (error) {
          deciderError = error;
          throw error;
        }
        if (choice >= 0) taken.push(choice);
        return choice;
      },
      ...(decider.stepped === undefined ? {} : { stepped: decider.stepped.bind(decider) }),
    };
    let result;
    try {
      result = runCase(template, { ...runOptions, decider: recording });
    } catch (error) {
      if (error === deciderError) throw error;
      throw new PathRunError(taken, error);
    }
    if (wasCut()) return null;
    const verdict = judgeRun(template, result, properties);
    return verdict.violation === null ? null : verdict;
  };
}

/** Every schedule of `scope` under `strategy`, each run judged by `properties` (the first
 * violated one counts). */
export function exploreScope(
  scope: Scope,
  strategy: Strategy,
  profile: ProfileName,
  properties: readonly PropertyName[],
  settings: Omit<ExploreSettings, 'maxDecisions'>,
  routing?: RoutingMap,
): ScopeExploration {
  const outcome = explore<CaseVerdict>(scopeRunPath(scope, strategy, profile, properties, routing), { ...settings, maxDecisions: scope.bounds.maxDecisions });
  const found = outcome.counterexample;
  return { outcome, case: found === null ? null : scopeCase(scope, strategy, profile, found.decisions) };
}
