import { afterEach, describe, expect, it } from 'vitest';
import { listenToRunStarts } from '../../properties/check-case.js';
import { PROPERTY_NAMES } from '../../properties/violation.js';
import { runCheckProperties } from '../../src/cli/check-all.js';
import { runCheck, type CheckOptions } from '../../src/cli/check.js';

// `check --property all` makes the runs of the properties that draw the same cases once
// (src/cli/check-shared.ts): what it prints must be what checking each property in turn prints.
// In this thread, as vitest runs the sources: the same chunks, skips and shrink as the threads.

/** The report of every property in turn, up to the first that does not hold, as `--property all`
 * joins them; and the exit code of the last. */
async function oneByOne(options: CheckOptions): Promise<{ stdout: string; exitCode: number }> {
  const outputs = [];
  for (const property of PROPERTY_NAMES) {
    const output = await runCheck({ ...options, property });
    outputs.push(output);
    if (output.exitCode !== 0) break;
  }
  return { stdout: outputs.map((o) => o.stdout).join('\n'), exitCode: outputs[outputs.length - 1]?.exitCode ?? -1 };
}

/** The scan runs (unrecorded) `work` starts. */
async function scanRuns<T>(work: () => Promise<T>): Promise<{ value: T; runs: number }> {
  let runs = 0;
  listenToRunStarts((_c, unrecorded) => {
    if (unrecorded) runs++;
  });
  return { value: await work(), runs };
}

afterEach(() => listenToRunStarts(null));

describe('check --property all shares the runs of every property but liveness', () => {
  for (const [what, options, reported, shared] of [
    // exactly-once, the sixth property, first fails at run 22 of 100 (measured): five properties
    // hold over all the runs, one is shrunk; two chunks of 50.
    ['a later property violated (sticky-ip, steady)', { strategy: 'sticky-ip', faults: 'steady', runs: 100, seed: 1, stats: true, jobs: 2 }, 'exactly-once', 100],
    // The first property fails at run 4 (run 6 before Synapse's database connections were pooled:
    // run 4 restarts the database, src/connection-pool.ts): the scan stops there, and the second
    // chunk is not run.
    ['the first property violated (memory-1.8)', { strategy: 'memory-1.8', runs: 120, seed: 1, jobs: 2 }, 'progress-never-lost', 4],
    // A plug-in store that throws when the terms stage is written, first in run 9 (measured):
    // the first property's error ends the check there, as it does alone.
    ['a run that throws (a plug-in store)', { store: 'test/fixtures/plugins/throwing-store.js', runs: 50, seed: 1 }, null, 9],
    // Every property holds: liveness, which draws its own cases, runs after them.
    ['every property holding, in JSON (sql, steady)', { strategy: 'sql', faults: 'steady', runs: 30, seed: 1, format: 'json' }, null, 30 + 30],
  ] as const) {
    it(`prints what checking each property in turn prints: ${what}`, async () => {
      const alone = await oneByOne(options);
      const together = await scanRuns(() => runCheckProperties({ ...options, property: 'all' }));
      const printed = options.format === 'json' ? (JSON.parse(together.value.stdout) as { properties: unknown[] }).properties.map((p) => JSON.stringify(p) + '\n').join('\n') : together.value.stdout;
      expect(printed).toBe(alone.stdout);
      expect(together.value.exitCode).toBe(alone.exitCode);
      if (reported !== null) expect(together.value.stdout).toMatch(new RegExp(`^${reported}: VIOLATED`, 'm'));
      // Each scan run is made once for all the properties that share it.
      expect(together.runs).toBe(shared);
    });
  }
});
