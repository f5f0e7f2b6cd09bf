import { memoryStore } from '../stores/memory.js';
import { ROUTING_1_12_PINNED } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const pinned112Strategy: Strategy = {
  name: 'pinned-1.12',
  summary: 'the 1.12 documented workaround (#7048): /register and the fallback pinned to one client_reader',
  store: memoryStore,
  routing: ROUTING_1_12_PINNED,
  profile: '1.12',
};
