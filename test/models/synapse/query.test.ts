// queryParam (models/synapse/query.ts) answers exactly what URLSearchParams.get does, on the
// fast path (no `%`, no `+`) and the slow one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryParam } from '../../../models/synapse/query.js';

const piece = fc.constantFrom('', 'session', 'sid', 'a', '=', '&', '%20', '+', 'x=1', 'sess', 'ion');
const query = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));

describe('queryParam', () => {
  it('agrees with URLSearchParams.get on any query and name', () => {
    fc.assert(
      fc.property(query, fc.constantFrom('', 'session', 'sid', 'a', 'x', 'sess'), (q, name) => {
        expect(queryParam(q, name)).toBe(new URLSearchParams(q).get(name) ?? undefined);
      }),
      { numRuns: 2000, seed: 1 },
    );
  });
});
