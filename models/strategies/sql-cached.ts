import { sqlCachedStore } from '../stores/sql-cached.js';
import { ROUTING_SHARDED } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const sqlCachedStrategy: Strategy = {
  name: 'sql-cached',
  summary: 'SQL behind a worker-side cache, invalidated over the replication stream with a lag',
  store: sqlCachedStore,
  routing: ROUTING_SHARDED,
  profile: 'head',
};
