// The follow passes on a schedule when MIGRATE_FOLLOW_ELASTICSEARCH_URL is set: their own queue and
// BullMQ job scheduler (one pass every MIGRATE_FOLLOW_INTERVAL_MS, one at a time across the
// workers on the prefix: services/discovery-scheduler.ts), each pass running follow-pass.ts with the
// legacy client legacy-sources.ts opened for that URL.
import type { ConnectionOptions, Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { RecordStore } from '@oip/record-store';
import type { RedisConnection, SyncState } from '@oip/sync-state';
import type { SyncJobOptionsInput } from '@oip/queue-contracts';
import type { Config } from '../config.js';
import type { ErrorLogLimiter } from '../health/rate-limited-log.js';
import type { LegacyClient } from '../processors/migrate-record.js';
import { DiscoveryScheduler } from '../services/discovery-scheduler.js';
import { FollowMark } from './follow-mark.js';
import {
  MIGRATE_FOLLOW_JOB,
  MIGRATE_FOLLOW_QUEUE,
  MIGRATE_FOLLOW_SCHEDULER_ID,
  runFollowPass,
  type FollowPassDeps,
} from './follow-pass.js';
import { legacyUrlKey } from './legacy-sources.js';
import { LEGACY_ES_SOURCE_PREFIX } from '@oip/queue-contracts';

export interface FollowSchedulerParts {
  connection: ConnectionOptions;
  /** For the mark (plain commands). */
  redis: RedisConnection;
  sources: ReadonlyMap<string, LegacyClient>;
  store: RecordStore;
  state: SyncState;
  recordsQueue: Queue;
  jobOptions: SyncJobOptionsInput;
  logger: Logger;
  errors: ErrorLogLimiter;
}

/** The follow passes' deps, or null when following is off. */
export function followPassDeps(config: Config, parts: FollowSchedulerParts): FollowPassDeps | null {
  if (config.migrateFollowUrl === undefined) return null;
  const url = legacyUrlKey(config.migrateFollowUrl);
  const client = parts.sources.get(url);
  if (client === undefined) throw new Error(`no legacy client opened for ${url}`);
  const index = config.migrateFollowIndex;
  return {
    client,
    url,
    index,
    store: parts.store,
    state: parts.state,
    recordsQueue: parts.recordsQueue,
    mark: new FollowMark(parts.redis, config.queuePrefix, `${LEGACY_ES_SOURCE_PREFIX}${url}/${index}`),
    jobOptions: parts.jobOptions,
    logger: parts.logger,
    origin: config.migrateFollowOrigin,
    lookbackMs: config.migrateFollowLookbackMs,
    pageSize: config.migrateFollowPageSize,
  };
}

/** The follow scheduler (not started), or null when following is off. */
export function createFollowScheduler(config: Config, parts: FollowSchedulerParts): DiscoveryScheduler | null {
  const deps = followPassDeps(config, parts);
  if (deps === null) return null;
  return new DiscoveryScheduler({
    connection: parts.connection,
    prefix: config.queuePrefix,
    process: () => runFollowPass(deps),
    intervalMs: config.migrateFollowIntervalMs,
    lockDurationMs: config.lockDurationMs,
    logger: parts.logger,
    errors: parts.errors,
    pass: {
      queue: MIGRATE_FOLLOW_QUEUE,
      schedulerId: MIGRATE_FOLLOW_SCHEDULER_ID,
      jobName: MIGRATE_FOLLOW_JOB,
      label: 'migrate-follow',
    },
  });
}
