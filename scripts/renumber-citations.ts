/**
 * Rewrites the code's citations to point into docs/ (scripts/citations.ts says how):
 * `ref 2.4` -> `uia §2.4`, `DESIGN.md "The engine"` -> `docs/architecture.md "The engine"`,
 * the reference's old path outside the checkout -> `docs/synapse-uia.md`.
 *
 *   node dist/scripts/renumber-citations.js            dry run: counts, and any cited section
 *                                                       docs/synapse-uia.md does not have
 *   node dist/scripts/renumber-citations.js --write    rewrite the files
 *   ... --form link                                    `docs/synapse-uia.md#ref-2.4` instead
 *
 * It walks src/ models/ properties/ test/ scripts/ bench/ (TypeScript and JavaScript files),
 * except the citation tooling itself. In test/ the reference's old location is left alone: the
 * reference tests compare their checked-in copy with it where it exists.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentedSections, rewriteCitations, sectionCitations, type CitationForm } from './citations.js';
import { repoRoot } from './repo-root.js';

export const CITING_FOLDERS = ['src', 'models', 'properties', 'real', 'test', 'scripts', 'bench'] as const;
/** The tooling that defines the forms, and its test, cite them as examples: never rewritten. */
const EXEMPT = new Set(['scripts/citations.ts', 'scripts/renumber-citations.ts', 'test/docs/citations.test.ts']);
const CODE = /\.(ts|js|mjs|cjs)$/;

/** Every file of the citing folders, relative to the root, in name order. */
export function citingFiles(root: string = repoRoot()): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = join(dir, name);
      if (name === 'node_modules' || name === 'dist') continue;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (CODE.test(name) && !EXEMPT.has(path)) files.push(path);
    }
  };
  for (const folder of CITING_FOLDERS) walk(folder);
  return files;
}

interface Totals {
  files: number;
  sectionCitations: number;
  designCitations: number;
  sharedPaths: number;
}

function main(args: readonly string[]): void {
  const root = repoRoot();
  const write = args.includes('--write');
  const formIndex = args.indexOf('--form');
  const form = (formIndex >= 0 ? args[formIndex + 1] : 'short') as CitationForm;
  if (form !== 'short' && form !== 'link') throw new Error(`--form short or link, not ${String(form)}`);
  const known = documentedSections();
  const perFolder = new Map<string, Totals>();
  const unknown = new Map<string, string[]>();
  for (const file of citingFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const citation of sectionCitations(text, known)) {
      for (const section of citation.sections) {
        if (!known.has(section)) unknown.set(section, [...(unknown.get(section) ?? []), file]);
      }
    }
    const rewrite = rewriteCitations(text, { form, known, sharedPaths: !file.startsWith('test/') });
    if (rewrite.text === text) continue;
    const folder = file.split('/')[0] as string;
    const totals = perFolder.get(folder) ?? { files: 0, sectionCitations: 0, designCitations: 0, sharedPaths: 0 };
    totals.files += 1;
    totals.sectionCitations += rewrite.sectionCitations;
    totals.designCitations += rewrite.designCitations;
    totals.sharedPaths += rewrite.sharedPaths;
    perFolder.set(folder, totals);
    if (write) writeFileSync(join(root, file), rewrite.text);
  }
  console.log(`${write ? 'rewrote' : 'would rewrite (dry run; --write to apply)'}, form ${form}:`);
  let all: Totals = { files: 0, sectionCitations: 0, designCitations: 0, sharedPaths: 0 };
  for (const [folder, t] of [...perFolder].sort(([a], [b]) => (a < b ? -1 : 1))) {
    console.log(`  ${folder.padEnd(11)} ${String(t.files).padStart(4)} files  ${String(t.sectionCitations).padStart(4)} section citations  ${String(t.designCitations).padStart(3)} DESIGN.md  ${t.sharedPaths} old reference paths`);
    all = { files: all.files + t.files, sectionCitations: all.sectionCitations + t.sectionCitations, designCitations: all.designCitations + t.designCitations, sharedPaths: all.sharedPaths + t.sharedPaths };
  }
  console.log(`  ${'total'.padEnd(11)} ${String(all.files).padStart(4)} files  ${String(all.sectionCitations).padStart(4)} section citations  ${String(all.designCitations).padStart(3)} DESIGN.md  ${all.sharedPaths} old reference paths`);
  if (unknown.size === 0) console.log(`every cited section exists in docs/synapse-uia.md (${known.size} sections there)`);
  for (const [section, files] of unknown) console.log(`NOT in docs/synapse-uia.md: ${section}, cited in ${[...new Set(files)].map((f) => relative('.', f)).join(', ')}`);
  if (unknown.size > 0) process.exitCode = 1;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) main(process.argv.slice(2));
