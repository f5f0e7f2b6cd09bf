import { memoryStore } from '../stores/memory.js';
import { ROUTING_ALL_TO_MAIN } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const mainOnlyStrategy: Strategy = {
  name: 'main-only',
  summary: "each process's own session dict; every UIA request to main",
  store: memoryStore,
  routing: ROUTING_ALL_TO_MAIN,
  profile: '1.8',
};
