export {
  SYNC_RECORDS_QUEUE,
  SYNC_DISCOVERY_QUEUE,
  SYNC_DEAD_LETTER_QUEUE,
  JobNames,
  DISCOVERY_SCHEDULER_ID,
  DEFAULT_QUEUE_PREFIX,
} from './names.js';
export type { JobName } from './names.js';
export {
  SyncRecordPayloadSchema,
  DiscoverPayloadSchema,
  MigrateRecordPayloadSchema,
  LegacyIndexKindSchema,
} from './payloads.js';
export type { SyncRecordPayload, DiscoverPayload, MigrateRecordPayload } from './payloads.js';
export {
  DeadLetterCodes,
  DeadLetterCodeSchema,
  DeadLetterPayloadSchema,
  DEAD_LETTER_RECORD_MAX_CHARS,
  DEAD_LETTER_SAMPLE_MAX_CHARS,
  DEAD_LETTER_MAX_REASONS,
  MappingConflictReasonSchema,
  InvalidReasonSchema,
  DeadLetterReasonSchema,
  boundReason,
  capRecordJson,
  LEGACY_ES_SOURCE_PREFIX,
  isLegacyEsSource,
  parseLegacyEsSource,
  legacyKindOfType,
} from './dead-letter.js';
export type {
  DeadLetterCode,
  DeadLetterPayload,
  DeadLetterReason,
  MappingConflictReason,
  InvalidReason,
} from './dead-letter.js';
export { didKey, syncRecordJobId, deadLetterJobId } from './job-ids.js';
export {
  CAPPED_EXPONENTIAL,
  syncRecordJobOptions,
  DISCOVER_JOB_OPTIONS,
  DEAD_LETTER_JOB_OPTIONS,
  cappedExponentialBackoff,
} from './job-options.js';
export type { SyncJobOptionsInput } from './job-options.js';
export { validatePayload, checkerOf, PayloadError } from './validate.js';
export { purgePrefix } from './purge-prefix.js';
export type { ClusterKeyScanner, KeyScanner } from './purge-prefix.js';
