import type { Strategy } from '../../models/strategies.js';
import type { Case } from '../../models/world.js';
import type { PropertyName } from '../../properties/violation.js';
import { describeDivergence, type Divergence } from '../run/determinism.js';
import { SCHEMA_VERSION, type CommandOutput } from './output.js';
import { captureCase, determinismOf } from './replay.js';

/** `check --check-determinism`: every generated case runs twice more, captured, and the two
 * traces are compared event by event; the first case whose runs differ is kept. */
export class DeterminismWatch {
  found: { readonly case: Case; readonly divergence: Divergence } | null = null;
  cases = 0;

  constructor(
    private readonly property: PropertyName,
    private readonly strategy: Strategy,
  ) {}

  readonly onRun = (c: Case): void => {
    if (this.found !== null) return;
    this.cases++;
    const divergence = determinismOf(captureCase(c, this.property, this.strategy));
    if (divergence !== null) this.found = { case: c, divergence };
  };

  /** What check prints when a case was not deterministic (exit 1). */
  output(format: string, header: Record<string, unknown>): CommandOutput {
    const found = this.found;
    if (found === null) throw new Error('determinism: nothing found');
    if (format === 'json') return { stdout: JSON.stringify({ ...header, schemaVersion: SCHEMA_VERSION, verdict: 'nondeterministic', divergence: found.divergence }) + '\n', exitCode: 1 };
    const text = [
      `determinism: NOT deterministic: case ${this.cases} ran twice and gave two different traces;`,
      ...describeDivergence(found.divergence),
      'A run must be a pure function of its case (docs/architecture.md "The engine"); look for state kept between runs, randomness, time or the environment in the store or the model.',
    ];
    return { stdout: text.join('\n') + '\n', exitCode: 1 };
  }
}
