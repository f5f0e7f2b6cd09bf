import { memoryStore } from '../stores/memory.js';
import { ROUTING_1_8 } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const memory18Strategy: Strategy = {
  name: 'memory-1.8',
  summary: "Synapse 1.8: each process's own session dict; /register to one client_reader, fallback to main (#6705)",
  store: memoryStore,
  routing: ROUTING_1_8,
  profile: '1.8',
};
