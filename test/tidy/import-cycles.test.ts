// No import cycles (issue 13 item 8): a module never imports, directly or through others, a
// module that imports it back; type-only imports count, since they tie the modules together as
// much. A shared piece moves to a module of its own that both import.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles, importGraph, importSpecifiers } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['src', 'models', 'properties', 'scripts', 'bench'];

describe('the import graph and its cycles', () => {
  it('reads every kind of import: values, types, re-exports, dynamic imports, import types', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "const e = await import('./e.js');",
      "type F = import('./f.js').F;",
      "import fc from 'fast-check';",
    ].join('\n');
    expect(importSpecifiers('x.ts', text)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js', 'fast-check']);
  });

  it('finds a two-module cycle, a longer one and a self-import; an acyclic graph has none', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['a.ts', 'c.ts']],
      ['c.ts', ['d.ts']],
      ['d.ts', ['e.ts']],
      ['e.ts', ['c.ts']],
      ['f.ts', ['f.ts']],
      ['g.ts', ['a.ts']],
    ]);
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts'], ['c.ts', 'd.ts', 'e.ts'], ['f.ts']]);
    expect(importCycles(new Map([['a.ts', ['b.ts', 'c.ts']], ['b.ts', ['c.ts']], ['c.ts', []]]))).toEqual([]);
  });

  describe('on files: NodeNext specifiers name the emitted .js', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'import-cycles-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a type-only import back is a cycle; a package import is not part of the graph', () => {
      mkdirSync(path.join(dir, 'lib', 'sub'), { recursive: true });
      writeFileSync(path.join(dir, 'lib', 'sim.ts'), "import type { Network } from './sub/network.js';\nimport fc from 'fast-check';\n");
      writeFileSync(path.join(dir, 'lib', 'sub', 'network.ts'), "import type { Sim } from '../sim.js';\n");
      writeFileSync(path.join(dir, 'lib', 'clock.ts'), "export const x = 1;\n");
      const graph = importGraph(dir, ['lib']);
      expect(graph.get('lib/sim.ts')).toEqual(['lib/sub/network.ts']);
      expect(importCycles(graph)).toEqual([['lib/sim.ts', 'lib/sub/network.ts']]);
    });
  });
});

describe('the project has no import cycle', () => {
  const graph = importGraph(ROOT, SCANNED);

  it('the graph covers the modules and their imports', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get('src/sim.ts')).toContain('src/clock.ts');
    expect(graph.get('src/cli/program.ts')?.length).toBeGreaterThan(5);
  });

  it(`no cycle between modules of ${SCANNED.join(', ')}`, () => {
    expect(importCycles(graph)).toEqual([]);
  });
});
