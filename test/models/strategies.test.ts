// Strategies (models/strategies.ts): the rows of the comparison.
import { describe, expect, it } from 'vitest';
import { findStrategy, STRATEGY_NAMES } from '../../models/strategies.js';
import { memoryStore } from '../../models/stores/memory.js';
import { sqlStore } from '../../models/stores/sql.js';
import { ROUTING_1_8, ROUTING_SHARDED } from '../../models/topologies/synapse-workers.js';

describe('strategies', () => {
  it('memory-1.8: the memory store, /register pinned to reader1 (uia §2.2, §3.2), profile 1.8', () => {
    expect(findStrategy('memory-1.8')).toMatchObject({ store: memoryStore, routing: ROUTING_1_8, profile: '1.8' });
    expect(ROUTING_1_8.pools['register']?.upstreams).toEqual(['reader1']);
  });

  it('sql: the SQL store, /register round-robin over both workers (uia §2.3), profile head (#7302 and since)', () => {
    expect(findStrategy('sql')).toMatchObject({ store: sqlStore, routing: ROUTING_SHARDED, profile: 'head' });
    expect(ROUTING_SHARDED.pools['register']).toEqual({ balancer: 'round-robin', upstreams: ['reader1', 'reader2'] });
  });

  it('both send everything unmatched (the fallback included) to main (uia §3.2)', () => {
    expect(ROUTING_1_8.defaultUpstream).toBe('main');
    expect(ROUTING_SHARDED.defaultUpstream).toBe('main');
  });

  it('names, and an unknown name', () => {
    expect(STRATEGY_NAMES).toEqual(['memory-1.8', 'pinned-1.12', 'main-only', 'sticky-ip', 'sticky-cookie', 'main-rpc', 'redis-blob', 'redis-hash', 'sql', 'sql-cached', 'session-hash']);
    expect(findStrategy('redis')).toBeUndefined();
  });
});
