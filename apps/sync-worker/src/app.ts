// Public surface of @oip/sync-worker for other workspaces (the api uses the DLQ service and
// the counters; tests and the bench start the worker in-process).
export { startSyncWorker, jobOptionsFromConfig } from './worker.js';
export type { SyncWorker, SyncWorkerDeps } from './worker.js';
export { loadConfig, parseConfig, relayUrlFromPeer, ConfigError, ConfigSchema, KNOWN_RECORD_TYPES } from './config.js';
export type { Config } from './config.js';
export { DeadLetterService } from '@oip/sync-state';
export type { DeadLetterEntry, DeadLetterServiceOptions, ListOptions, ReplayResult } from '@oip/sync-state';
export { SyncState, invariantHolds, openRedis, isCluster } from '@oip/sync-state';
export type { RedisConnection, RedisTarget } from '@oip/sync-state';
export type { SyncCounters, StateEntry, RecordState } from '@oip/sync-state';
export { runDiscovery } from './services/discovery.js';
export { applyDeletions } from './services/apply-deletions.js';
export type { DiscoveryReport } from './services/discovery.js';
export { MicroBatcher } from './services/batcher.js';
export { buildHealthApp } from './health/health-app.js';
export { createSyncMetrics } from './health/metrics.js';
export { classifyError, SyncErrorCodes } from './errors.js';
