import type { RunOptions, RunResult } from '../models/world.js';
import { runCase, type Case } from '../models/world.js';
import { CHECKERS } from './checkers/index.js';
import type { PropertyName, Violation } from './violation.js';

export interface CaseVerdict {
  readonly result: RunResult;
  readonly violation: Violation | null;
}

/** Told of every case about to run, in this thread (a worker's watchdog beacon: a run that never
 * returns can still be named by its case), and whether the run is unrecorded (below). Null:
 * nobody listens. */
export type RunStartListener = (c: Case, unrecorded: boolean) => void;
let runStartListener: RunStartListener | null = null;
let unrecorded = false;

export function listenToRunStarts(listener: RunStartListener | null): void {
  runStartListener = listener;
}

/**
 * Runs `work` with its runs marked unrecorded: whoever supervises the thread can rebuild each
 * one's case from its index in the task (a scan of generated cases), or has no use for it, so a
 * worker need not write the case down (a JSON encoding, about 7% of a run).
 */
export function unrecordedRuns<T>(work: () => T): T {
  const was = unrecorded;
  unrecorded = true;
  try {
    return work();
  } finally {
    unrecorded = was;
  }
}

/** Tells the listener a case is about to run: every run a worker makes, judged or not (the
 * costs sample's runs too), so the watchdog sees progress and never takes a busy task for hung. */
export function noteRunStart(c: Case): void {
  if (runStartListener !== null) runStartListener(c, unrecorded);
}

/** Runs a case and checks one property over its trace. */
export function checkCase(c: Case, property: PropertyName, options: RunOptions = {}): CaseVerdict {
  return checkCaseAll(c, [property], options);
}

/** Runs a case once and checks every property over its trace, in PROPERTY_NAMES order: the
 * first violation (`replay --property all`). */
export function checkCaseAll(c: Case, properties: readonly PropertyName[], options: RunOptions = {}): CaseVerdict {
  noteRunStart(c);
  return judgeRun(c, runCase(c, options), properties);
}

/** Checks every property over a run already made (explore skips the runs it cut short). */
export function judgeRun(c: Case, result: RunResult, properties: readonly PropertyName[]): CaseVerdict {
  for (const property of properties) {
    const checker = CHECKERS[property];
    if (checker === undefined) throw new Error(`unknown property ${String(property)}`);
    const violation = checker(c, result);
    if (violation !== null) return { result, violation: { ...violation, requests: requestsBefore(result, violation) } };
  }
  return { result, violation: null };
}

/** A counterexample's size (docs/architecture.md "Words"), one rule for every property: the client requests
 * sent before the violating response arrived, so a request that raced the violating one and was
 * answered first (#5450's concurrent finals) counts, as `check` lists it. */
function requestsBefore(result: RunResult, violation: Violation): number {
  let requests = 0;
  for (let i = 0; i < violation.observationIndex; i++) if (result.observations[i]?.phase === 'sent') requests++;
  return requests;
}
