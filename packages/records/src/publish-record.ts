// Our record as the GUN record the legacy node publishes (routes/records.js newRecord with
// storage=gun): the `oip` block (version, type, DID, storage, the publisher's indexedAt, the
// creator nested with its handle and `did:gun:<publisherHash>` address), `meta` with the publish
// time and localId, then restricted data encrypted and the whole signed (sealGunRecord). The
// relay keeps `data` and `oip` as JSON strings (recordFromNode reads them back).
import { sealGunRecord, type GunWireRecord } from './gun-record-crypto.js';
import type { OipRecord } from './oip-record.js';
import { didFromSoul, publisherHash } from './souls.js';

/** `oip.ver` of the records published here. */
export const OIP_VERSION = '0.8.0';

export interface PublishRecordInput {
  soul: string;
  recordType: string;
  data: Record<string, unknown>;
  publisher: { publicKey: string; handle: string };
  localId: string | null;
  /** Publish time, ms since the epoch. */
  now: number;
  /** The publisher's signing key (hex). */
  privateKeyHex: string;
}

/** What goes to GUN (`wire`) and what the store indexes (`record`: the data readable, the same `oip`). */
export function recordForPublish(input: PublishRecordInput): { wire: GunWireRecord; record: OipRecord } {
  const did = didFromSoul(input.soul);
  const { publicKey, handle } = input.publisher;
  const oip = {
    ver: OIP_VERSION,
    recordType: input.recordType,
    did,
    didTx: did,
    storage: 'gun' as const,
    indexedAt: new Date(input.now).toISOString(),
    creator: { creatorHandle: handle, didAddress: `did:gun:${publisherHash(publicKey)}`, publicKey },
  };
  const wire = sealGunRecord({
    soul: input.soul,
    data: input.data,
    oip,
    meta: { created: input.now, localId: input.localId },
    publicKey,
    privateKeyHex: input.privateKeyHex,
  });
  return { wire, record: { data: input.data, oip: wire.oip } as OipRecord };
}
