import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import SlowFirstSequencer from './vitest.sequencer.js';

// Two projects, so either runs alone (`npx vitest run --project sim`, `--project real`): the
// simulated suites, and the suites that drive a real Synapse deployment (test/real/).
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 120_000,
    setupFiles: ['./vitest.setup.ts'],
    passWithNoTests: true,
    // The longest files first, so none is left to run alone at the end (vitest.sequencer.ts).
    sequence: { sequencer: SlowFirstSequencer },
    // .ci/run asks for a JSON report beside the usual output, so README's `npm test` runs unchanged.
    ...(process.env.UIASIM_VITEST_REPORT ? { reporters: ['default', ['json', { outputFile: process.env.UIASIM_VITEST_REPORT }]] } : {}),
    projects: [
      // isolate: false: the simulated suites share one module graph instead of importing it again
      // for every file (129 files); no test changes global state it does not restore.
      // maxWorkers: vitest's default is one file at a time on two cores (cores - 1). Two files at
      // once keep both CPUs busy (1.76 CPUs on average over the project; most commands run in the
      // test's own thread, test/cli/run-cli.ts); three were slower (135 s against 128-130 s,
      // docs/performance.md). No file reads back a path another file writes: test-output/ files
      // are per test file (html-browser.test.ts's report and screenshots at its top), and
      // `compare`'s default failures file (compare-failures/ at the root), which several files'
      // runs write, is never read back. This setting wins over `--maxWorkers` on the command line;
      // for one file at a time, use `--no-file-parallelism`.
      {
        extends: true,
        test: {
          name: 'sim',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/real/**'],
          isolate: false,
          maxWorkers: Math.max(2, availableParallelism() - 1),
          sequence: { groupOrder: 0 },
        },
      },
      // After the simulated suites (its own group: vitest needs one for a project whose
      // maxWorkers differs), with vitest's default workers, as before.
      { extends: true, test: { name: 'real', include: ['test/real/**/*.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
