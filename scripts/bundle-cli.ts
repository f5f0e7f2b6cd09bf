// The `uiasim` command and its worker threads as bundles, written over tsc's output of the same
// four entry files (dist/src/cli/main.js, check-worker.js, compare-worker.js, explore-worker.js),
// with the code they share in chunk files beside them. Every npm script that runs the CLI
// builds with tsc and then runs this (`npm run build`).
//
// Why: tsc emits one file per module, and a thread that loads the CLI's ~300 modules spent most
// of its start-up resolving and reading them (main thread plus one worker: 0.51 s of CPU for
// `check --runs 1`, against 0.31 s bundled). The test suite starts the CLI ~240 times.
//
// The packages the CLI imports statically (fast-check, commander, cli-progress, yaml,
// seedrandom) are bundled too: fast-check alone is about 200 CommonJS files, and resolving and
// reading them took each thread about 40 ms (`check --runs 1`: 0.48 -> 0.37 s of CPU, main
// thread plus one worker). They are the very versions node_modules holds (package-lock.json), so
// runs and shrinks are unchanged. No value crosses from a plug-in into the bundle's fast-check:
// plug-ins give stores and routing, never arbitraries. Packages imported dynamically stay in
// node_modules: tsx and esbuild load only for a TypeScript plug-in, and each finds files of its
// own (tsx's loader, esbuild's binary) beside itself.
//
// What stays the same: the library entry points (dist/src/index.js, dist/models, dist/properties)
// are tsc's modules, untouched, and import the packages from node_modules. A plug-in
// that imports `uia-sim/models` gets tsc's modules, a second copy of the model beside the
// bundle's: the engine already allows that (src/effects.ts brands its error classes and its
// UNAVAILABLE value with Symbol.for, as for plug-ins loaded through tsx). The workers' URLs
// (`new URL('./check-worker.js', import.meta.url)`) resolve inside dist/src/cli because the chunks
// are written there too.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { repoRoot } from './repo-root.js';

/** The files in src/cli a thread starts from: the command, and the three worker threads. */
export const CLI_ENTRIES = ['main', 'check-worker', 'compare-worker', 'explore-worker'] as const;

/** A package the CLI's own code imports with `import()` is left to node_modules. */
const dynamicPackagesExternal: Plugin = {
  name: 'dynamic-packages-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.kind === 'dynamic-import' && !/[\\/]node_modules[\\/]/.test(args.importer) ? { path: args.path, external: true } : undefined));
  },
};

/** Writes the bundles into dist/src/cli (after tsc). */
export async function bundleCli(): Promise<void> {
  const root = repoRoot();
  const outdir = join(root, 'dist/src/cli');
  // Chunk names carry a content hash: the previous build's would pile up.
  for (const file of readdirSync(outdir)) if (file.startsWith('chunk-')) rmSync(join(outdir, file));
  await build({
    entryPoints: CLI_ENTRIES.map((name) => join(root, `src/cli/${name}.ts`)),
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [dynamicPackagesExternal],
    // Bundled CommonJS packages call require() for Node's built-ins, which an ES module does not
    // have: each output file makes one.
    banner: { js: "import { createRequire as __uiasimCreateRequire } from 'node:module';\nconst require = __uiasimCreateRequire(import.meta.url);" },
    sourcemap: true,
    logLevel: 'warning',
  });
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) await bundleCli();
