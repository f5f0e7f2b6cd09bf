import { memoryStore } from '../stores/memory.js';
import { ROUTING_STICKY_COOKIE } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const stickyCookieStrategy: Strategy = {
  name: 'sticky-cookie',
  summary: "each process's own session dict; every process mounts every UIA endpoint; affinity by a router cookie",
  store: memoryStore,
  routing: ROUTING_STICKY_COOKIE,
  profile: '1.8',
  mountsEverything: true,
};
