// Queue and job names shared by producers (sync discovery, the api) and consumers (sync-worker).

/** Queue of `sync-record` jobs: one per record DID and content version. */
export const SYNC_RECORDS_QUEUE = 'sync-records';
/** Queue holding the discovery job scheduler (`discover` jobs). */
export const SYNC_DISCOVERY_QUEUE = 'sync-discovery';
/**
 * Queue of dead letters. No worker consumes it: entries wait there until an operator lists,
 * replays or discards them (`oip dlq …` or the api).
 */
export const SYNC_DEAD_LETTER_QUEUE = 'sync-dead-letter';

export const JobNames = {
  /** Fetch, validate, convert and index one record. */
  SYNC_RECORD: 'sync-record',
  /**
   * Read one document again from a legacy node's Elasticsearch and index it: the replay of a record
   * `oip migrate records` dead-lettered (same queue as sync-record, same state and dead letters).
   */
  MIGRATE_RECORD: 'migrate-record',
  /** Read registry indexes and the deletion registry from every relay; queue new versions. */
  DISCOVER: 'discover',
  /** A record that failed for good. */
  DEAD_LETTER: 'dead-letter',
} as const;

export type JobName = (typeof JobNames)[keyof typeof JobNames];

/** The id of the discovery job scheduler (one per queue prefix, shared by every worker). */
export const DISCOVERY_SCHEDULER_ID = 'sync-discovery-every';

/** Default BullMQ key prefix of the OIP queues. */
export const DEFAULT_QUEUE_PREFIX = 'oip';
