import { findStrategy, withPlugins, type Strategy } from '../../models/strategies.js';
import { findFaultProfile } from '../../properties/fault-profiles.js';
import type { Switches } from '../../models/synapse/profile-set.js';
import type { CellOutcome, CellSearch } from '../../properties/cell.js';
import { runCell } from '../../properties/cell-run.js';
import type { PropertySettings } from '../../properties/property.js';
import { sampleCosts, type StrategyCosts } from '../../properties/costs.js';
import type { PropertyName } from '../../properties/violation.js';
import { replayToken } from '../../properties/replay-token.js';
import { checkCaseAll, unrecordedRuns } from '../../properties/check-case.js';
import { decodeTokenPayload } from '../../models/case-codec.js';
import { decodeToken } from '../run/token.js';
import { loadStore, type Plugins } from './plugins.js';
import { loadRouting } from './routing-file.js';

/** The fault profile whose runs the costs are measured on: no faults, only the workload. */
export const COSTS_FAULT_PROFILE = 'steady';
/** The workload the costs are measured on (they are per completed registration). */
export const COSTS_WORKLOAD = 'registration';
/** The costs sample starts with this many runs of the steady column's registration cases (fewer
 * if --runs is smaller) and grows batch by batch until every denominator is at least 100
 * (properties/costs.ts). */
export const COSTS_RUNS = 50;

/** One piece of the comparison's work, as plain data (a worker thread needs nothing else):
 * a cell's verdict, or a strategy's costs. */
export type CellSpec = VerdictSpec | CostsSpec;

/** Plug-in files the comparison loads (in every worker thread). */
export interface PluginPaths {
  readonly store?: string;
  readonly routing?: string;
}

/** A cell: N runs of a strategy under a fault profile. */
export interface VerdictSpec {
  readonly kind: 'verdict';
  readonly strategy: string;
  readonly faults: string;
  readonly runs: number;
  readonly seed: number;
  readonly property: PropertyName;
  /** The cell's workload (`--workload`). */
  readonly workload: string;
  /** A cell expected to be violated: when none of the N runs violates, keep drawing runs up to
   * this many in all until the first violation (properties/cell.ts); 0: run N only. */
  readonly searchUntilRuns: number;
  readonly plugins?: PluginPaths;
  /** `--set` switches every run carries. */
  readonly switches?: Switches;
  /** The expectation's witness (models/expectations/row.ts): replayed when the search finds nothing. */
  readonly witness?: string;
}

/** A strategy's costs: the first `runs` runs of its steady cell, captured. Computed once per
 * strategy, whichever columns are compared. */
export interface CostsSpec {
  readonly kind: 'costs';
  readonly strategy: string;
  readonly runs: number;
  readonly seed: number;
  readonly plugins?: PluginPaths;
  readonly switches?: Switches;
}

/** The plug-in row of a comparison: the store (on sql's routing and profile) and/or the worker
 * map; named after the store, or `custom-routing` with sql's store. */
export interface PluginRow {
  readonly strategy: Strategy;
  readonly plugins: Plugins;
}

export async function loadPluginRow(paths: PluginPaths | undefined): Promise<PluginRow | undefined> {
  if (paths === undefined || (paths.store === undefined && paths.routing === undefined)) return undefined;
  const store = paths.store === undefined ? undefined : await loadStore(paths.store);
  const routing = paths.routing === undefined ? undefined : await loadRouting(paths.routing);
  const base = findStrategy('sql') as Strategy;
  const strategy = withPlugins(base, store?.store, routing?.routing);
  const named = store === undefined ? { ...strategy, name: 'custom-routing', summary: `sql's store behind ${paths.routing}` } : strategy;
  return { strategy: named, plugins: { base: base.name, ...(store === undefined ? {} : { store: store.plugin }), ...(routing === undefined ? {} : { routing: routing.plugin }) } };
}

/** What the comparison prints of a cell; plain data, so it crosses thread boundaries. */
export interface CellSummary {
  readonly kind: 'verdict';
  readonly strategy: string;
  readonly faults: string;
  /** N: the runs the rate is over. */
  readonly runs: number;
  /** Violating runs among the first N. */
  readonly violations: number;
  /** Runs drawn in all (more than N when a cell expected to be violated searched past N). */
  readonly runsDrawn: number;
  /** 1-based; past N when only the search found it. */
  readonly firstFailingRun: number | null;
  readonly requests: number | null;
  readonly why: string | null;
  readonly token: string | null;
  /** The message of a run that threw (its token is `token`), or null. */
  readonly error: string | null;
  /** Set when the search found nothing and the expectation's witness was replayed: whether it
   * still violates (then `requests`, `why` and `token` are the witness's). */
  readonly witness?: 'violated' | 'holds';
  /** The run that threw was a plug-in store breaking the contract: what it did, naming the method. */
  readonly storeContract?: string;
}

export interface CostsSummary extends StrategyCosts {
  readonly kind: 'costs';
  readonly strategy: string;
}

