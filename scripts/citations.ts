/**
 * The code's citations of the documentation, found and rewritten in one place.
 *
 * - Sections of docs/synapse-uia.md: the old form `ref 2.4` (also `ref §2.4`, lists such as
 *   `ref 1.4, 2.6` or `ref 2.4 and 2.10`, ranges such as `ref 2.3-2.12`) becomes `uia §2.4`
 *   (`uia §1.4, §2.6`, `uia §2.3-2.12`), or with `form: 'link'` the anchor itself,
 *   `docs/synapse-uia.md#ref-2.4`. A number after a list separator counts only if it is a section
 *   the page has: in `ref 2.4; 1.8's check_auth` the 1.8 is a Synapse version. The profile
 *   switches' table (models/synapse/profile-switches.ts) holds its citations as data,
 *   `ref: '2.2, 2.3 #7268'`, printed through `(ref ${ref})`: the data becomes `'§2.2, §2.3 #7268'`
 *   and the template `(uia ${ref})`, so the printed line reads like every other citation.
 * - Sections of the design notes: `DESIGN.md "The engine"` becomes
 *   `docs/architecture.md "The engine"` (a heading there).
 * - The reference's old location beside the checkout (`reference/synapse-uia.md` one or more
 *   folders up) becomes `docs/synapse-uia.md`.
 *
 * scripts/renumber-citations.ts applies it to the tree; test/docs/citations.test.ts checks that
 * every cited section exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-root.js';

export type CitationForm = 'short' | 'link';

export const SYNAPSE_UIA_DOC = 'docs/synapse-uia.md';
export const ARCHITECTURE_DOC = 'docs/architecture.md';

/** The sections docs/synapse-uia.md has: every `<a id="ref-N.N"></a>` anchor, as `N.N`. */
export function documentedSections(text: string = readFileSync(join(repoRoot(), SYNAPSE_UIA_DOC), 'utf8')): ReadonlySet<string> {
  return new Set([...text.matchAll(/<a id="ref-([\d.]+)"><\/a>/g)].map((m) => m[1] as string));
}

