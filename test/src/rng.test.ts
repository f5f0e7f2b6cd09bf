import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng.js';

const draws = (rng: Rng, count: number): number[] => Array.from({ length: count }, () => rng.u32());

describe('Rng', () => {
  it('gives the same stream for the same (seed, label)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.string(), (seed, label) => {
        expect(draws(new Rng(seed, label), 16)).toEqual(draws(new Rng(seed, label), 16));
      }),
      { numRuns: 50 },
    );
  });

  it('gives different streams for different seeds and for different labels', () => {
    const base = draws(new Rng(1, 'web'), 8);
    expect(draws(new Rng(2, 'web'), 8)).not.toEqual(base);
    expect(draws(new Rng(1, 'main'), 8)).not.toEqual(base);
  });

  it('derives a child from (root seed, label path), not from the parent draws', () => {
    const fresh = new Rng(42, '');
    const used = new Rng(42, '');
    draws(used, 100);
    const fromFresh = fresh.child('reader1#1');
    const fromUsed = used.child('reader1#1');
    expect(fromUsed.labelPath).toBe('reader1#1');
    expect(draws(fromUsed, 10)).toEqual(draws(fromFresh, 10));
    expect(draws(new Rng(42, 'reader1#1'), 10)).toEqual(draws(used.child('reader1#1'), 10));
  });

  it('joins nested labels into a path under the same root seed', () => {
    const nested = new Rng(7, '').child('clients').child('app0');
    expect(nested.rootSeed).toBe(7);
    expect(nested.labelPath).toBe('clients/app0');
    expect(draws(nested, 5)).toEqual(draws(new Rng(7, 'clients/app0'), 5));
  });

  it('does not move the parent when a child draws', () => {
    const parent = new Rng(3, 'p');
    const child = parent.child('c');
    draws(child, 50);
    expect(draws(parent, 10)).toEqual(draws(new Rng(3, 'p'), 10));
  });

  it('gives a restarted process (reader1#2) a different stream from its first life (reader1#1)', () => {
    const root = new Rng(5, '');
    const first = root.child('reader1#1');
    const second = root.child('reader1#2');
    expect(second.letters(24)).not.toBe(first.letters(24));
    expect(draws(root.child('reader1#2'), 8)).not.toEqual(draws(root.child('reader1#1'), 8));
  });

  it('letters(24) gives 24 characters of [a-zA-Z], both cases appearing over many draws', () => {
    const rng = new Rng(9, 'sessions');
    let all = '';
    for (let i = 0; i < 50; i++) {
      const id = rng.letters(24);
      expect(id).toMatch(/^[a-zA-Z]{24}$/);
      all += id;
    }
    expect(all).toMatch(/[a-z]/);
    expect(all).toMatch(/[A-Z]/);
    // 1200 draws over 52 letters: every letter shows up.
    expect(new Set(all).size).toBe(52);
    expect(rng.letters(0)).toBe('');
  });

  it('int(n) stays in [0, n) and reaches every value', () => {
    const rng = new Rng(11, 'ints');
    for (const n of [1, 2, 3, 7, 52, 1000, 1 << 20]) {
      for (let i = 0; i < 200; i++) {
        const v = rng.int(n);
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(n);
      }
    }
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(rng.int(5));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('u32 gives unsigned 32-bit integers', () => {
    const rng = new Rng(13, '');
    for (const v of draws(rng, 500)) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(2 ** 32);
    }
  });
});
