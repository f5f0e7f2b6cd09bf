import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable } from '../../src/id-table.js';

type Op = { readonly kind: 'set'; readonly id: number; readonly value: number } | { readonly kind: 'take'; readonly id: number } | { readonly kind: 'drain' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), id: fc.nat({ max: 6 }), value: fc.integer() }),
  fc.record({ kind: fc.constant('take' as const), id: fc.nat({ max: 6 }) }),
  fc.record({ kind: fc.constant('drain' as const) }),
);

describe('IdTable behaves as an insertion-ordered Map', () => {
  it('for any sequence of sets, takes and drains', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const table = new IdTable<number>();
        const map = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            table.set(o.id, o.value);
            map.set(o.id, o.value);
          } else if (o.kind === 'take') {
            const expected = map.get(o.id);
            map.delete(o.id);
            expect(table.take(o.id)).toBe(expected);
          } else {
            expect(table.drain()).toEqual([...map.values()]);
            map.clear();
          }
          expect(table.size).toBe(map.size);
          for (let id = 0; id <= 6; id++) expect(table.get(id)).toBe(map.get(id));
        }
        expect(table.drain()).toEqual([...map.values()]);
      }),
    );
  });
});
