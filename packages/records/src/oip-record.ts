// An OIP record as the store holds it and the api answers it: the legacy shape
// (oip-legacy-reference.md, "Record shape").

/** Creator block, normalised to the nested form on index. */
export interface OipCreator {
  creatorHandle?: string;
  didAddress: string;
  publicKey: string;
  [key: string]: unknown;
}

export interface OipBlock {
  ver: string;
  recordType: string;
  /** `did:gun:<soul>` or `did:arweave:<txid>`; the document id. */
  did: string;
  didTx: string;
  storage: 'gun' | 'arweave' | string;
  /** ISO time the record was indexed here. */
  indexedAt: string;
  creator: OipCreator;
  inArweaveBlock?: number;
  [key: string]: unknown;
}

/** `data` is keyed by category (`basic` plus the record type's own); each category is an object of fields. */
export type RecordData = Record<string, Record<string, unknown>>;

export interface OipRecord {
  data: RecordData;
  oip: OipBlock;
  meta?: Record<string, unknown>;
}
