// Validation of incoming records and extraction of the fields both stores filter and sort on.
import { StoreInvalidError } from './errors.js';
import type { OipRecord } from './types.js';
import { isObject } from '@oip/records';

/**
 * The minimum a record needs to be stored: `oip.did` (`did:...`), `oip.recordType` and an object
 * `data`. Everything else is the caller's business (the sync worker validates the full shape).
 */
export function validateRecord(record: unknown): StoreInvalidError | null {
  if (!isObject(record)) return new StoreInvalidError('record must be an object');
  const oip = record['oip'];
  if (!isObject(oip)) return new StoreInvalidError('record.oip must be an object');
  const did = oip['did'];
  if (typeof did !== 'string' || !did.startsWith('did:') || did.length > 512) {
    return new StoreInvalidError('record.oip.did must be a string starting with "did:" (at most 512 chars)');
  }
  const recordType = oip['recordType'];
  if (typeof recordType !== 'string' || recordType === '') {
    return new StoreInvalidError(`record.oip.recordType must be a non-empty string (${did})`);
  }
  if (!isObject(record['data'])) return new StoreInvalidError(`record.data must be an object (${did})`);
  return null;
}

/** Filter/sort fields of a record, normalised; absent or wrongly typed values are null. */
export interface RecordFields {
  did: string;
  didTx: string | null;
  recordType: string;
  storage: string | null;
  creatorHandle: string | null;
  creatorDidAddress: string | null;
  /** basic.date, unix seconds. */
  date: number | null;
  indexedAt: string | null;
  inArweaveBlock: number | null;
  name: string | null;
  description: string | null;
  /** basic.tagItems as given (strings only). */
  tags: string[];
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function extractFields(record: OipRecord): RecordFields {
  const oip = record.oip;
  const creator: Record<string, unknown> = isObject(oip.creator) ? oip.creator : {};
  const basic: Record<string, unknown> = isObject(record.data['basic']) ? record.data['basic'] : {};
  const rawTags = basic['tagItems'];
  // ES indexes a lone string like a one-element array, so the SQLite columns do too.
  const tagList: unknown[] = Array.isArray(rawTags) ? rawTags : typeof rawTags === 'string' ? [rawTags] : [];
  const tags = tagList.filter((t): t is string => typeof t === 'string');
  return {
    did: oip.did,
    didTx: str(oip.didTx),
    recordType: oip.recordType,
    storage: str(oip.storage),
    creatorHandle: str(creator['creatorHandle']),
    creatorDidAddress: str(creator['didAddress']),
    date: num(basic['date']),
    indexedAt: str(oip.indexedAt),
    inArweaveBlock: num(oip.inArweaveBlock),
    name: str(basic['name']),
    description: str(basic['description']),
    tags,
  };
}

/** Default largest serialised record accepted (bytes). */
export const DEFAULT_MAX_RECORD_BYTES = 5 * 1024 * 1024;

/**
 * Serialises a record for storage, rejecting what JSON cannot carry and what exceeds the size
 * bound, as permanent STORE_ERR_INVALID.
 */
export function serializeRecord(record: OipRecord, maxBytes: number): string | StoreInvalidError {
  let body: string;
  try {
    body = JSON.stringify(record);
  } catch (err) {
    return new StoreInvalidError(`record ${record.oip.did} is not serialisable as JSON`, { cause: err });
  }
  const bytes = Buffer.byteLength(body);
  if (bytes > maxBytes) {
    return new StoreInvalidError(`record ${record.oip.did} is ${bytes} bytes, over the ${maxBytes}-byte limit`, {
      details: { bytes, maxBytes },
    });
  }
  return body;
}
