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
      { extends: true, test: { name: 'sim', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/real/**'] } },
      { extends: true, test: { name: 'real', include: ['test/real/**/*.test.ts'] } },
    ],
  },
});
