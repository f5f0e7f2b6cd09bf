/** The Synapse model: what plug-in stores and routing files are written against. */
export type { SessionRecord, SessionStore, StoreBackend, StoreCall, StoreContext, StoreDefinition, StorePlacement, StoreService, StoreServiceDefinition } from './stores/contract.js';
export { memoryStore, MemorySessionStore } from './stores/memory.js';
export { sqlStore, SqlSessionStore } from './stores/sql.js';
export { UiAuthTables, type UiAuthCommand } from './stores/sql-tables.js';
export { KvService, appendOnly, type KvCommand, type KvReply } from './stores/kv.js';
export { redisBlobStore } from './stores/redis-blob.js';
export { redisHashStore } from './stores/redis-hash.js';
export { mainRpcStore } from './stores/main-rpc.js';
export { sqlCachedStore } from './stores/sql-cached.js';
export { STRATEGIES, findStrategy, withPlugins, type Strategy } from './strategies.js';
export { checkStoreDefinition } from './stores/check-definition.js';
export { checkRoutingMap, type RoutingPlugin } from './topologies/routing-plugin.js';
export { PluginDefinitionError } from './plugin-error.js';
export { PROFILES, PROFILE_NAMES, SESSION_EXPIRE_MS, type Profile, type ProfileName } from './synapse/profile.js';
export { EXPECTATIONS, EXPECTATIONS_WORKLOAD, expectationFor, type Expectation, type ExpectedVerdict } from './expectations.js';
export { NOT_HASHED, runCase, type Case, type RunOptions, type RunResult } from './world.js';
export { type ClientAction, type ClientSpec, type Workload } from './clients/workload.js';
export { MAIN, WORKERS, DATABASE, STORE, PROCESS_NAMES } from './topologies/synapse-workers.js';
