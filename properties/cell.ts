import fc from 'fast-check';
import type { Case, RunResult } from '../models/world.js';
import { caseArbitrary, type CaseSettings } from './case-arbitrary.js';
import type { PropertySettings } from './property.js';
import { canonicalJson } from '../src/run/token.js';
import type { Violation } from './violation.js';

/** How far a cell expected to be violated keeps drawing runs past its N when none of the N
 * violated (docs/compare.md): 20,000 runs, in batches of EXTRA_BATCH. */
export const SEARCH_CAP_RUNS = 20_000;
/** Extra runs are drawn in batches of this many cases, each batch from its own seed. */
export const EXTRA_BATCH = 500;

export interface CellOutcome {
  /** N: the runs the cell's rate is over. */
  readonly runs: number;
  /** Runs whose trace violates the property, among the first N. */
  readonly violations: number;
  /** Runs drawn in all: N, or more when a cell expected to be violated searched past N. */
  readonly runsDrawn: number;
  /** 1-based index of the first violating run (past N when only the search found one), or null. */
  readonly firstFailingRun: number | null;
  /** The first violating run made 1-minimal, or null. */
  readonly minimal: { readonly case: Case; readonly violation: Violation; readonly result: RunResult } | null;
  /** A run that threw (a model bug, a plug-in that throws or never returns): the cell stops
   * there, with the case for its replay token. */
  /** A run that threw; `storeContract`: a plug-in store broke the contract (bad input, not a finding). */
  readonly error: { readonly run: number; readonly case: Case; readonly message: string; readonly storeContract?: string } | null;
}

/** A 32-bit seed for (seed, Synapse profile, fault profile, batch): a cell's runs do not depend
 * on which other cells run, in which order, nor on the strategy: every row on the same profile
 * runs the very same cases in a column (the strategy's name is only a label on the case). */
export function cellSeed(seed: number, profile: string, faultProfile: string, batch = 0): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of `${profile}/${faultProfile}${batch === 0 ? '' : `#${batch}`}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h | 0;
}

/** The cases of a column: batch 0 is the cell's first N runs; batch k >= 1 the k-th batch of
 * EXTRA_BATCH runs drawn past N. A pure function of (settings but the strategy, runs, seed). */
export function columnCases(settings: CaseSettings, runs: number, seed: number, batch = 0): Case[] {
  // Every row on a profile runs its column's cases: a thread computing several cells of a
  // column draws them once (fast-check's generation was 5% of a comparison). The memo holds
  // them frozen; each caller gets them labelled with its own strategy.
  const key = canonicalJson([settings.profile, settings.faultProfile.name, settings.workload, settings.maxClients, settings.property, settings.switches, runs, seed, batch]);
  let cases = recentColumns.get(key);
  if (cases === undefined) {
    cases = fc.sample(caseArbitrary(settings), { numRuns: runs, seed: cellSeed(seed, settings.profile, settings.faultProfile.name, batch) });
    for (const c of cases) deepFreeze(c);
    remember(key, cases);
  }
  return cases.map((c) => (c.strategy === settings.strategy ? c : { ...c, strategy: settings.strategy }));
}

/** Cases kept per thread, in whole columns, oldest out first: a Synapse profile's fault profiles
 * at the default 500 runs, with room for the costs column (a case is about 6 KB of heap). */
const RECENT_CASES = 6_000;
const recentColumns = new Map<string, readonly Case[]>();
let recentCaseCount = 0;

function remember(key: string, cases: readonly Case[]): void {
  if (cases.length > RECENT_CASES) return;
  recentColumns.set(key, cases);
  recentCaseCount += cases.length;
  // A Map iterates in insertion order: the oldest column goes first.
  for (const [oldKey, old] of recentColumns) {
    if (recentCaseCount <= RECENT_CASES) break;
    recentColumns.delete(oldKey);
    recentCaseCount -= old.length;
  }
}

/** Shared cases must not change under the next cell that reads them. */
function deepFreeze(value: object): void {
  if (Object.isFrozen(value)) return;
  Object.freeze(value);
  // Tapes are long arrays of numbers: look at each element in place, no Object.values copy.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner: unknown = value[i];
      if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const inner = record[key];
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
  }
}

export interface CellSearch {
  /** Keep drawing runs past N, up to this many runs in all, until the first violation (a cell
   * expected to be violated); 0 or absent: run N only. */
  readonly untilViolationRuns?: number;
}

/** The runs a cell draws in all: its N, or its search cap when that is larger. */
export function cellCap(runs: number, search: CellSearch = {}): number {
  return Math.max(runs, search.untilViolationRuns ?? 0);
}

/** Batch 0 holds the cell's N runs; batch k >= 1 the k-th EXTRA_BATCH past them, cut at the cap. */
export function batchSize(runs: number, cap: number, batch: number): number {
  return batch === 0 ? runs : Math.min(EXTRA_BATCH, cap - runs - (batch - 1) * EXTRA_BATCH);
}

/** The case run `index` (0-based, in the order drawn) of `runCell(settings, runs, seed, search)`
 * was given, without running any: what a supervisor names when that run never returned. */
export function cellCaseAt(settings: PropertySettings, runs: number, seed: number, search: CellSearch, index: number): Case {
  const cap = cellCap(runs, search);
  if (!Number.isSafeInteger(index) || index < 0 || index >= cap) throw new Error(`cellCaseAt: run ${index} is outside the cell's ${cap} runs`);
  const batch = index < runs ? 0 : 1 + Math.floor((index - runs) / EXTRA_BATCH);
  const at = index < runs ? index : (index - runs) % EXTRA_BATCH;
  return columnCases(settings, batchSize(runs, cap, batch), seed, batch)[at] as Case;
}
