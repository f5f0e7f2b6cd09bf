import { configDefaults, defineConfig } from 'vitest/config';

// Two projects, so either runs alone (`npx vitest run --project sim`, `--project real`): the
// simulated suites, and the suites that drive a real Synapse deployment (test/real/).
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 120_000,
    setupFiles: ['./vitest.setup.ts'],
    passWithNoTests: true,
    // .ci/run asks for a JSON report beside the usual output, so README's `npm test` runs unchanged.
    ...(process.env.UIASIM_VITEST_REPORT ? { reporters: ['default', ['json', { outputFile: process.env.UIASIM_VITEST_REPORT }]] } : {}),
    projects: [
      // isolate: false: the simulated suites share one module graph instead of importing it again
      // for every file (129 files); no test changes global state it does not restore.
      { extends: true, test: { name: 'sim', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/real/**'], isolate: false } },
      { extends: true, test: { name: 'real', include: ['test/real/**/*.test.ts'] } },
    ],
  },
});
