// Seed replay without editing a test (toolchain.md, "Seed replay"):
// FC_GLOBAL_SEED=... FC_GLOBAL_PATH=... npx vitest run -t 'name'
import fc from 'fast-check';

const seed = process.env['FC_GLOBAL_SEED'];
const path = process.env['FC_GLOBAL_PATH'];
if (seed !== undefined && seed !== '') {
  fc.configureGlobal({ seed: Number(seed), ...(path ? { path } : {}) });
}