/** The property settings a piece of work runs with, and its strategy (the plug-in row's, or a built-in). */
export function cellSettings(spec: CellSpec, row?: PluginRow): { readonly settings: PropertySettings; readonly strategy: Strategy } {
  const strategy = row !== undefined && row.strategy.name === spec.strategy ? row.strategy : findStrategy(spec.strategy);
  const faultProfile = findFaultProfile(spec.kind === 'costs' ? COSTS_FAULT_PROFILE : spec.faults);
  if (strategy === undefined || faultProfile === undefined) throw new Error(`compare: unknown cell ${spec.strategy} x ${spec.kind === 'costs' ? COSTS_FAULT_PROFILE : spec.faults}`);
  const property: PropertyName = spec.kind === 'verdict' ? spec.property : 'progress-never-lost';
  // Costs are per completed registration: measured on the registration workload.
  const workload = spec.kind === 'verdict' ? spec.workload : COSTS_WORKLOAD;
  const settings = { strategy: strategy.name, profile: strategy.profile, ...(spec.switches === undefined ? {} : { switches: spec.switches }), faultProfile, workload, property, runOptions: { strategy } };
  return { settings, strategy };
}

export function cellSearch(spec: VerdictSpec): CellSearch {
  return { untilViolationRuns: spec.searchUntilRuns };
}

/** Computes one piece of work. A cell's runs are seeded by (seed, Synapse profile, fault
 * profile), not by the strategy, so every row on the same profile runs the same cases; so is the
 * costs sample. The answer is the same whichever thread computes it, and whichever other work
 * runs; it is plain JSON, so a shard can carry it to the printer. */
export function computeCell(spec: VerdictSpec, row?: PluginRow): CellSummary;
export function computeCell(spec: CostsSpec, row?: PluginRow): CostsSummary;
export function computeCell(spec: CellSpec, row?: PluginRow): CellSummary | CostsSummary;
export function computeCell(spec: CellSpec, row?: PluginRow): CellSummary | CostsSummary {
  const { settings, strategy } = cellSettings(spec, row);
  // A hung costs run needs no case (its figures are n/a), so the sample's runs are unrecorded.
  if (spec.kind === 'costs') return { kind: 'costs', strategy: spec.strategy, ...unrecordedRuns(() => sampleCosts(settings, spec.runs, spec.seed)) };
  return verdictSummary(spec, runCell(settings, spec.runs, spec.seed, cellSearch(spec)), strategy, row);
}

/** What the comparison prints of a verdict cell, from its outcome (or its witness, when the
 * search found nothing). */
export function verdictSummary(spec: VerdictSpec, outcome: CellOutcome, strategy: Strategy, row?: PluginRow): CellSummary {
  const minimal = outcome.minimal;
  const plugins = row?.strategy.name === spec.strategy ? row.plugins : undefined;
  const error = outcome.error;
  if (error === null && outcome.firstFailingRun === null && spec.witness !== undefined) return witnessCell(spec, outcome.runs, outcome.runsDrawn, strategy);
  return {
    kind: 'verdict',
    strategy: spec.strategy,
    faults: spec.faults,
    runs: outcome.runs,
    violations: outcome.violations,
    runsDrawn: outcome.runsDrawn,
    firstFailingRun: outcome.firstFailingRun,
    requests: minimal?.violation.requests ?? null,
    why: minimal?.violation.why ?? null,
    // A run that threw: its case replays the throw; otherwise the minimal counterexample's.
    token:
      error !== null ? replayToken(error.case, spec.property, '', plugins) : minimal === null ? null : replayToken(minimal.case, spec.property, minimal.result.traceHash, plugins),
    error: error === null ? null : `run ${error.run} threw: ${error.message}`,
    ...(error?.storeContract === undefined ? {} : { storeContract: error.storeContract }),
  };
}

/**
 * A cell whose search found nothing, judged by its expectation's witness: the recorded case,
 * run again under this cell's strategy and judged by this cell's property. A witness of another
 * cell is a broken expectation table, not a verdict.
 */
function witnessCell(spec: VerdictSpec, runs: number, runsDrawn: number, strategy: Strategy): CellSummary {
  const payload = decodeTokenPayload(decodeToken(spec.witness as string));
  const recorded = `${payload.case.strategy} x ${payload.property}`;
  if (payload.case.strategy !== spec.strategy || payload.property !== spec.property) {
    throw new Error(`models/expectations: the witness of ${spec.strategy} under ${spec.faults} (${spec.property}) was recorded for ${recorded}`);
  }
  const verdict = checkCaseAll(payload.case, [spec.property], { strategy });
  const violation = verdict.violation;
  return {
    kind: 'verdict',
    strategy: spec.strategy,
    faults: spec.faults,
    runs,
    violations: 0,
    runsDrawn,
    firstFailingRun: null,
    requests: violation?.requests ?? null,
    why: violation?.why ?? null,
    token: violation === null ? null : replayToken(payload.case, spec.property, verdict.result.traceHash),
    error: null,
    witness: violation === null ? 'holds' : 'violated',
  };
}
