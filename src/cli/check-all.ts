import { ALL_PROPERTIES, PROPERTY_NAMES, type PropertyName } from '../../properties/violation.js';
import { finishCheck, rangeOptions, resolveCheck, runCheck, SCHEMA_VERSION, type CheckOptions, type CommandOutput } from './check.js';
import { runRangeAll } from './check-shared.js';
import { drawsOwnCases } from '../../properties/case-arbitrary.js';
import { propertyOption } from './property-labels.js';
import { formatOf, UsageError } from './usage.js';

/**
 * `check --property all`: every property in PROPERTY_NAMES order, each over the same seeded
 * runs (liveness's runs make every client persistent, as `--property liveness` does), until one
 * is violated: that one is reported and shrunk with the predicate "that property violated",
 * exactly as `--property P` would; the ones before it are listed as not found. Any other
 * `--property` is plain `check`. The properties that draw the same cases share their runs.
 */
export async function runCheckProperties(options: CheckOptions): Promise<CommandOutput> {
  if (propertyOption(options.property) !== ALL_PROPERTIES) return runCheck(options);
  if (options.shard !== undefined) throw new UsageError(`--shard needs one property: shard each --property separately (${PROPERTY_NAMES.join(', ')})`);
  const format = formatOf(options);
  const outputs: { readonly property: PropertyName; readonly output: CommandOutput }[] = [];
  // Every property but liveness draws the same cases: their runs are made once and each judges
  // them (src/cli/check-shared.ts). --check-determinism runs each property's own search.
  const shared: PropertyName[] = options.checkDeterminism === true ? [] : PROPERTY_NAMES.filter((p) => !drawsOwnCases(p));
  if (shared.length > 0) {
    const { spec, loaded, print } = await resolveCheck({ ...options, property: shared[0] as PropertyName });
    const ranges = await runRangeAll(spec, loaded, rangeOptions(options, print, { start: 0, end: options.runs }), shared);
    for (const [k, range] of ranges.entries()) {
      const property = shared[k] as PropertyName;
      outputs.push({ property, output: await finishCheck({ ...options, property }, { ...print, property }, range) });
    }
  }
  for (const property of PROPERTY_NAMES.filter((p) => !shared.includes(p))) {
    if (outputs.some((o) => o.output.exitCode !== 0)) break;
    const output = await runCheck({ ...options, property });
    outputs.push({ property, output });
  }
  const last = outputs[outputs.length - 1] as { readonly output: CommandOutput };
  const exitCode = last.output.exitCode;
  const stderr = outputs.map((o) => o.output.stderr ?? '').join('');
  if (format === 'json') {
    const reports = outputs.map((o) => JSON.parse(o.output.stdout) as Record<string, unknown>);
    const verdict = exitCode === 0 ? 'holds' : (reports[reports.length - 1]?.['verdict'] ?? 'error');
    return { stdout: JSON.stringify({ schemaVersion: SCHEMA_VERSION, property: ALL_PROPERTIES, verdict, properties: reports }) + '\n', exitCode, stderr };
  }
  return { stdout: outputs.map((o) => o.output.stdout).join('\n'), exitCode, stderr };
}
