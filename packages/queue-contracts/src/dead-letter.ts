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
  /** The record's signature does not verify, or its signer or creator is not its soul's publisher. */
  BAD_SIGNATURE: 'SYNC_ERR_BAD_SIGNATURE',
  /** An unsigned (legacy) record this node refuses (SYNC_UNSIGNED_RECORDS), or one that would replace a signed version. */
  UNSIGNED: 'SYNC_ERR_UNSIGNED',
} as const;

export type DeadLetterCode = (typeof DeadLetterCodes)[keyof typeof DeadLetterCodes];

export const DeadLetterCodeSchema = Type.Union(Object.values(DeadLetterCodes).map((c) => Type.Literal(c)));

/** Upper bound of a reason's `sample`, in UTF-16 code units (the ellipsis included). */
export const DEAD_LETTER_SAMPLE_MAX_CHARS = 120;
/** Most reasons one dead letter carries. */
export const DEAD_LETTER_MAX_REASONS = 16;

/**
 * A field whose incoming value conflicts with the type the store fixed for its path: the path,
 * both types, and a short sample of the incoming value (never the whole record).
 */
export const MappingConflictReasonSchema = Type.Object(
  {
    kind: Type.Literal('mapping_conflict'),
    path: Type.String({ minLength: 1, maxLength: 512 }),
    fixedType: Type.String({ maxLength: 64 }),
    incomingType: Type.String({ maxLength: 64 }),
    sample: Type.String({ maxLength: DEAD_LETTER_SAMPLE_MAX_CHARS }),
  },
  { additionalProperties: false },
);

/** A schema rule an invalid record breaks: the failing path (dotted) and the rule. */
export const InvalidReasonSchema = Type.Object(
  {
    kind: Type.Literal('invalid'),
    path: Type.String({ maxLength: 512 }),
    rule: Type.String({ maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const DeadLetterReasonSchema = Type.Union([MappingConflictReasonSchema, InvalidReasonSchema]);

export type MappingConflictReason = Static<typeof MappingConflictReasonSchema>;
export type InvalidReason = Static<typeof InvalidReasonSchema>;
export type DeadLetterReason = Static<typeof DeadLetterReasonSchema>;

/** A reason cut to the schema's bounds (long paths, types, samples and rules shortened). */
export function boundReason(r: DeadLetterReason): DeadLetterReason {
  const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
  return r.kind === 'mapping_conflict'
    ? {
        kind: r.kind,
        path: cut(r.path, 512),
        fixedType: cut(r.fixedType, 64),
        incomingType: cut(r.incomingType, 64),
        sample: cut(r.sample, DEAD_LETTER_SAMPLE_MAX_CHARS),
      }
    : { kind: r.kind, path: cut(r.path, 512), rule: cut(r.rule, 256) };
}

/**
 * The `sourceRelay` prefix of a record `oip migrate records` read from a legacy node's
 * Elasticsearch (`legacy-es:<url>/<index>`, never with credentials). Such an entry is replayed as
 * a migrate-record job (the worker reads the document again from that index), or by the command
 * itself (`--replay-dead-letters`).
 */
export const LEGACY_ES_SOURCE_PREFIX = 'legacy-es:';

/** True for the dead letter of a migrated record (LEGACY_ES_SOURCE_PREFIX). */
export function isLegacyEsSource(sourceRelay: string): boolean {
  return sourceRelay.startsWith(LEGACY_ES_SOURCE_PREFIX);
}

/** The legacy node's URL and index of a `legacy-es:<url>/<index>` source, or null. */
export function parseLegacyEsSource(source: string): { url: string; index: string } | null {
  if (!isLegacyEsSource(source)) return null;
  const rest = source.slice(LEGACY_ES_SOURCE_PREFIX.length);
  const cut = rest.lastIndexOf('/');
  if (cut <= 0 || cut === rest.length - 1) return null;
  return { url: rest.slice(0, cut), index: rest.slice(cut + 1) };
}

/**
 * The legacy index kind a migrated record of `recordType` came from: legacy kept templates,
 * creator registrations and organizations in indices of their own, everything else in `records`.
 */
export function legacyKindOfType(
  recordType: string,
): 'records' | 'templates' | 'creatorregistrations' | 'organizations' {
  switch (recordType) {
    case 'template':
      return 'templates';
    case 'creatorRegistration':
      return 'creatorregistrations';
    case 'organization':
      return 'organizations';
    default:
      return 'records';
  }
}

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
    /** Why, structured: the conflicting fields or the broken schema rules (absent for other codes). */
    reasons: Type.Optional(Type.Array(DeadLetterReasonSchema, { maxItems: DEAD_LETTER_MAX_REASONS })),
    /**
     * True when the record was indexed degraded (SYNC_ON_MAPPING_CONFLICT=degrade: its
     * conflicting fields set aside) rather than dropped; the entry keeps it visible and
     * replayable after a widening.
     */
    degraded: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export type DeadLetterPayload = Static<typeof DeadLetterPayloadSchema>;

/** JSON of a record cut to the dead-letter bound, so one bad record cannot bloat Redis. */
export function capRecordJson(
  record: unknown,
  maxChars = DEAD_LETTER_RECORD_MAX_CHARS,
): { recordJson: string | null; recordTruncated: boolean } {
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
