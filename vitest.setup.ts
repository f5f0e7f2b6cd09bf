// Seed replay without editing a test (toolchain.md, "Seed replay"):
// FC_GLOBAL_SEED=... FC_GLOBAL_PATH=... npx vitest run -t 'name'
import fc from 'fast-check';

const seed = process.env['FC_GLOBAL_SEED'];
const path = process.env['FC_GLOBAL_PATH'];
if (seed !== undefined && seed !== '') {
  fc.configureGlobal({ seed: Number(seed), ...(path ? { path } : {}) });
}

// The commands the suites start run one worker thread each unless a test passes --jobs
// (docs/scale.md "UIASIM_JOBS"): the suite already runs two files at once on this 2-CPU machine,
// and children with two threads each made the sim project spend about a fifth more CPU
// (docs/performance.md, "Threads when commands run side by side"). A value the caller set wins.
process.env['UIASIM_JOBS'] ??= '1';
