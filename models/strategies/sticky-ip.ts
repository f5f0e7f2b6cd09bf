import { memoryStore } from '../stores/memory.js';
import { ROUTING_STICKY_IP } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const stickyIpStrategy: Strategy = {
  name: 'sticky-ip',
  summary: "each process's own session dict; every process mounts every UIA endpoint; affinity by client IP",
  store: memoryStore,
  routing: ROUTING_STICKY_IP,
  profile: '1.8',
  mountsEverything: true,
};
