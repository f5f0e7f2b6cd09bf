import { renderHtml } from '../report/html.js';
import type { CommandOutput } from './check.js';
import type { CellSummary, CostsSummary } from './compare-cells.js';
import { compareJson, judgeCells, printCompareText, type CompareSettings } from './compare-print.js';
import { htmlAssets } from './html-assets.js';
import { saveFailures, savedNote } from './save-failures.js';
import { UsageError, writeFileMakingFolder, type OutputFormat } from './usage.js';

/** Everything the comparison's printed report depends on besides its cells: what a shard file
 * carries and `merge` prints with. */
export interface CompareContext {
  readonly settings: CompareSettings;
  readonly format: OutputFormat;
  readonly failOnUnexpected: boolean;
  /** Where the text report writes every failure's reason and replay token. */
  readonly failuresFile: string;
  readonly runTimeoutS: number;
  /** --store's file, named when the store breaks the contract. */
  readonly storeFile?: string;
}

/** The printer of `compare`, unsharded or merged: the same context and cells print the same
 * bytes (a pure function of the settings and every outcome, but for the failures file it writes). */
export async function renderCompare(context: CompareContext, results: readonly (CellSummary | CostsSummary)[], saveFailuresDir?: string): Promise<CommandOutput> {
  const { settings, format } = context;
  const summaries = results.filter((r): r is CellSummary => r.kind === 'verdict');
  // A store that breaks the contract (yields a non-effect, say) is bad input, as in check: one line, exit 2.
  const breach = summaries.find((s) => s.storeContract !== undefined);
  if (breach !== undefined) throw new UsageError(`store file ${context.storeFile ?? breach.strategy}: ${breach.storeContract}`);
  const costs = results.filter((r): r is CostsSummary => r.kind === 'costs');
  const cells = judgeCells(settings, summaries);
  const failing = cells.filter((c) => c.error === null && c.token !== null).map((c) => c.token as string);
  const stderr = saveFailuresDir === undefined ? '' : savedNote(await saveFailures(saveFailuresDir, failing), settings.property);

  if (format === 'json' || format === 'html') {
    const json = compareJson(settings, cells, costs, context.failOnUnexpected);
    const body = JSON.stringify(json.report);
    return { stdout: format === 'html' ? renderHtml(json.report, await htmlAssets(cells, body)) : body + '\n', exitCode: json.exitCode, stderr };
  }
  const printed = printCompareText(settings, cells, costs, { markdown: format === 'markdown', failOnUnexpected: context.failOnUnexpected, failuresFile: context.failuresFile });
  if (printed.failuresText !== null) writeFileMakingFolder(context.failuresFile, printed.failuresText);
  return { stdout: printed.stdout, exitCode: printed.exitCode, stderr };
}
