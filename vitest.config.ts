import { configDefaults, defineConfig } from 'vitest/config';

// Two projects, so either runs alone (`npx vitest run --project sim`, `--project real`): the
// simulated suites, and the suites that drive a real Synapse deployment (test/real/).
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 120_000,
    setupFiles: ['./vitest.setup.ts'],
    passWithNoTests: true,
    projects: [
      { extends: true, test: { name: 'sim', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/real/**'] } },
      { extends: true, test: { name: 'real', include: ['test/real/**/*.test.ts'] } },
    ],
  },
});
