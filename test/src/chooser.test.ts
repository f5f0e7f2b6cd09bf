import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExhaustiveChooser, RandomChooser, SHARED_OWNER, TapeChooser } from '../../src/chooser.js';
import { Rng } from '../../src/rng.js';

describe('RandomChooser', () => {
  const sequence = (chooser: RandomChooser): number[] => [5, 2, 9, 3, 7, 4, 2, 8].map((n, i) => chooser.pick(n, i % 2));

  it('is seeded and deterministic', () => {
    expect(sequence(new RandomChooser(new Rng(1, 'choices')))).toEqual(sequence(new RandomChooser(new Rng(1, 'choices'))));
    const many = (seed: number): number[] => {
      const c = new RandomChooser(new Rng(seed, 'choices'));
      return Array.from({ length: 32 }, () => c.pick(10, 0));
    };
    expect(many(2)).not.toEqual(many(1));
  });

  it('picks within [0, n)', () => {
    const chooser = new RandomChooser(new Rng(3, 'choices'));
    for (let i = 0; i < 500; i++) {
      const n = 2 + (i % 9);
      const v = chooser.pick(n, 0);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(n);
    }
  });

  it('records every non-trivial pick per owner, in order', () => {
    const chooser = new RandomChooser(new Rng(4, 'choices'));
    const byOwner = new Map<number, number[]>();
    for (const [n, owner] of [
      [3, 0],
      [4, 1],
      [5, SHARED_OWNER],
      [3, 0],
      [2, 1],
      [6, 0],
    ] as const) {
      const v = chooser.pick(n, owner);
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), v]);
    }
    expect(chooser.picks).toEqual(byOwner);
  });

  it('pick(1) answers 0, consumes nothing and records nothing', () => {
    const plain = new RandomChooser(new Rng(5, 'choices'));
    const withTrivial = new RandomChooser(new Rng(5, 'choices'));
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 20; i++) {
      a.push(plain.pick(7, 0));
      expect(withTrivial.pick(1, 0)).toBe(0);
      expect(withTrivial.pick(1, 3)).toBe(0);
      b.push(withTrivial.pick(7, 0));
    }
    expect(b).toEqual(a);
    expect(withTrivial.picks.has(3)).toBe(false);
    expect(withTrivial.picks.get(0)).toEqual(a);
  });
});

describe('TapeChooser', () => {
  it('reads the owner tape entry mod n', () => {
    const chooser = new TapeChooser([[5, 7, 2]]);
    expect(chooser.pick(3, 0)).toBe(2); // 5 mod 3
    expect(chooser.pick(4, 0)).toBe(3); // 7 mod 4
    expect(chooser.pick(2, 0)).toBe(0); // 2 mod 2
  });

  it('answers 0 (the natural order) past the end of a tape', () => {
    const chooser = new TapeChooser([[1]], []);
    expect(chooser.pick(3, 0)).toBe(1);
    expect(chooser.pick(3, 0)).toBe(0);
    expect(chooser.pick(5, 0)).toBe(0);
    expect(chooser.pick(5, SHARED_OWNER)).toBe(0);
  });

  it('keeps owners independent: consuming actor 0 does not shift actor 1', () => {
    const tapes = [
      [1, 2, 3],
      [4, 3, 2, 1],
    ];
    const untouched = new TapeChooser(tapes);
    const expected = [0, 1, 2, 3].map(() => untouched.pick(5, 1));

    const interleaved = new TapeChooser(tapes);
    const actor1: number[] = [];
    for (let i = 0; i < 4; i++) {
      interleaved.pick(5, 0);
      interleaved.pick(5, 0);
      actor1.push(interleaved.pick(5, 1));
    }
    expect(expected).toEqual([4, 3, 2, 1]);
    expect(actor1).toEqual(expected);
  });

  it('uses the shared tape for SHARED_OWNER, independently of the actor tapes', () => {
    const chooser = new TapeChooser([[1, 1]], [2, 3]);
    expect(chooser.pick(4, SHARED_OWNER)).toBe(2);
    expect(chooser.pick(4, 0)).toBe(1);
    expect(chooser.pick(4, SHARED_OWNER)).toBe(3);
    expect(chooser.pick(4, 0)).toBe(1);
  });

  it('answers 0 and records nothing for an owner that has no tape', () => {
    const chooser = new TapeChooser([[3]], [1]);
    expect(chooser.pick(4, 5)).toBe(0);
    expect(chooser.canonical()).toEqual({ actors: [[]], shared: [] });
    expect(chooser.pick(4, 0)).toBe(3);
  });

  it('pick(1) consumes no tape entry', () => {
    const chooser = new TapeChooser([[2, 1]], [3]);
    expect(chooser.pick(1, 0)).toBe(0);
    expect(chooser.pick(1, SHARED_OWNER)).toBe(0);
    expect(chooser.pick(3, 0)).toBe(2);
    expect(chooser.pick(3, 0)).toBe(1);
    expect(chooser.pick(4, SHARED_OWNER)).toBe(3);
  });

  it('canonical() reports the entries mod n and trims trailing zeros per tape', () => {
    const chooser = new TapeChooser([[5, 0, 7, 3, 6], [4]], [9, 8]);
    for (let i = 0; i < 6; i++) chooser.pick(3, 0); // 2, 0, 1, 0, 0, 0 (past the end)
    chooser.pick(2, 1); // 0
    chooser.pick(4, SHARED_OWNER); // 1
    chooser.pick(4, SHARED_OWNER); // 0
    expect(chooser.picks).toEqual([[2, 0, 1, 0, 0, 0], [0], [1, 0]]);
    expect(chooser.canonical()).toEqual({ actors: [[2, 0, 1], []], shared: [1] });
  });

  it('replays its canonical tapes to the same choices', () => {
    const pickArb = fc.record({ n: fc.integer({ min: 1, max: 6 }), owner: fc.integer({ min: -1, max: 2 }) });
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(20), { maxLength: 8 }), { minLength: 3, maxLength: 3 }), fc.array(fc.nat(20), { maxLength: 8 }), fc.array(pickArb, { maxLength: 30 }), (actors, shared, picks) => {
        const first = new TapeChooser(actors, shared);
        const choices = picks.map((p) => first.pick(p.n, p.owner));
        const canonical = first.canonical();
        const again = new TapeChooser(canonical.actors, canonical.shared);
        expect(picks.map((p) => again.pick(p.n, p.owner))).toEqual(choices);
        expect(again.canonical()).toEqual(canonical);
      }),
    );
  });
});

