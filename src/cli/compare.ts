import { defaultJobs } from './jobs.js';
import { Presets, SingleBar } from 'cli-progress';
import { expectationFor } from '../../models/expectations.js';
import { STRATEGIES } from '../../models/strategies.js';
import { COMPARISON_FAULT_PROFILES, FAULT_PROFILES } from '../../properties/fault-profiles.js';
import { SEARCH_CAP_RUNS } from '../../properties/cell.js';
import { makeShardFile, parseShard, shardItems } from '../run/shard.js';
import { renderCompare, type CompareContext } from './compare-render.js';
import { DEFAULT_RUN_TIMEOUT_S, type CommandOutput } from './check.js';
import { computeCells } from './compare-run.js';
import type { CompareShardResult } from './compare-shard.js';
import { packageVersion } from './package-version.js';
import { COSTS_RUNS, loadPluginRow, type CellSpec, type CellSummary, type CostsSummary, type PluginPaths } from './compare-cells.js';
import { PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { choose, formatOf, UsageError } from './usage.js';
import { compareEveryProperty } from './compare-all.js';
import { propertyOption } from './property-labels.js';
import { ALL_PROPERTIES } from '../../properties/violation.js';
import { DEFAULT_WORKLOAD, WORKLOAD_NAMES } from '../../models/clients/workload.js';
import type { CompareSettings } from './compare-print.js';
import { switchesOf } from './switches.js';

export interface CompareOptions {
  strategies?: string;
  faults?: string;
  runs: number;
  seed: number;
  jobs?: number;
  format?: string;
  json?: boolean;
  failOnUnexpected?: boolean;
  store?: string;
  routing?: string;
  property?: string;
  /** --save-failures DIR: every cell's minimal counterexample as a failure file. */
  saveFailures?: string;
  workload?: string;
  /** --failures-file FILE: where the text report writes every failure's reason and token. */
  failuresFile?: string;
  /** --set NAME=VALUE: switches every cell's runs carry (the expectations are for none). */
  set?: string[];
  /** --run-timeout S: a run taking longer makes its cell ERROR (hung), and the comparison goes on. */
  runTimeout?: number;
  /** --shard k/n: compute only every n-th cell from the k-th and print a shard file for `merge`. */
  shard?: string;
}

/** Where the text report puts the failures' reasons and replay tokens unless told otherwise;
 * `{property}` is the matrix's property. */
export const DEFAULT_FAILURES_FILE = 'compare-failures/{property}.txt';

/** The settings and the work of one matrix: plain data (docs/compare.md "Shape of the work"). */
export interface ComparePlan {
  readonly settings: CompareSettings;
  readonly specs: readonly CellSpec[];
}

/** What to compute for one matrix: a verdict cell per strategy x fault profile (a cell
 * expected to be violated searches past N, up to SEARCH_CAP_RUNS), then each strategy's costs. */
export async function planCompare(options: CompareOptions): Promise<ComparePlan & { readonly row: Awaited<ReturnType<typeof loadPluginRow>> }> {
  const property = choose<PropertyName>('property', options.property ?? 'progress-never-lost', PROPERTY_NAMES, (p) => p);
  const workload = choose('workload', options.workload ?? DEFAULT_WORKLOAD, WORKLOAD_NAMES, (w) => w);
  const plugins = pluginPathsOf(options);
  // Loaded here first, so a bad plug-in is one line and exit 2 before any work starts.
  const row = await loadPluginRow(plugins);
  const builtIn = pickList(options.strategies, STRATEGIES, (s) => s.name, 'strategy');
  const strategies = row === undefined ? builtIn : [...builtIn, row.strategy];
  const faultProfiles = options.faults === undefined ? [...COMPARISON_FAULT_PROFILES] : pickList(options.faults, FAULT_PROFILES, (f) => f.name, 'fault profile');
  const costsRuns = Math.min(options.runs, COSTS_RUNS);
  const switches = switchesOf(options.set);
  const set = switches === undefined ? {} : { switches };
  const settings: CompareSettings = {
    ...set,
    property,
    workload,
    runs: options.runs,
    seed: options.seed,
    searchCapRuns: Math.max(options.runs, SEARCH_CAP_RUNS),
    strategies: strategies.map((s) => s.name),
    faultProfiles: faultProfiles.map((f) => f.name),
    pluginRow: row?.strategy.name ?? null,
    costsRuns,
  };
  const specs: CellSpec[] = [
    ...settings.strategies.flatMap((strategy) =>
      settings.faultProfiles.map((faults) => {
        const expectation = switches === undefined ? expectationFor(property, strategy, faults, workload) : undefined;
        return {
          kind: 'verdict' as const,
          strategy,
          faults,
          runs: options.runs,
          seed: options.seed,
          property,
          workload,
          // Only a cell expected to be violated searches past N for its first violation.
          searchUntilRuns: expectation?.verdict === 'violated' ? settings.searchCapRuns : 0,
          ...witnessOf(expectation?.witness),
          plugins,
          ...set,
        };
      }),
    ),
    ...settings.strategies.map((strategy) => ({ kind: 'costs' as const, strategy, runs: costsRuns, seed: options.seed, plugins, ...set })),
  ];
  return { settings, specs, row };
}

/** Every strategy x fault profile: N runs each, the first failure of a cell made 1-minimal,
 * each verdict judged against models/expectations.ts. Computing (plain outcomes) and printing
 * (a pure function of the settings and every outcome) are separate steps. */
export async function runCompare(options: CompareOptions, terminal?: NodeJS.WriteStream): Promise<CommandOutput> {
  if (propertyOption(options.property) === ALL_PROPERTIES) {
    if (options.shard !== undefined) throw new UsageError(`--shard needs one property: shard each --property separately (${PROPERTY_NAMES.join(', ')})`);
    return compareEveryProperty(options, (list) => compareMatrices(list, terminal));
  }
  if (options.shard === undefined) return (await compareMatrices([options], terminal))[0] as CommandOutput;
  const { context, specs, row } = await prepareMatrix(options);
  const shard = parseShard(options.shard);
  if (options.saveFailures !== undefined) throw new UsageError('--shard and --save-failures do not go together: save the failures of the merged report by replaying its tokens');
  const indices = shardItems(shard, specs.length);
  const computed = await computeWithProgress(options, row, context.runTimeoutS, indices.map((i) => specs[i] as CellSpec), terminal);
  const result: CompareShardResult = { total: specs.length, items: indices.map((index, i) => ({ index, result: computed[i] as CellSummary | CostsSummary })) };
  const of = `items ${indices.map((i) => i + 1).join(',') || 'none'} of ${specs.length} (cells, then costs per strategy)`;
  return { stdout: JSON.stringify(makeShardFile('compare', packageVersion(), options.seed, context, shard, of, result)) + '\n', exitCode: 0 };
}

/** One matrix's plan and how it is rendered. */
async function prepareMatrix(options: CompareOptions): Promise<ComparePlan & { readonly row: Awaited<ReturnType<typeof loadPluginRow>>; readonly context: CompareContext }> {
  const format = formatOf(options, ['text', 'markdown', 'json', 'html']);
  const plan = await planCompare(options);
  const context: CompareContext = {
    settings: plan.settings,
    format,
    failOnUnexpected: options.failOnUnexpected === true,
    failuresFile: (options.failuresFile ?? DEFAULT_FAILURES_FILE).replaceAll('{property}', plan.settings.property),
    runTimeoutS: options.runTimeout ?? DEFAULT_RUN_TIMEOUT_S,
    ...(options.store === undefined ? {} : { storeFile: options.store }),
  };
  return { ...plan, context };
}

/**
 * Matrices that differ only in their property (`--property all`), computed in one pool, which
 * shares what they have in common (src/cli/compare-group.ts): each strategy's costs, and the
 * scans of each strategy and fault profile. Each matrix gets the summaries it computes alone.
 */
async function compareMatrices(optionsList: readonly CompareOptions[], terminal: NodeJS.WriteStream | undefined): Promise<CommandOutput[]> {
  const matrices = [];
  for (const options of optionsList) matrices.push(await prepareMatrix(options));
  const first = matrices[0] as (typeof matrices)[number];
  const computed = await computeWithProgress(optionsList[0] as CompareOptions, first.row, first.context.runTimeoutS, matrices.flatMap((m) => m.specs), terminal);
  const outputs: CommandOutput[] = [];
  let at = 0;
  for (const [m, matrix] of matrices.entries()) {
    const summaries = computed.slice(at, (at += matrix.specs.length));
    outputs.push(await renderCompare(matrix.context, summaries, (optionsList[m] as CompareOptions).saveFailures));
  }
  return outputs;
}

async function computeWithProgress(options: CompareOptions, row: Awaited<ReturnType<typeof loadPluginRow>>, runTimeoutS: number, specs: readonly CellSpec[], terminal: NodeJS.WriteStream | undefined): Promise<(CellSummary | CostsSummary)[]> {
  // The os module only sizes the thread pool; results do not depend on it.
  const jobs = options.jobs ?? defaultJobs();
  const progress = progressBar(specs.length, terminal);
  const plugins = pluginPathsOf(options);
  const computed = await computeCells(specs, { jobs, runTimeoutS, row, plugins }, () => progress?.increment());
  progress?.stop();
  return computed;
}

/** The plug-in files of `--store` and `--routing`, as every worker thread loads them. */
function pluginPathsOf(options: CompareOptions): PluginPaths {
  return { ...(options.store === undefined ? {} : { store: options.store }), ...(options.routing === undefined ? {} : { routing: options.routing }) };
}

function witnessOf(witness: string | undefined): { readonly witness?: string } {
  return witness === undefined ? {} : { witness };
}

/** Progress on the terminal (stderr, when it is one: src/cli/main.ts), never on stdout: that
 * stays the reproducible report. */
function progressBar(total: number, terminal: NodeJS.WriteStream | undefined): SingleBar | null {
  if (terminal === undefined) return null;
  const bar = new SingleBar({ stream: terminal, format: 'compare [{bar}] {value}/{total} cells and costs, {duration}s', hideCursor: true }, Presets.shades_classic);
  bar.start(total, 0);
  return bar;
}

/** The items a comma-separated list names, in its order; none given: all. A list naming none
 * (`""`) or one twice is bad input: it would run the defaults, or a row or column twice. */
function pickList<T>(names: string | undefined, all: readonly T[], nameOf: (t: T) => string, kind: string): T[] {
  if (names === undefined) return [...all];
  if (names.trim() === '') throw new UsageError(`the list of ${kind} names is empty; valid choices: ${all.map(nameOf).join(', ')}`);
  const picked = names.split(',').map((name) => choose(kind, name.trim(), all, nameOf));
  const twice = picked.find((item, at) => picked.indexOf(item) !== at);
  if (twice !== undefined) throw new UsageError(`${kind} ${nameOf(twice)} is named twice`);
  return picked;
}
