import { defineConfig } from 'vitest/config';

// Each run simulates a whole deployment: a property of 100 runs takes seconds, more than
// vitest's default 5 s per test on a slow machine.
export default defineConfig({ test: { include: ['*.test.ts'], testTimeout: 120_000 } });