describe('ExhaustiveChooser', () => {
  /** Runs `body` once per branch until the chooser is exhausted; returns the paths taken. */
  function enumerate(chooser: ExhaustiveChooser, body: (c: ExhaustiveChooser) => number[]): number[][] {
    const paths: number[][] = [];
    do {
      paths.push(body(chooser));
      if (paths.length > 1000) throw new Error('runaway enumeration');
    } while (chooser.advance());
    return paths;
  }

  it('enumerates every path of widths 2 then 3 exactly once (6 paths)', () => {
    const paths = enumerate(new ExhaustiveChooser(), (c) => [c.pick(2, 0), c.pick(3, 0)]);
    expect(paths).toHaveLength(6);
    expect(new Set(paths.map((p) => p.join(','))).size).toBe(6);
    expect([...paths].sort()).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
  });

  it('enumerates a tree whose shape depends on earlier picks', () => {
    // First pick of 3; after 0 one more pick of 2; after 1 nothing; after 2 two picks of 2.
    const paths = enumerate(new ExhaustiveChooser(), (c) => {
      const first = c.pick(3, 0);
      if (first === 0) return [first, c.pick(2, 0)];
      if (first === 1) return [first];
      return [first, c.pick(2, 0), c.pick(2, 1)];
    });
    expect(paths.map((p) => p.join(''))).toEqual(['00', '01', '1', '200', '201', '210', '211']);
  });

  it('ignores pick(1): it adds no level to the tree', () => {
    const paths = enumerate(new ExhaustiveChooser(), (c) => [c.pick(1, 0), c.pick(2, 0), c.pick(1, 0), c.pick(2, 0)]);
    expect(paths.map((p) => p.join(''))).toEqual(['0000', '0001', '0100', '0101']);
  });

  it('throws when the widths change between runs', () => {
    const chooser = new ExhaustiveChooser();
    chooser.pick(2, 0);
    chooser.pick(3, 0);
    expect(chooser.advance()).toBe(true);
    expect(chooser.pick(2, 0)).toBe(0);
    expect(() => chooser.pick(4, 0)).toThrow(/choice 1 had 3 options, now 4/);

    const first = new ExhaustiveChooser();
    first.pick(2, 0);
    first.advance();
    expect(() => first.pick(3, 0)).toThrow(/not deterministic/);
  });

  it('reports an empty tree (no choices) as a single run', () => {
    const chooser = new ExhaustiveChooser();
    expect(chooser.pick(1, 0)).toBe(0);
    expect(chooser.advance()).toBe(false);
  });
});
