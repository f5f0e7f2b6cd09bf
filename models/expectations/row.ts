/**
 * The vocabulary of models/expectations.ts, shared by its per-property tables.
 * - `holds`: the property is expected to hold; a violation is a finding.
 * - `violated`: the defect is expected to show within the default number of runs.
 * - `either`: the defect exists but needs a rare interleaving in this column (two requests of
 *   one session within a few ms, say); not finding it in N runs is not a surprise.
 */
export type ExpectedVerdict = 'holds' | 'violated' | 'either';

export interface Expectation {
  readonly verdict: ExpectedVerdict;
  readonly reason: string;
}

export type ExpectationRow = Readonly<Record<string, Expectation>>;
/** strategy -> fault profile -> expectation. */
export type ExpectationTable = Readonly<Record<string, ExpectationRow>>;

export const holds = (reason: string): Expectation => ({ verdict: 'holds', reason });
export const violated = (reason: string): Expectation => ({ verdict: 'violated', reason });
export const either = (reason: string): Expectation => ({ verdict: 'either', reason });

export const COLUMNS = ['steady', 'worker-restart', 'main-restart', 'rolling-deploy', 'store-restart', 'partition', 'lost-responses', 'ip-change', 'slow-user'] as const;
export type Column = (typeof COLUMNS)[number];

/** A row where every column has the same expectation but the ones listed. */
export function row(base: Expectation, overrides: Partial<Record<Column, Expectation>> = {}): ExpectationRow {
  return Object.fromEntries(COLUMNS.map((column) => [column, overrides[column] ?? base]));
}

/** The six strategies on 1.8/1.12 (each process's own session dict, ref 2.2) and the five on head. */
export const STRATEGIES_1_8 = ['memory-1.8', 'pinned-1.12', 'main-only', 'sticky-ip', 'sticky-cookie', 'session-hash'] as const;
export const STRATEGIES_HEAD = ['main-rpc', 'redis-blob', 'redis-hash', 'sql', 'sql-cached'] as const;

/** The same row for several strategies. */
export function rows(strategies: readonly string[], r: ExpectationRow): Record<string, ExpectationRow> {
  return Object.fromEntries(strategies.map((s) => [s, r]));
}
