import { mainRpcStore } from '../stores/main-rpc.js';
import { ROUTING_SHARDED } from '../topologies/synapse-workers.js';
import type { Strategy } from './strategy.js';

export const mainRpcStrategy: Strategy = {
  name: 'main-rpc',
  summary: "sessions in main's memory; workers reach them over an internal HTTP API on main",
  store: mainRpcStore,
  routing: ROUTING_SHARDED,
  profile: 'head',
};
