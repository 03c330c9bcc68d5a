// Public surface of @oip/sync-worker for other workspaces: test-e2e and the bench start the
// worker in-process from a config built in code, and read its Redis state.
export { startSyncWorker } from './worker.js';
export type { SyncWorker, SyncWorkerDeps } from './worker.js';
export { loadConfig, parseConfig } from './config.js';
export type { Config } from './config.js';
export type { DiscoveryReport } from './services/discovery.js';
export { SyncState, openRedis } from '@oip/sync-state';
export type { RedisConnection, RedisTarget, SyncCounters } from '@oip/sync-state';
