import { redisHashStore } from '../stores/redis-hash.js';
import { ROUTING_SHARDED } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const redisHashStrategy: Strategy = {
  name: 'redis-hash',
  summary: 'one Redis hash field per stage (HSET), EXPIRE after creation; Redis without persistence',
  store: redisHashStore,
  routing: ROUTING_SHARDED,
  profile: 'head',
};
