/**
 * The vocabulary of models/expectations.ts, shared by its per-property tables.
 * - `holds`: the property is expected to hold; a violation is a finding.
 * - `violated`: the defect exists and this column reaches it. A cell expected violated that
 *   finds nothing in its N runs keeps drawing runs, up to a cap (properties/cell.ts
 *   SEARCH_CAP_RUNS), until its first violation; not found by then is a surprise. A rare defect
 *   is still `violated`: there is no verdict that cannot fail (docs/compare.md).
 * - a `witness` (a replay token of this very cell: strategy, fault profile, property) marks a
 *   defect too rare for the search at some seeds: when the search finds nothing, the witness is
 *   replayed and must still violate, else the cell is a surprise. It is the evidence, checked on
 *   every run of the matrix, that the column reaches the defect (docs/compare.md "Witnesses").
 */
export type ExpectedVerdict = 'holds' | 'violated';

export interface Expectation {
  readonly verdict: ExpectedVerdict;
  readonly reason: string;
  /** Only with `violated`: a counterexample of this cell that must keep violating. */
  readonly witness?: string;
}

export type ExpectationRow = Readonly<Record<string, Expectation>>;
/** strategy -> fault profile -> expectation. */
export type ExpectationTable = Readonly<Record<string, ExpectationRow>>;

export const holds = (reason: string): Expectation => ({ verdict: 'holds', reason });
export const violated = (reason: string, witness?: string): Expectation => ({ verdict: 'violated', reason, ...(witness === undefined ? {} : { witness }) });

export const COLUMNS = ['steady', 'worker-restart', 'main-restart', 'rolling-deploy', 'store-restart', 'partition', 'lost-responses', 'ip-change', 'slow-user'] as const;
export type Column = (typeof COLUMNS)[number];

/** A row where every column has the same expectation but the ones listed. */
export function row(base: Expectation, overrides: Partial<Record<Column, Expectation>> = {}): ExpectationRow {
  return Object.fromEntries(COLUMNS.map((column) => [column, overrides[column] ?? base]));
}

/** The six strategies on 1.8/1.12 (each process's own session dict, uia §2.2) and the five on head. */
export const STRATEGIES_1_8 = ['memory-1.8', 'pinned-1.12', 'main-only', 'sticky-ip', 'sticky-cookie', 'session-hash'] as const;
export const STRATEGIES_HEAD = ['main-rpc', 'redis-blob', 'redis-hash', 'sql', 'sql-cached'] as const;

/** The same row for several strategies. */
export function rows(strategies: readonly string[], r: ExpectationRow): Record<string, ExpectationRow> {
  return Object.fromEntries(strategies.map((s) => [s, r]));
}
