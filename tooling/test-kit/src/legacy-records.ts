// Documents of a legacy node's `records` index, written as legacy wrote them: an Arweave record
// as processNewRecord indexed it (no `oip.storage`; the oldest without `oip.did`;
// oip-arweave-indexer helpers/elasticsearch.js:6596-6617) and a GUN record as the legacy sync
// indexed it (`oip.storage: 'gun'`, did = didTx = did:gun:<soul>; :912-960). Tests that stand up
// a legacy node's records take them from here and choose only what differs.
export type LegacyDoc = Record<string, unknown>;

export interface LegacyCreator {
  creatorHandle: string;
  didAddress: string;
  didTx?: string;
  publicKey?: string;
}

interface Common {
  recordType: string;
  /** The whole `data` object: `basic` and the type's category, as the test wants them. */
  data: LegacyDoc;
  creator: LegacyCreator;
  indexedAt: string;
  ver?: string;
}

export interface LegacyArweaveSpec extends Common {
  /** did:arweave:<tx>. */
  did: string;
  inArweaveBlock: number;
  /** false for the oldest records, indexed before `oip.did` existed. @defaultValue true */
  withDid?: boolean;
  signature?: string;
  /** `oip.templates`, when the test wants one. */
  templates?: LegacyDoc;
}

export interface LegacyGunSpec extends Common {
  /** did:gun:<soul>. */
  did: string;
}

/** An Arweave record's `_source` in a legacy `records` index. */
export function legacyArweaveSource(spec: LegacyArweaveSpec): LegacyDoc {
  return {
    data: spec.data,
    oip: {
      recordType: spec.recordType,
      recordStatus: 'original',
      ...(spec.withDid === false ? {} : { did: spec.did }),
      didTx: spec.did,
      inArweaveBlock: spec.inArweaveBlock,
      indexedAt: spec.indexedAt,
      ver: spec.ver ?? '0.8.0',
      signature: spec.signature ?? 'sig',
      ...(spec.templates ? { templates: spec.templates } : {}),
      creator: spec.creator,
    },
  };
}

/** A GUN record's `_source` in a legacy `records` index. */
export function legacyGunSource(spec: LegacyGunSpec): LegacyDoc {
  return {
    data: spec.data,
    oip: {
      ver: spec.ver ?? '0.8.0',
      recordType: spec.recordType,
      did: spec.did,
      didTx: spec.did,
      storage: 'gun',
      indexedAt: spec.indexedAt,
      creator: spec.creator,
    },
  };
}
