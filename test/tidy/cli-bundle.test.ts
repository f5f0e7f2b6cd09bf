// The `uiasim` command and its worker threads run as bundles (scripts/bundle-cli.ts): a thread
// then loads a few chunk files instead of the CLI's ~300 modules. If a build skipped the bundle
// step, every command would still work, only slower to start, so these checks say so instead.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_ENTRIES, THIRD_PARTY_LICENSES } from '../../scripts/bundle-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };

/** The relative modules a built file imports, statically or dynamically. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1] as string);
}

describe('the CLI is built as bundles', () => {
  it.each(CLI_ENTRIES)('dist/src/cli/%s.js imports only chunks beside it', (entry) => {
    const imports = relativeImports(`${ROOT}dist/src/cli/${entry}.js`);
    expect(imports.length).toBeGreaterThan(0);
    for (const specifier of imports) expect(specifier, `${entry}.js imports ${specifier}`).toMatch(/^\.\/chunk-[A-Z0-9]+\.js$/);
  });

  it('the bundles import no package from node_modules, only Node built-ins (fast-check and the rest are inside)', () => {
    const files = readdirSync(`${ROOT}dist/src/cli`).filter((name) => name.endsWith('.js') && (name.startsWith('chunk-') || (CLI_ENTRIES as readonly string[]).includes(name.slice(0, -3))));
    expect(files.length).toBeGreaterThan(CLI_ENTRIES.length);
    const builtins = new Set(builtinModules);
    const bare: string[] = [];
    for (const name of files) {
      const text = readFileSync(`${ROOT}dist/src/cli/${name}`, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s(?:[^;"]*?from\s*)?"([^".][^"]*)"/g)) {
        const specifier = (m[1] as string).replace(/^node:/, '');
        if (!builtins.has(specifier)) bare.push(`${name}: ${m[1] as string}`);
      }
    }
    expect(bare).toEqual([]);
  });

  it('the packages our code imports with import() stay in node_modules (tsx and esbuild find their own files)', () => {
    const text = readdirSync(`${ROOT}dist/src/cli`)
      .filter((name) => name.startsWith('chunk-') && name.endsWith('.js'))
      .map((name) => readFileSync(`${ROOT}dist/src/cli/${name}`, 'utf8'))
      .join('\n');
    expect(text).toContain('import("tsx/esm/api")');
    expect(text).toContain('import("esbuild")');
  });

  it('the licence of every bundled package lies beside the bundles', () => {
    const licences = readFileSync(`${ROOT}dist/src/cli/${THIRD_PARTY_LICENSES}`, 'utf8');
    for (const name of ['fast-check', 'pure-rand', 'commander', '@commander-js/extra-typings', 'cli-progress', 'yaml', 'seedrandom']) {
      const version = (JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
      expect(licences, name).toContain(`\n${name} ${version} (`);
    }
    expect(licences).not.toContain('no licence file');
  });

  it('the bin is the bundled entry', () => {
    expect(PACKAGE.bin['uiasim']).toBe('dist/src/cli/main.js');
  });

  it('every npm script that builds with tsc bundles next, before it runs anything', () => {
    const building = Object.entries(PACKAGE.scripts).filter(([, command]) => /\btsc -[bp] tsconfig\.build\.json/.test(command));
    expect(building.map(([name]) => name)).toEqual(expect.arrayContaining(['prepare', 'build', 'start', 'test', 'uiasim', 'readme']));
    for (const [name, command] of building) expect(command, name).toMatch(/^tsc -[bp] tsconfig\.build\.json && node dist\/scripts\/bundle-cli\.js( && |$)/);
  });
});
