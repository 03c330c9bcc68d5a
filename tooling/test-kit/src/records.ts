// The OIP record fixtures of the tests, in the two shapes records take (oip-legacy-reference.md,
// "Record shape"): as the store holds and the api answers it, and as a legacy publisher puts it
// on a relay. Structural types only: this package sits below @oip/records and imports none of it.

/** The publisher key of the legacy-shape fixtures. */
export const TEST_PUBLIC_KEY = 'test-publisher-public-key';

/** A record as the store holds it; assignable to @oip/records' OipRecord. */
export type StoredRecord = {
  data: Record<string, Record<string, unknown>>;
  oip: {
    ver: string;
    recordType: string;
    did: string;
    didTx: string;
    storage: 'gun' | 'arweave';
    indexedAt: string;
    creator: { creatorHandle: string; didAddress: string; publicKey: string };
    inArweaveBlock?: number;
  };
};

export interface StoredRecordSpec {
  /** The GUN soul, or the Arweave txid with `storage: 'arweave'`. */
  soul: string;
  /** @defaultValue 'post' */
  recordType?: string;
  /** @defaultValue 'gun' */
  storage?: 'gun' | 'arweave';
  /** @defaultValue `Record <soul>` */
  name?: string;
  /** @defaultValue '' */
  description?: string;
  /** basic.tagItems. @defaultValue [] */
  tags?: string[];
  /** basic.date; absent unless given. */
  date?: number;
  /** More basic fields, merged last. */
  basic?: Record<string, unknown>;
  /** The record type's own category, `data[recordType]`; absent unless given. */
  fields?: Record<string, unknown>;
  /** More categories, merged into data. */
  data?: Record<string, Record<string, unknown>>;
  /** @defaultValue 'devon' */
  creatorHandle?: string;
  /** @defaultValue 'did:arweave:devon' */
  didAddress?: string;
  /** @defaultValue 'pk-devon' */
  publicKey?: string;
  /** @defaultValue '2024-11-02T10:00:00.000Z' */
  indexedAt?: string;
  inArweaveBlock?: number;
}

/** A record in the stored (indexed) shape: `did:gun:<soul>` (or `did:arweave:<soul>`), nested creator. */
export function storedRecord(spec: StoredRecordSpec): StoredRecord {
  const storage = spec.storage ?? 'gun';
  const did = `did:${storage}:${spec.soul}`;
  const recordType = spec.recordType ?? 'post';
  const basic: Record<string, unknown> = {
    name: spec.name ?? `Record ${spec.soul}`,
    description: spec.description ?? '',
    language: 'en',
    tagItems: spec.tags ?? [],
  };
  if (spec.date !== undefined) basic['date'] = spec.date;
  const data: StoredRecord['data'] = { basic: { ...basic, ...spec.basic } };
  if (spec.fields !== undefined) data[recordType] = spec.fields;
  Object.assign(data, spec.data);
  const oip: StoredRecord['oip'] = {
    ver: '0.8.0',
    recordType,
    did,
    didTx: did,
    storage,
    indexedAt: spec.indexedAt ?? '2024-11-02T10:00:00.000Z',
    creator: {
      creatorHandle: spec.creatorHandle ?? 'devon',
      didAddress: spec.didAddress ?? 'did:arweave:devon',
      publicKey: spec.publicKey ?? 'pk-devon',
    },
  };
  if (spec.inArweaveBlock !== undefined) oip.inArweaveBlock = spec.inArweaveBlock;
  return { data, oip };
}

/** A record in the legacy GUN node shape, as a legacy publisher puts it: `{ data, oip, meta }`. */
export type LegacyRecord = {
  data: Record<string, unknown>;
  oip: Record<string, unknown>;
  meta: Record<string, unknown>;
};

export interface LegacyRecordOptions {
  /** The creator's publicKey. @defaultValue TEST_PUBLIC_KEY */
  publicKey?: string;
}

/**
 * A valid legacy-shape workout (nested creator, `meta.localId`), the record sync accepts.
 * `extra` categories are merged into data (a `workout` or `basic` given there replaces the default).
 */
export function legacyRecord(
  localId: string,
  extra: Record<string, unknown> = {},
  options: LegacyRecordOptions = {},
): LegacyRecord {
  return {
    data: {
      basic: {
        name: `Workout ${localId}`,
        description: 'push day',
        date: 1730505600,
        language: 'en',
        tagItems: ['strength'],
      },
      workout: { total_duration_minutes: 45, exercise: ['did:gun:647f79c2a338:bench-press'] },
      ...extra,
    },
    oip: {
      ver: '0.8.0',
      recordType: 'workout',
      creator: {
        creatorHandle: 'devon',
        didAddress: 'did:arweave:abc',
        publicKey: options.publicKey ?? TEST_PUBLIC_KEY,
      },
    },
    meta: { created: 1730505600000, localId, encrypted: false },
  };
}
