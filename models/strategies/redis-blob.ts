import { redisBlobStore } from '../stores/redis-blob.js';
import { ROUTING_SHARDED } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const redisBlobStrategy: Strategy = {
  name: 'redis-blob',
  summary: 'the whole session as one Redis value with a 48 h TTL, read-modify-write; Redis without persistence',
  store: redisBlobStore,
  routing: ROUTING_SHARDED,
  profile: 'head',
};
