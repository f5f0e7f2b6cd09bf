import { memoryStore } from '../models/stores/memory.js';
import { sqlStrategy } from '../models/strategies/sql.js';
import type { Strategy } from '../models/strategies.js';
import type { RealVersion } from './versions.js';

/**
 * The model of what a real deployment runs: the case's routing, and the session store the
 * version really has, whatever the strategy's store is: each process's memory in 1.8 and 1.12
 * (#6705), the database from 1.13 (#7302). Workers mount what the version's worker app mounts
 * (no strategy's "mounts everything"), and session IDs are Synapse's own.
 */
export function realModelStrategy(strategy: Strategy, version: RealVersion): Strategy {
  const { mountsEverything: _m, sessionIdsNameOwner: _s, ...rest } = strategy;
  return { ...rest, store: version === '1.13' ? sqlStrategy.store : memoryStore };
}