/** The headings of docs/architecture.md, the names `docs/architecture.md "..."` may cite. */
export function architectureHeadings(text: string = readFileSync(join(repoRoot(), ARCHITECTURE_DOC), 'utf8')): ReadonlySet<string> {
  return new Set([...text.matchAll(/^#{1,4} (.+)$/gm)].map((m) => (m[1] as string).trim()));
}

/** One citation of synapse-uia.md: where it is, its text, and the sections it names. */
export interface SectionCitation {
  readonly index: number;
  readonly text: string;
  readonly sections: readonly string[];
  readonly form: 'old' | 'new';
}

const NUMBER = String.raw`\d+(?:\.\d+)?(?![\d])`;
// A list continues over a comma (possibly ending the line, the next line opening with a comment's
// `*` or `//`), over "and" or " /"; a range over a hyphen.
const LIST_SEPARATOR = String.raw`(?:,|,? and| \/)[ \t]*(?:\n[ \t]*(?:\*(?!\/)|\/\/)?[ \t]*)?`;
// The old form, in prose (`ref 2.4`) or as the data of profile-switches.ts's table
// (`ref: '2.2, 2.3 #7268'`, printed as `(ref ${ref})` by describeProfile).
const OLD_HEAD = new RegExp(String.raw`\b(ref §?|ref: ')(${NUMBER})`, 'g');
const NEW_HEAD = new RegExp(String.raw`\b(uia §|ref: '(?:§|#ref-))(${NUMBER})`, 'g');
const LINK_HEAD = new RegExp(String.raw`(docs/synapse-uia\.md#ref-)(${NUMBER})`, 'g');
// describeProfile's template, which puts the table's data after the word.
const OLD_TEMPLATE = /\(ref \$\{/g;
// What may stand between two sections of one list: a step of the section, or a short remark in
// parentheses (`ref 2.3 (#7068, #7483), 2.9`), issue numbers, GET or POST.
const ASIDE = String.raw`(?:[ \t]+steps?[ \t]+\d+(?:-\d+)?|[ \t]*\([^()\n]{0,60}\)|(?:[ \t]+#\d+)+|[ \t]+(?:GET|POST))?`;
const OLD_NEXT = new RegExp(String.raw`^(${ASIDE}${LIST_SEPARATOR})§?(${NUMBER})`);
const NEW_NEXT = new RegExp(String.raw`^(${ASIDE}${LIST_SEPARATOR})(?:§|#ref-)(${NUMBER})`);
const RANGE = new RegExp(String.raw`^(?:-|–| to )(?:§|#ref-)?(${NUMBER})`);

interface Parsed {
  readonly index: number;
  readonly end: number;
  /** What stands before the first section: `ref `, `ref §`, `ref: '`, `uia §`, ... */
  readonly prefix: string;
  readonly head: string;
  /** Each further section with the separator before it; `range` for `-N.N`. */
  readonly rest: readonly { readonly separator: string; readonly section: string; readonly range: boolean }[];
}

/** A whole number after a separator without `§` is a count ("steps 2 and 5"), not section 5. */
function bareWhole(matched: string, section: string): boolean {
  return !section.includes('.') && !matched.includes('§') && !matched.includes('#ref-');
}

function parse(text: string, head: RegExp, next: RegExp, known: ReadonlySet<string>): Parsed[] {
  const found: Parsed[] = [];
  for (const m of text.matchAll(head)) {
    let end = m.index + m[0].length;
    const rest: { separator: string; section: string; range: boolean }[] = [];
    for (;;) {
      const tail = text.slice(end, end + 80);
      const range = RANGE.exec(tail);
      if (range !== null && known.has(range[1] as string) && !bareWhole(range[0], range[1] as string)) {
        rest.push({ separator: '-', section: range[1] as string, range: true });
        end += range[0].length;
        continue;
      }
      const more = next.exec(tail);
      if (more === null || !known.has(more[2] as string) || bareWhole(more[0], more[2] as string)) break;
      rest.push({ separator: more[1] as string, section: more[2] as string, range: false });
      end += more[0].length;
    }
    found.push({ index: m.index, end, prefix: m[1] as string, head: m[2] as string, rest });
  }
  return found;
}

/** Every citation of synapse-uia.md in `text`, old form (`ref 2.4`) and new (`uia §2.4`, links). */
export function sectionCitations(text: string, known: ReadonlySet<string> = documentedSections()): SectionCitation[] {
  const cite = (p: Parsed, form: 'old' | 'new'): SectionCitation => ({ index: p.index, text: text.slice(p.index, p.end), sections: [p.head, ...p.rest.map((r) => r.section)], form });
  return [
    ...parse(text, OLD_HEAD, OLD_NEXT, known).map((p) => cite(p, 'old')),
    ...parse(text, NEW_HEAD, NEW_NEXT, known).map((p) => cite(p, 'new')),
    ...parse(text, LINK_HEAD, NEW_NEXT, known).map((p) => cite(p, 'new')),
  ].sort((a, b) => a.index - b.index);
}

function render(p: Parsed, form: CitationForm): string {
  // The table's data keeps its quote; describeProfile's template supplies the `uia ` or the page.
  const data = p.prefix === "ref: '";
  if (form === 'short') return `${data ? "ref: '" : 'uia '}§${p.head}${p.rest.map((r) => (r.range ? `-${r.section}` : `${r.separator}§${r.section}`)).join('')}`;
  return `${data ? "ref: '" : SYNAPSE_UIA_DOC}#ref-${p.head}${p.rest.map((r) => (r.range ? ` to #ref-${r.section}` : `${r.separator}#ref-${r.section}`)).join('')}`;
}

const DESIGN_BARE = /\bDESIGN\.md\b/g;
const SHARED_REFERENCE = /(?:\.\.\/)+shared\/reference\/synapse-uia\.md/g;

export interface Rewrite {
  readonly text: string;
  readonly sectionCitations: number;
  readonly designCitations: number;
  readonly sharedPaths: number;
}

/**
 * Rewrites every old-form citation of `text`. `sharedPaths: false` leaves the reference's old
 * location alone (test/ compares the docs with it where it exists).
 */
export function rewriteCitations(text: string, options: { readonly form?: CitationForm; readonly known?: ReadonlySet<string>; readonly sharedPaths?: boolean } = {}): Rewrite {
  const form = options.form ?? 'short';
  const known = options.known ?? documentedSections();
  let out = '';
  let at = 0;
  const parsed = parse(text, OLD_HEAD, OLD_NEXT, known);
  for (const p of parsed) {
    out += text.slice(at, p.index) + render(p, form);
    at = p.end;
  }
  out += text.slice(at);
  out = out.replace(OLD_TEMPLATE, form === 'short' ? '(uia ${' : `(${SYNAPSE_UIA_DOC}\${`);
  const designCitations = (out.match(DESIGN_BARE) ?? []).length;
  out = out.replace(DESIGN_BARE, ARCHITECTURE_DOC);
  let sharedPaths = 0;
  if (options.sharedPaths !== false) {
    sharedPaths = (out.match(SHARED_REFERENCE) ?? []).length;
    out = out.replace(SHARED_REFERENCE, SYNAPSE_UIA_DOC);
  }
  return { text: out, sectionCitations: parsed.length, designCitations, sharedPaths };
}

/** The section names cited as `DESIGN.md "X"` or `docs/architecture.md "X"` (whitespace and a
 * comment's line prefix folded, for a name broken over two lines). */
export function architectureCitations(text: string): string[] {
  return [...text.matchAll(/(?:DESIGN\.md|docs\/architecture\.md)(?:'s)?,? "([^"]+)"/g)].map((m) => (m[1] as string).replace(/\s*\n\s*(?:\*|\/\/)?\s*/g, ' ').trim());
}
