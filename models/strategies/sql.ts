import { sqlStore } from '../stores/sql.js';
import { ROUTING_SHARDED } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const sqlStrategy: Strategy = {
  name: 'sql',
  summary: 'Synapse since 1.13 (#7302): sessions in the shared database; /register round-robin over both workers',
  store: sqlStore,
  routing: ROUTING_SHARDED,
  profile: 'head',
};
