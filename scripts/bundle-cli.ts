// The `uiasim` command and its worker threads as bundles, written over tsc's output of the same
// four entry files (dist/src/cli/main.js, check-worker.js, compare-worker.js, explore-worker.js),
// with the code they share in chunk files beside them. Every npm script that runs the CLI
// builds with tsc and then runs this (`npm run build`).
//
// Why: tsc emits one file per module, and a thread that loads the CLI's ~300 modules spent most
// of its start-up resolving and reading them (main thread plus one worker: 0.51 s of CPU for
// `check --runs 1`, against 0.31 s bundled). The test suite starts the built CLI about 80 times
// (most suites call runCli in their own thread).
//
// The packages the CLI imports statically (fast-check, @commander-js/extra-typings and commander,
// cli-progress, yaml, seedrandom) are bundled too: loading them from node_modules meant 109
// CommonJS files (yaml 72, cli-progress and its dependencies 21, commander 8, seedrandom 8) and
// fast-check's ES module, resolved and read by every thread (`check --runs 1`: 0.46-0.49 ->
// 0.36-0.39 s of CPU, main thread plus one worker). They are the very versions node_modules holds
// (package-lock.json), so runs and shrinks are unchanged. No value crosses from a plug-in into the
// bundle's fast-check: plug-ins give stores and routing, never arbitraries. Packages our own code
// imports with `import()` stay in node_modules: tsx and esbuild load only for a TypeScript plug-in,
// and each finds files of its own (tsx's loader, esbuild's binary) beside itself. Their licences
// go beside the bundles, in dist/src/cli/THIRD-PARTY-LICENSES.txt.
//
// What stays the same: the library entry points (dist/src/index.js, dist/models, dist/properties)
// are tsc's modules, untouched, and import the packages from node_modules. A plug-in
// that imports `uia-sim/models` gets tsc's modules, a second copy of the model beside the
// bundle's: the engine already allows that (src/effects.ts brands its error classes and its
// UNAVAILABLE value with Symbol.for, as for plug-ins loaded through tsx). The workers' URLs
// (`new URL('./check-worker.js', import.meta.url)`) resolve inside dist/src/cli because the chunks
// are written there too.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { repoRoot } from './repo-root.js';

/** The files in src/cli a thread starts from: the command, and the three worker threads. */
export const CLI_ENTRIES = ['main', 'check-worker', 'compare-worker', 'explore-worker'] as const;

/** A package the CLI's own code (not a bundled package) imports with `import()` is left to
 * node_modules. Judged by the importer's path inside the repository, so a checkout that itself
 * sits under a node_modules folder builds the same bundles. */
function dynamicPackagesExternal(root: string): Plugin {
  return {
    name: 'dynamic-packages-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const ours = !relative(root, args.importer).split(/[\\/]/).includes('node_modules');
        return args.kind === 'dynamic-import' && ours ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/** Writes the bundles into dist/src/cli (after tsc). */
export async function bundleCli(): Promise<void> {
  const root = repoRoot();
  const outdir = join(root, 'dist/src/cli');
  // Chunk names carry a content hash: the previous build's would pile up.
  for (const file of readdirSync(outdir)) if (file.startsWith('chunk-')) rmSync(join(outdir, file));
  const { metafile } = await build({
    entryPoints: CLI_ENTRIES.map((name) => join(root, `src/cli/${name}.ts`)),
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [dynamicPackagesExternal(root)],
    // Bundled CommonJS packages call require() for Node's built-ins, which an ES module does not
    // have: each output file makes one. (A bundled module that declared a top-level `require`
    // of its own would clash with it; none does, and the bundles would fail to load at once.)
    banner: { js: "import { createRequire as __uiasimCreateRequire } from 'node:module';\nconst require = __uiasimCreateRequire(import.meta.url);" },
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(outdir, THIRD_PARTY_LICENSES), thirdPartyLicenses(root, Object.keys(metafile.inputs)));
}

/** Beside the bundles: the licence of every package whose code they hold. */
export const THIRD_PARTY_LICENSES = 'THIRD-PARTY-LICENSES.txt';

/** A package without a licence file may give it at the end of its README (seedrandom does):
 * from its "License" heading on. */
function licenceOfReadme(dir: string, files: readonly string[]): string | null {
  const readme = files.find((f) => /^readme/i.test(f));
  if (readme === undefined) return null;
  const lines = readFileSync(join(dir, readme), 'utf8').split('\n');
  const at = lines.findIndex((line) => /^\W*licen[cs]e\b/i.test(line));
  return at < 0 ? null : lines.slice(at).join('\n').trim();
}

/** The licence texts of the packages among `inputs` (esbuild's paths, relative to the root), by
 * package name, each once. */
function thirdPartyLicenses(root: string, inputs: readonly string[]): string {
  const packages = new Map<string, string>();
  for (const input of inputs) {
    // The innermost node_modules/<name> or node_modules/@scope/<name> of the path.
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split('\\').join('/'));
    if (match === null) continue;
    const dir = join(root, match[1] as string);
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    if (packages.has(name)) continue;
    const files = readdirSync(dir);
    const file = files.find((f) => /^licen[cs]e/i.test(f));
    const text = file !== undefined ? readFileSync(join(dir, file), 'utf8').trim() : licenceOfReadme(dir, files) ?? `(no licence file; package.json says ${license ?? 'nothing'})`;
    packages.set(name, `${name} ${version} (${license ?? 'unknown'})\n\n${text}\n`);
  }
  const names = [...packages.keys()].sort();
  return `The uiasim command's bundles (dist/src/cli/*.js) include code of these packages:\n\n${names.map((n) => packages.get(n)).join('\n' + '-'.repeat(72) + '\n\n')}`;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) await bundleCli();
