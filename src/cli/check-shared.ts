import { CoverageTally, type CoverageParts } from '../../properties/coverage.js';
import { caseAtRun, type RangeScan } from '../../properties/search-range.js';
import type { PropertyName } from '../../properties/violation.js';
import { chunksOf, hungRunIndex, runTasks, shrunkEvent, skipPast, type CheckSpec, type CheckTask, type CheckTaskResult, type LoadedSpec, type RangeOutcome, type RangeRunOptions } from './check-runs.js';
import type { TaskOutcome } from './supervisor.js';

/** A property's first event over the chunks in order, and the coverage of the runs up to it. */
interface Found {
  readonly event: RangeScan['event'] | { readonly kind: 'hung'; readonly index: number };
  readonly coverage: CoverageParts;
}

/**
 * `check --property all` over the properties that draw the same cases (every one but liveness),
 * in their order: [start, end) is scanned once on `jobs` threads (scanRangeAll), then the first
 * property in order with an event is the one `check --property all` stops at, and only its
 * violation is shrunk. The outcomes, one per property up to and including that one, are each the
 * `runRange` of that property alone; the properties after it are not reported, as before.
 */
export async function runRangeAll(spec: CheckSpec, loaded: LoadedSpec, options: RangeRunOptions, properties: readonly PropertyName[]): Promise<RangeOutcome[]> {
  const chunks = chunksOf(options.start, options.end, options.jobs);
  const tasks: CheckTask[] = chunks.map((c) => ({ kind: 'scan-all', seed: options.seed, start: c.start, end: c.end, properties }));
  const seen: (TaskOutcome<CheckTaskResult> | undefined)[] = [];
  // The first property's event ends the scan: a later chunk is not needed.
  const leadEventChunk = (): number =>
    chunks.findIndex((_, i) => {
      const o = seen[i];
      return o !== undefined && (o.kind === 'hung' || (o.kind === 'done' && o.result.kind === 'scan-all' && o.result.scans[0]?.event !== null));
    });
  let shrink: { readonly task: number; readonly property: number } | null = null;
  const outcomes = await runTasks(
    spec,
    loaded,
    options,
    tasks,
    skipPast(chunks.length, leadEventChunk),
    (index, outcome) => {
      if (index >= chunks.length) return;
      seen[index] = outcome;
      if (shrink !== null) return;
      const lead = leadEventChunk();
      const needed = lead === -1 ? chunks.length : lead + 1;
      for (let i = 0; i < needed; i++) if (seen[i] === undefined) return;
      // Every chunk the answer depends on is in: shrink the reported property's violation.
      const found = firstEvents(chunks, seen as TaskOutcome<CheckTaskResult>[], properties);
      const reported = found.findIndex((f) => f.event !== null);
      const event = found[reported]?.event;
      if (event?.kind !== 'violated') return;
      shrink = { task: tasks.length, property: reported };
      tasks.push({ kind: 'shrink', seed: options.seed, index: event.index, property: properties[reported] as PropertyName, ...(options.maxShrinkMs === undefined ? {} : { maxShrinkMs: options.maxShrinkMs }) });
    },
  );
  const found = firstEvents(chunks, outcomes, properties);
  const reported = found.findIndex((f) => f.event !== null);
  const shown = reported === -1 ? found : found.slice(0, reported + 1);
  return shown.map((f, k): RangeOutcome => {
    const range = { start: options.start, end: options.end, coverage: f.coverage };
    const event = f.event;
    if (event === null) return { ...range, event: null };
    if (event.kind === 'error') return { ...range, event };
    const settings = { ...loaded.settings, property: properties[k] as PropertyName };
    // A scan run that never returned: its case is rebuilt from its index (it is every property's).
    if (event.kind === 'hung') return { ...range, event: { kind: 'hung', index: event.index, during: 'run', case: caseAtRun(settings, options.seed, event.index) } };
    if (shrink?.property !== k) throw new Error(`check: the shrink of run ${event.index + 1} (${properties[k]}) was not run`);
    return { ...range, event: shrunkEvent(event.index, outcomes[shrink.task]) };
  });
}

/** Each property's first event over the chunks in order (a hung chunk is an event for every
 * property without one yet), with the coverage of the runs up to it. */
function firstEvents(chunks: readonly { start: number; end: number }[], outcomes: readonly (TaskOutcome<CheckTaskResult> | undefined)[], properties: readonly PropertyName[]): Found[] {
  const tallies = properties.map(() => new CoverageTally());
  const found: (Found | null)[] = properties.map(() => null);
  for (const [i, chunk] of chunks.entries()) {
    const outcome = outcomes[i];
    if (found[0] !== null) break;
    if (outcome === undefined || outcome.kind === 'skipped') throw new Error(`check: chunk ${chunk.start}-${chunk.end} was skipped before any event`);
    if (outcome.kind === 'hung') {
      const index = hungRunIndex(chunk, outcome.runsStarted);
      found.forEach((f, k) => (found[k] = f ?? { event: { kind: 'hung', index }, coverage: (tallies[k] as CoverageTally).parts() }));
      break;
    }
    if (outcome.result.kind !== 'scan-all') throw new Error(`check: a scan task answered with a ${outcome.result.kind}`);
    const scans = outcome.result.scans;
    found.forEach((f, k) => {
      if (f !== null) return;
      const scan = scans[k] as RangeScan;
      const tally = tallies[k] as CoverageTally;
      tally.addParts(scan.coverage);
      if (scan.event !== null) found[k] = { event: scan.event, coverage: tally.parts() };
    });
  }
  return found.map((f, k) => f ?? { event: null, coverage: (tallies[k] as CoverageTally).parts() });
}
