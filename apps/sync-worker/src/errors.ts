// Error catalogue of the sync worker. Dead-letter codes live in @oip/queue-contracts (they are
// part of the queue contract); these are the worker's own failures. An invalid configuration is
// @oip/service-kit's ConfigError (CONFIG_INVALID).
import createError from '@fastify/error';
import { DeadLetterCodes, type DeadLetterCode } from '@oip/queue-contracts';

export const SyncErrorCodes = {
  STORE_TRANSIENT: 'SYNC_ERR_STORE_TRANSIENT',
  BATCHER_CLOSED: 'SYNC_ERR_BATCHER_CLOSED',
  NOT_FOUND: 'SYNC_ERR_NOT_FOUND',
  INTERNAL: 'SYNC_ERR_INTERNAL',
} as const;

/** A store write failed in a way worth retrying (the store said `permanent: false`). */
export const StoreTransientError = createError<[string, string]>(
  SyncErrorCodes.STORE_TRANSIENT,
  'store write failed (%s): %s',
  503,
);

/** Route-level "no such dead letter" for the health/admin surface. */
export const NotFoundError = createError<[string]>(SyncErrorCodes.NOT_FOUND, '%s', 404);

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
