import { memoryStore } from '../stores/memory.js';
import { ROUTING_SESSION_HASH } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const sessionHashStrategy: Strategy = {
  name: 'session-hash',
  summary: "each process's own session dict; session IDs name their process and the router routes by them",
  store: memoryStore,
  routing: ROUTING_SESSION_HASH,
  profile: '1.8',
  mountsEverything: true,
  sessionIdsNameOwner: true,
};
