import { ALL_PROPERTIES, PROPERTY_NAMES } from '../../properties/violation.js';
import { SCHEMA_VERSION, type CommandOutput } from './check.js';
import { formatOf, UsageError } from './usage.js';

/**
 * `compare --property all`: one matrix per property, in PROPERTY_NAMES order, each judged
 * against its own expectations (text and markdown: the reports one after the other; JSON: their
 * objects in `matrices`). The exit code is the worst of them (3 over 1 over 0). An HTML page
 * shows one matrix, so `--format html` needs one property: exit 2.
 */
export async function compareEveryProperty<O extends { property?: string; format?: string; json?: boolean }>(
  options: O,
  compareMany: (options: readonly O[]) => Promise<CommandOutput[]>,
): Promise<CommandOutput> {
  const format = formatOf(options, ['text', 'markdown', 'json', 'html']);
  if (format === 'html') throw new UsageError(`--property ${ALL_PROPERTIES} makes one matrix per property and --format html shows one; pick a --property: ${PROPERTY_NAMES.join(', ')}`);
  // All matrices at once: one thread pool, and the costs (which no property changes) once.
  const outputs = await compareMany(PROPERTY_NAMES.map((property) => ({ ...options, property })));
  const exitCode = outputs.some((o) => o.exitCode === 3) ? 3 : outputs.some((o) => o.exitCode === 1) ? 1 : 0;
  const stderr = outputs.map((o) => o.stderr ?? '').join('');
  if (format === 'json') {
    const matrices = outputs.map((o) => JSON.parse(o.stdout) as unknown);
    return { stdout: JSON.stringify({ schemaVersion: SCHEMA_VERSION, property: ALL_PROPERTIES, matrices }) + '\n', exitCode, stderr };
  }
  return { stdout: outputs.map((o) => o.stdout).join('\n'), exitCode, stderr };
}
