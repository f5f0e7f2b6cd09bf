// Determinism tidy check (docs/architecture.md, "The engine"): engine code must not reach for wall-clock
// time, ambient randomness, the environment, the locale or GC timing. The fixtures prove each
// rule fires; the last test applies the rules to the real source tree.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findBannedConstructs, RULES } from './tidy-rules.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
// Fixture lines that must be reported carry this trailing comment, so every variant in a
// fixture (global, `globalThis.`, imported alias, ...) is checked, not just one of them.
const MARKER = '// flagged';

const SCANNED = ['src', 'models', 'properties'];
// These may read the wall clock for display only (timestamps in reports, CLI progress).
const EXEMPT = ['src/cli', 'src/report'];

const toPosix = (p: string): string => p.split(path.sep).join('/');
const isExempt = (rel: string): boolean => EXEMPT.some((e) => rel === e || rel.startsWith(`${e}/`));

function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    const rel = toPosix(path.relative(ROOT, full));
    if (entry.isDirectory()) return isExempt(rel) ? [] : tsFilesUnder(full);
    return /\.[cm]?tsx?$/.test(entry.name) ? [rel] : [];
  });
}

function markedLines(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (line.includes(MARKER) ? [i + 1] : []));
}

describe('tidy rules on fixtures', () => {
  it.each(RULES)('%s: fixture is flagged on exactly its marked lines, with that rule only', (rule) => {
    const file = path.join(FIXTURES, `${rule}.ts.txt`);
    expect(existsSync(file), `rule ${rule} has no fixture at ${file}`).toBe(true);
    const text = readFileSync(file, 'utf8');
    const findings = findBannedConstructs(file, text);
    const marked = markedLines(text);
    expect(marked.length, `fixture for ${rule} marks no line with "${MARKER}"`).toBeGreaterThan(0);
    expect([...new Set(findings.map((f) => f.rule))]).toEqual([rule]);
    expect([...new Set(findings.map((f) => f.line))].sort((a, b) => a - b)).toEqual(marked);
  });

  it('every fixture file belongs to a rule (or is the clean file)', () => {
    const known = new Set<string>([...RULES, 'clean'].map((r) => `${r}.ts.txt`));
    const stray = readdirSync(FIXTURES).filter((name) => !known.has(name));
    expect(stray).toEqual([]);
  });

  it('clean near-misses yield no findings', () => {
    const file = path.join(FIXTURES, 'clean.ts.txt');
    const text = readFileSync(file, 'utf8');
    expect(markedLines(text)).toEqual([]);
    expect(findBannedConstructs(file, text)).toEqual([]);
  });
});

describe('determinism tidy scan', () => {
  it(`no banned constructs in ${SCANNED.join('/, ')}/ (except ${EXEMPT.join('/, ')}/)`, () => {
    for (const dir of SCANNED) {
      const full = path.join(ROOT, dir);
      expect(existsSync(full) && statSync(full).isDirectory(), `missing folder ${dir}/`).toBe(true);
    }
    const files = SCANNED.flatMap((dir) => tsFilesUnder(path.join(ROOT, dir))).sort();
    const problems = files.flatMap((rel) =>
      findBannedConstructs(rel, readFileSync(path.join(ROOT, rel), 'utf8')).map(
        (f) => `${rel}:${f.line} ${f.rule} ${f.text}`,
      ),
    );
    expect(problems, `banned constructs (see docs/architecture.md "The engine"):\n${problems.join('\n')}`).toEqual([]);
  });
});
