// The code's citations of the documentation (scripts/citations.ts): every cited section exists,
// and the rewrite to the docs/ form (scripts/renumber-citations.ts) keeps what each one cites.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { architectureCitations, architectureHeadings, documentedSections, rewriteCitations, sectionCitations } from '../../scripts/citations.js';
import { citingFiles } from '../../scripts/renumber-citations.js';
import { repoRoot } from '../../scripts/repo-root.js';

const root = repoRoot();
const files = citingFiles(root).map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
const known = documentedSections();

describe('citations of docs/synapse-uia.md', () => {
  it('the page has every section the old reference had: 1.1-1.5, 2.1-2.13, 3.1-3.4, 4.1-4.6, 5, 6.1-6.7', () => {
    const expected = [
      ...['1', '2', '3', '4', '5', '6'],
      ...[1, 2, 3, 4, 5].map((n) => `1.${n}`),
      ...Array.from({ length: 13 }, (_, i) => `2.${i + 1}`),
      ...[1, 2, 3, 4].map((n) => `3.${n}`),
      ...[1, 2, 3, 4, 5, 6].map((n) => `4.${n}`),
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `6.${n}`),
    ];
    expect([...known].sort()).toEqual(expected.sort());
  });

  it('every section the code cites is on the page', () => {
    const cited = files.flatMap(({ file, text }) => sectionCitations(text, known).flatMap((c) => c.sections.map((s) => `${s} (${file})`)));
    expect(cited.length).toBeGreaterThan(500);
    expect(cited.filter((c) => !known.has(c.split(' ')[0] as string))).toEqual([]);
  });

  it('every section named as `docs/architecture.md "X"` (or the old `DESIGN.md "X"`) is a heading there', () => {
    const headings = architectureHeadings();
    const cited = new Set(files.flatMap(({ text }) => architectureCitations(text)));
    expect(cited.size).toBeGreaterThan(5);
    expect([...cited].filter((name) => !headings.has(name))).toEqual([]);
  });
});

describe('the rewrite to the docs/ form', () => {
  const cases: [string, string, string][] = [
    ['a single section', 'x (ref 2.4) y', 'x (uia §2.4) y'],
    ['the § form', 'retry (ref §2.4 idempotency)', 'retry (uia §2.4 idempotency)'],
    ['a list', 'ref 1.4, 2.6: the page', 'uia §1.4, §2.6: the page'],
    ['a list with "and"', 'ref 2.4 and 2.10', 'uia §2.4 and §2.10'],
    ['a range', '(ref 2.3-2.12, 3.1)', '(uia §2.3-2.12, §3.1)'],
    ['a list over a line break', ' * (ref 1.5,\n * 2.6) and', ' * (uia §1.5,\n * §2.6) and'],
    ['a step and a remark inside a list', 'ref 2.4 step 3, 2.2 (#7268), 2.9', 'uia §2.4 step 3, §2.2 (#7268), §2.9'],
    ['a version after a semicolon stays a version', "(ref 2.4; 1.8's check_auth, ref 2.2)", "(uia §2.4; 1.8's check_auth, uia §2.2)"],
    ['a version after "and" stays a version', "ref 2.6, and 1.8's email", "uia §2.6, and 1.8's email"],
    ['a count after "and" stays a count', 'ref 2.4 steps 2 and 5', 'uia §2.4 steps 2 and 5'],
    ['a whole section', 'ref 5 #7512; ref §4 mapping', 'uia §5 #7512; uia §4 mapping'],
    ['the design notes', 'DESIGN.md "The engine"; DESIGN.md\'s rule', 'docs/architecture.md "The engine"; docs/architecture.md\'s rule'],
    ['the profile switches: their data and the template that prints it', "{ key: 'unknownSession', ref: '2.2, 2.3 #7268' }; `(ref ${ref})`", "{ key: 'unknownSession', ref: '§2.2, §2.3 #7268' }; `(uia ${ref})`"],
    ['the old location of the reference', '(`../shared/reference/synapse-uia.md`)', '(`docs/synapse-uia.md`)'],
  ];
  for (const [what, before, after] of cases) {
    it(what, () => expect(rewriteCitations(before, { known }).text).toBe(after));
  }

  it('the link form names the anchors', () => {
    expect(rewriteCitations('(ref 1.4, 2.6; ref 2.3-2.12)', { known, form: 'link' }).text).toBe('(docs/synapse-uia.md#ref-1.4, #ref-2.6; docs/synapse-uia.md#ref-2.3 to #ref-2.12)');
    expect(rewriteCitations("ref: '2.2, 2.3 #7268' `(ref ${ref})`", { known, form: 'link' }).text).toBe("ref: '#ref-2.2, #ref-2.3 #7268' `(docs/synapse-uia.md${ref})`");
  });

  it('over the whole tree, in memory: every file keeps the sections it cites, and a second pass changes nothing', () => {
    for (const form of ['short', 'link'] as const) {
      for (const { file, text } of files) {
        const once = rewriteCitations(text, { known, form }).text;
        expect(sectionCitations(once, known).filter((c) => c.form === 'old'), file).toEqual([]);
        expect(sectionCitations(once, known).flatMap((c) => c.sections), file).toEqual(sectionCitations(text, known).flatMap((c) => c.sections));
        expect(rewriteCitations(once, { known, form }).text, file).toBe(once);
      }
    }
  });
});
