// @oip/sync-state: the sync worker's state in Redis and its dead-letter queue, in a package so
// the api reads sync state and dead letters without importing an app.
export { SyncState, invariantHolds, encodeState, decodeState, DEFAULT_RELOOK } from './sync-state.js';
export type { ClaimOutcome, RecordState, RelookPolicy, StateEntry, SyncCounters } from './sync-state.js';
export { DeletionLedger } from './deletion-ledger.js';
export { DeadLetterService } from './dead-letter-service.js';
export type {
  DeadLetterEntry,
  DeadLetterFilter,
  DeadLetterServiceOptions,
  GroupOptions,
  ListOptions,
  ReplayResult,
} from './dead-letter-service.js';
export type { DeadLetterGroup, GroupResult } from './dead-letter-groups.js';
export { openRedis, duplicateRedis, isCluster, clusterOptionsFrom } from './redis-connection.js';
export type { RedisConnection, RedisTarget } from './redis-connection.js';
