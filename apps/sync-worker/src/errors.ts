// Error catalogue of the sync worker. Dead-letter codes live in @oip/queue-contracts (they are
// part of the queue contract); these are the worker's own failures. An invalid configuration is
// @oip/service-kit's ConfigError (CONFIG_INVALID).
import createError from '@fastify/error';
import { UnrecoverableError } from 'bullmq';
import { DeadLetterCodes, type DeadLetterCode } from '@oip/queue-contracts';

export const SyncErrorCodes = {
  STORE_TRANSIENT: 'SYNC_ERR_STORE_TRANSIENT',
  BATCHER_CLOSED: 'SYNC_ERR_BATCHER_CLOSED',
  BATCHER_FULL: 'SYNC_ERR_BATCHER_FULL',
  BATCH_RESULTS: 'SYNC_ERR_BATCH_RESULTS',
  INVALID_PAYLOAD: 'SYNC_ERR_INVALID_PAYLOAD',
  DEAD_LETTERED: 'SYNC_ERR_DEAD_LETTERED',
  REDIS_TIMEOUT: 'SYNC_ERR_REDIS_TIMEOUT',
  REDIS_NOT_READY: 'SYNC_ERR_REDIS_NOT_READY',
  NOT_IDLE: 'SYNC_ERR_NOT_IDLE',
  NOT_FOUND: 'SYNC_ERR_NOT_FOUND',
  INTERNAL: 'SYNC_ERR_INTERNAL',
} as const;

/** Errors BullMQ fails a job with at once, without another attempt. */
const Unrecoverable = UnrecoverableError as unknown as ErrorConstructor;

/** A store write failed in a way worth retrying (the store said `permanent: false`). */
export const StoreTransientError = createError<[string, string]>(
  SyncErrorCodes.STORE_TRANSIENT,
  'store write failed (%s): %s',
  503,
);

/** The batcher takes no more records: the worker is closing (the job is retried elsewhere or later). */
export const BatcherClosedError = createError<[]>(SyncErrorCodes.BATCHER_CLOSED, 'batcher is closed', 503);

/** The batcher holds its maximum of pending records (a slow store): the job is retried. */
export const BatcherFullError = createError<[number]>(
  SyncErrorCodes.BATCHER_FULL,
  'batcher holds its maximum of %d items',
  503,
);

/** The store answered a bulk write with a result count other than the batch's size. */
export const BatchResultsError = createError<[number, number]>(
  SyncErrorCodes.BATCH_RESULTS,
  'batch flush returned %d results for %d items',
  500,
);

/** A record job whose payload breaks the queue contract: it names no record to dead-letter, so it fails once. */
export const InvalidPayloadError = createError<[string]>(SyncErrorCodes.INVALID_PAYLOAD, '%s', 400, Unrecoverable);

/** Thrown once the dead letter (code, message) is written: BullMQ fails the job without another attempt. */
export const DeadLetteredError = createError<[DeadLetterCode, string]>(
  SyncErrorCodes.DEAD_LETTERED,
  '%s: %s',
  500,
  Unrecoverable,
);

/** Redis did not answer a health-path read in time (last-known values are served). */
export const RedisTimeoutError = createError<[number]>(
  SyncErrorCodes.REDIS_TIMEOUT,
  'redis did not answer within %d ms',
  503,
);

/** A state check found a Redis connection not ready. */
export const RedisNotReadyError = createError<[]>(SyncErrorCodes.REDIS_NOT_READY, 'redis not ready', 503);

/** waitIdle() gave up: records still in flight. */
export const NotIdleError = createError<[number, number]>(
  SyncErrorCodes.NOT_IDLE,
  'still %d records in flight after %d ms',
  503,
);

export type Classified = { permanent: true; code: DeadLetterCode } | { permanent: false };

/**
 * Sorts a failure into permanent (dead-letter now) or transient (retry with backoff).
 * Relay 4xx other than 404/408/429 arrive as GUN_ERR_REJECTED; 404 never gets here (null record).
 * A record's links over their bound (@oip/records resolveLinks) are too large; an unresolved link
 * (RECORDS_ERR_LINK_UNRESOLVED) is transient, as are unknown errors: bounded attempts still end them
 * as `exhausted`.
 */
export function classifyError(err: unknown): Classified {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'GUN_ERR_REJECTED':
    case 'GUN_ERR_INVALID_ARGUMENT':
      return { permanent: true, code: DeadLetterCodes.RELAY_REJECTED };
    case 'GUN_ERR_BAD_RESPONSE':
      return { permanent: true, code: DeadLetterCodes.BAD_RESPONSE };
    case 'GUN_ERR_TOO_LARGE':
    case 'RECORDS_ERR_LINK_BOUND':
      return { permanent: true, code: DeadLetterCodes.TOO_LARGE };
    default:
      return { permanent: false };
  }
}
