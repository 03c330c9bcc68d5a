// Dead-letter payload: everything an operator needs to decide between replay and discard.
import { Type, type Static } from '@sinclair/typebox';

/**
 * Why a record was dead-lettered. Stable strings: they label metrics and appear in the CLI.
 * `exhausted` = a transient failure that outlived its attempts.
 */
export const DeadLetterCodes = {
  INVALID_RECORD: 'SYNC_ERR_INVALID_RECORD',
  MAPPING_CONFLICT: 'SYNC_ERR_MAPPING_CONFLICT',
  STORE_REJECTED: 'SYNC_ERR_STORE_REJECTED',
  RELAY_REJECTED: 'SYNC_ERR_RELAY_REJECTED',
  BAD_RESPONSE: 'SYNC_ERR_BAD_RESPONSE',
  TOO_LARGE: 'SYNC_ERR_TOO_LARGE',
  EXHAUSTED: 'SYNC_ERR_EXHAUSTED',
  /** The job names a relay this worker has no client for (SYNC_RELAYS changed): a configuration error. */
  RELAY_NOT_CONFIGURED: 'SYNC_ERR_RELAY_NOT_CONFIGURED',
} as const;

export type DeadLetterCode = (typeof DeadLetterCodes)[keyof typeof DeadLetterCodes];

export const DeadLetterCodeSchema = Type.Union(Object.values(DeadLetterCodes).map((c) => Type.Literal(c)));

/** Upper bound of `recordJson`, in UTF-16 code units. @defaultValue 16384 */
export const DEAD_LETTER_RECORD_MAX_CHARS = 16_384;

export const DeadLetterPayloadSchema = Type.Object(
  {
    did: Type.String({ minLength: 1 }),
    soul: Type.String({ minLength: 1 }),
    recordType: Type.String(),
    /** Content version the failure happened at (see SyncRecordPayload.version). */
    version: Type.String(),
    /** Relay base URL the record was read from. */
    sourceRelay: Type.String(),
    code: DeadLetterCodeSchema,
    message: Type.String({ maxLength: 2048 }),
    /** Attempts made, the failing one included. */
    attempts: Type.Integer({ minimum: 1 }),
    /** Epoch ms of the first and last failure of this record at this version. */
    firstFailedAt: Type.Integer(),
    lastFailedAt: Type.Integer(),
    /** The fetched record as JSON, cut to DEAD_LETTER_RECORD_MAX_CHARS; null when never fetched. */
    recordJson: Type.Union([Type.String({ maxLength: DEAD_LETTER_RECORD_MAX_CHARS }), Type.Null()]),
    recordTruncated: Type.Boolean(),
    /** How many times this entry was replayed before. */
    replays: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export type DeadLetterPayload = Static<typeof DeadLetterPayloadSchema>;

/** JSON of a record cut to the dead-letter bound, so one bad record cannot bloat Redis. */
export function capRecordJson(record: unknown, maxChars = DEAD_LETTER_RECORD_MAX_CHARS): { recordJson: string | null; recordTruncated: boolean } {
  if (record === undefined || record === null) return { recordJson: null, recordTruncated: false };
  let json: string;
  try {
    json = JSON.stringify(record);
  } catch {
    return { recordJson: null, recordTruncated: false };
  }
  if (json.length <= maxChars) return { recordJson: json, recordTruncated: false };
  return { recordJson: json.slice(0, maxChars), recordTruncated: true };
}
