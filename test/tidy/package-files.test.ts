// The packed package holds every module its entry points reach (issue 13 item 2): a folder that
// `uiasim` or an export imports, left out of package.json's `files`, breaks `npx uiasim` only
// once installed (as `dist/real` did for `uiasim real`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  bin: Record<string, string>;
  exports: Record<string, string | { default: string }>;
  files: string[];
};

/** `dist/src/cli/main.js` -> `src/cli/main.ts`. */
function sourceOf(built: string): string {
  return built.replace(/^\.\//, '').replace(/^dist\//, '').replace(/\.js$/, '.ts');
}

describe("package.json's files", () => {
  const graph = importGraph(ROOT, ['src', 'models', 'properties', 'real', 'scripts', 'bench']);
  const entries = [
    ...Object.values(PACKAGE.bin),
    ...Object.values(PACKAGE.exports).flatMap((e) => (typeof e === 'string' ? [] : [e.default])),
  ].map(sourceOf);

  it('every entry point is a module of the graph', () => {
    expect(entries).toContain('src/cli/main.ts');
    for (const entry of entries) expect(graph.has(entry), entry).toBe(true);
  });

  it('hold the folder of every module the entry points reach', () => {
    const reached = new Set<string>();
    const stack = [...entries];
    while (stack.length > 0) {
      const file = stack.pop() as string;
      if (reached.has(file)) continue;
      reached.add(file);
      stack.push(...(graph.get(file) ?? []));
    }
    expect(reached.size).toBeGreaterThan(100);
    const folders = [...new Set([...reached].map((f) => `dist/${f.split('/')[0] ?? ''}`))].sort();
    expect(folders).toContain('dist/real');
    expect(folders.filter((folder) => !PACKAGE.files.includes(folder))).toEqual([]);
  });
});

describe('the packed documents link only to files the package holds', () => {
  // npm packs README.md and package.json whatever `files` says; docs/ is in `files`.
  const documents = ['README.md', ...readdirSync(`${ROOT}docs`).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const packed = (path: string): boolean => path === 'README.md' || path === 'package.json' || PACKAGE.files.some((entry) => !entry.startsWith('!') && (path === entry || path.startsWith(`${entry}/`)));

  it('every relative link of README.md and docs/*.md points into the package', () => {
    const outside: string[] = [];
    for (const document of documents) {
      const text = readFileSync(`${ROOT}${document}`, 'utf8');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = m[1] as string;
        if (/^[a-z]+:/.test(target)) continue;
        const path = relative(ROOT, normalize(join(ROOT, dirname(document), target))).replace(/\/$/, '');
        expect(existsSync(`${ROOT}${path}`), `${document} links to ${target}, which does not exist`).toBe(true);
        if (!packed(path)) outside.push(`${document} -> ${target}`);
      }
    }
    expect(outside).toEqual([]);
  });
});

