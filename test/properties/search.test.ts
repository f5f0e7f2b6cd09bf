import { describe, expect, it } from 'vitest';
import { MemorySessionStore, memoryStore } from '../../models/stores/memory.js';
import { findStrategy } from '../../models/strategies.js';
import type { StoreDefinition } from '../../models/stores/contract.js';
import { findFaultProfile } from '../../properties/fault-profiles.js';
import { search } from '../../properties/search.js';

const steady = findFaultProfile('steady');
if (steady === undefined) throw new Error('no steady fault profile');
const sql = findStrategy('sql');
if (sql === undefined) throw new Error('no sql strategy');

describe('search', () => {
  it('a store that throws is reported as an error with the case that threw, not shrunk into a violation', () => {
    class BrokenStore extends MemorySessionStore {
      // eslint-disable-next-line require-yield
      override *markStageComplete(): Generator<never, boolean, unknown> {
        throw new Error('broken store: markStageComplete');
      }
    }
    const broken: StoreDefinition = { ...memoryStore, name: 'broken', connect: (context) => new BrokenStore(context) };
    const outcome = search(
      { strategy: 'sql', profile: '1.13', faultProfile: steady, workload: 'registration', property: 'progress-never-lost', runOptions: { strategy: { ...sql, store: broken } } },
      100,
      1,
    );
    expect(outcome.verdict).toBe('error');
    if (outcome.verdict !== 'error') return;
    expect(String(outcome.error)).toContain('broken store: markStageComplete');
    expect(outcome.runs).toBeGreaterThanOrEqual(1);
  });

  it('a holding strategy reports the runs made', () => {
    const outcome = search({ strategy: 'sql', profile: '1.13', faultProfile: steady, workload: 'registration', property: 'progress-never-lost' }, 50, 3);
    expect(outcome).toMatchObject({ verdict: 'holds', runs: 50, coverage: { runs: 50 } });
  });
});
