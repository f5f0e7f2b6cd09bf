import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_CASES } from '../../scripts/golden-cases.js';
import { goldenText } from '../../scripts/update-golden.js';

describe('golden traces (regenerate with `npm run golden`, review the diff)', () => {
  for (const name of Object.keys(GOLDEN_CASES)) {
    it(`${name} replays to its committed trace, event for event`, () => {
      const committed = readFileSync(new URL(`./${name}.trace.txt`, import.meta.url), 'utf8');
      expect(goldenText(name)).toBe(committed);
    });
  }

  it('the three cases tell different stories', () => {
    const hashes = Object.keys(GOLDEN_CASES).map((name) => goldenText(name).split('\n')[1]);
    expect(new Set(hashes).size).toBe(3);
  });
});
