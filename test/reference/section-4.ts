// Reads the checked-in copy of uia §4 ("Reference tests") and lists every test it names, each
// keyed by its source file, so the meta-test can demand a mapping entry for each.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The checked-in copy of §4 of the UIA reference the model was written from (verbatim; the
 * repository's own account of those tests is docs/synapse-uia.md §4). */
export const SECTION_4_COPY = join(HERE, 'synapse-uia-section-4.md');

/** One test uia §4 names: `source` is the file it lives in, `name` the Python/Go test name, the
 * SyTest/Complement title, a test class, or `*` for a file §4 lists without naming its tests. */
export interface ReferenceTest {
  readonly source: string;
  readonly name: string;
}

export function keyOf(test: ReferenceTest): string {
  return `${test.source}::${test.name}`;
}

/** §4 of a reference document: from its heading to the rule before §5. */
export function sectionFourOf(reference: string): string {
  const start = reference.indexOf('## 4. Reference tests');
  if (start < 0) throw new Error('reference: no "## 4. Reference tests" heading');
  const end = reference.indexOf('\n-----', start);
  return reference.slice(start, end < 0 ? undefined : end).trimEnd();
}

export function readSectionFourCopy(): string {
  return readFileSync(SECTION_4_COPY, 'utf8').trimEnd();
}

const HISTORICAL_SOURCE = 'tests/rest/client/v2_alpha/test_auth.py';
const TOKEN = /`([^`]+)`|"([^"]+)"|(Historical \(v2_alpha path\))|(\(\+ legacy\))/g;
const SOURCE_FILE = /^([\w./-]+\.(py|go|pl))(::(\w+))?$/;

/**
 * Every test §4 names, in order, without duplicates. The rules, for the way §4 is written:
 * - a backticked `*.py`/`*.go`/`*.pl` path (optionally `path::test`) sets the current source; a
 *   bare file name (`keychanges_test.go`) inherits the previous source's directory;
 * - "Historical (v2_alpha path)" switches to the pre-v1.24 `tests/rest/client/v2_alpha/` file;
 * - backticked `test_*` names (a trailing `*` names a family), `..._suffix` continuations of the
 *   previous name, bare `*_ui_auth` names (test_password_providers lists them without `test_`;
 *   "(+ legacy)" adds the `_legacy` twin), and `*Tests`/`*TestCase` classes are tests;
 * - under a Complement (.go) or SyTest (.pl) source, double-quoted text is a test title; such a
 *   source with no title, or with assertions before its first title, is also listed as a whole
 *   (`*`).
 */
export function referenceTests(section: string): ReferenceTest[] {
  const text = section.replace(/\n\s*/g, ' ');
  const tests: ReferenceTest[] = [];
  const seen = new Set<string>();
  let source = '';
  let titled = true;
  let previous = '';
  // Where the current source's bullet text starts (to see assertions before its first title).
  let sourceEndsAt = 0;
  const add = (name: string): void => {
    const test = { source, name };
    previous = name;
    if (seen.has(keyOf(test))) return;
    seen.add(keyOf(test));
    tests.push(test);
  };
  const closeSource = (): void => {
    if (!titled) add('*');
    titled = true;
  };
  for (const match of text.matchAll(TOKEN)) {
    const [, code, quoted, historical, legacy] = match;
    if (historical !== undefined) {
      closeSource();
      source = HISTORICAL_SOURCE;
    } else if (legacy !== undefined) {
      add(`${previous}_legacy`);
    } else if (quoted !== undefined) {
      if (/\.(go|pl)$/.test(source)) {
        // Assertions written before the first title belong to no title: list the file too.
        if (!titled && text.slice(sourceEndsAt, match.index).includes('→')) add('*');
        add(quoted);
        titled = true;
      }
    } else if (code !== undefined) {
      const file = SOURCE_FILE.exec(code);
      if (file !== null) {
        closeSource();
        const path = file[1] as string;
        source = path.includes('/') ? path : `${source.slice(0, source.lastIndexOf('/') + 1)}${path}`;
        titled = !/\.(go|pl)$/.test(source);
        sourceEndsAt = match.index + match[0].length;
        if (file[4] !== undefined) add(file[4]);
      } else if (/^test_\w+\*?$/.test(code)) add(code);
      else if (/^\.\.\._\w+$/.test(code)) add(continued(previous, code.slice(3)));
      else if (/^[a-z]\w*_ui_auth$/.test(code)) add(`test_${code}`);
      else if (/^[A-Z]\w*(Tests|TestCase)$/.test(code)) add(code);
    }
  }
  closeSource();
  return tests;
}

/** `..._session_expiry_deleted_token` after `test_POST_registration_token_session_expiry`: the
 * previous name up to where the suffix's first word starts, then the suffix. */
function continued(previous: string, suffix: string): string {
  const firstWord = suffix.slice(0, suffix.indexOf('_', 1) < 0 ? undefined : suffix.indexOf('_', 1));
  const at = previous.lastIndexOf(firstWord);
  if (at < 0) throw new Error(`section 4: cannot continue ${previous} with ...${suffix}`);
  return previous.slice(0, at) + suffix;
}
