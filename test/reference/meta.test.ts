// The reference scenarios' own bookkeeping: every test uia §4 names has a mapping entry, every
// entry points at a scenario that exists (an `it` for a scenario, an `it.todo` for a pending
// one).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAPPING } from './mapping.js';
import { keyOf, readSectionFourCopy, referenceTests } from './section-4.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The titles of `it(...)`, `it.fails(...)` or `it.todo(...)` calls in a scenario file (string
 * literals only). */
function titlesIn(file: string, kind: 'it' | 'it.fails' | 'it.todo'): Set<string> {
  const text = readFileSync(join(HERE, file), 'utf8');
  const call = new RegExp(`\\b${kind.replace('.', '\\.')}\\(\\s*(['"\`])((?:\\\\.|(?!\\1).)*)\\1`, 'g');
  return new Set([...text.matchAll(call)].map((m) => (m[2] as string).replace(/\\(.)/g, '$1')));
}

describe('uia §4 mapping', () => {
  const tests = referenceTests(readSectionFourCopy());

  it('extracts the tests of every §4 source (sanity: the extractor sees the whole section)', () => {
    const sources = new Set(tests.map((t) => t.source));
    expect(sources.size).toBeGreaterThanOrEqual(19);
    expect(tests.map(keyOf)).toContain('tests/rest/client/test_auth.py::test_fallback_captcha');
    expect(tests.map(keyOf)).toContain('tests/11register.pl::Can register using an email address');
    expect(tests.map(keyOf)).toContain('tests/rest/client/test_register.py::test_POST_registration_token_session_expiry_deleted_token');
  });

  it('maps every test §4 names to a scenario, a pending scenario or a reasoned exclusion', () => {
    const missing = tests.map(keyOf).filter((key) => MAPPING[key] === undefined);
    expect(missing).toEqual([]);
  });

  it('names no test that §4 does not', () => {
    const known = new Set(tests.map(keyOf));
    expect(Object.keys(MAPPING).filter((key) => !known.has(key))).toEqual([]);
  });

  it('points every scenario at an it(...) (it.fails(...) for a known deviation) and every pending one at an it.todo(...) that exist', () => {
    const problems: string[] = [];
    for (const [key, entry] of Object.entries(MAPPING)) {
      if (entry.kind === 'exclusion') {
        if (entry.reason.trim().length < 20) problems.push(`${key}: an exclusion needs a reason`);
        continue;
      }
      if (!existsSync(join(HERE, entry.file))) {
        problems.push(`${key}: no file ${entry.file}`);
        continue;
      }
      const kind = entry.kind === 'pending' ? 'it.todo' : entry.deviation === undefined ? 'it' : 'it.fails';
      if (!titlesIn(entry.file, kind).has(entry.test)) problems.push(`${key}: ${entry.file} has no ${kind}('${entry.test}')`);
    }
    expect(problems).toEqual([]);
  });
});
