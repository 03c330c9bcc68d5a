// Records as our api publishes them (signed, restricted data encrypted), put on a relay with their
// registry entry, and deletion entries signed (or not) by a given key.
import { createPublisherKeys, type PublisherKeys } from '@oip/accounts';
import type { GunClient } from '@oip/gun-client';
import {
  DELETION_INDEX_SOUL,
  deletionSoul,
  type GunWireRecord,
  publisherHash as soulPublisherHash,
  type RecordKeySource,
  sealGunRecord,
  signDeletion,
} from '@oip/records';

export const OTHER_NODE = 'feedc0de00000003';

export const newPublisher = (): PublisherKeys => createPublisherKeys();

export function keysOf(...owners: PublisherKeys[]): RecordKeySource {
  const byKey = new Map(owners.map((o) => [o.publicKey, o.privateKey]));
  return { privateKeyOf: async (publicKey) => byKey.get(publicKey) ?? null };
}

export interface SignedRecord {
  soul: string;
  did: string;
  wire: GunWireRecord;
}

/** A post by `keys` at `<hash>:<localId>`, signed (and encrypted when `data` is restricted). */
export function signedPost(
  keys: PublisherKeys,
  localId: string,
  data: Record<string, unknown>,
  signer: PublisherKeys = keys,
): SignedRecord {
  const soul = `${soulPublisherHash(keys.publicKey)}:${localId}`;
  const did = `did:gun:${soul}`;
  const oip = {
    ver: '0.8.0',
    recordType: 'post',
    did,
    didTx: did,
    storage: 'gun',
    indexedAt: '2026-12-01T00:00:00.000Z',
    creator: {
      creatorHandle: 'pub',
      didAddress: `did:gun:${soulPublisherHash(keys.publicKey)}`,
      publicKey: keys.publicKey,
    },
  };
  const wire = sealGunRecord({
    soul,
    data,
    oip,
    meta: { created: 1, localId },
    publicKey: keys.publicKey,
    privateKeyHex: signer.privateKey,
  });
  return { soul, did, wire };
}

export async function putAndRegister(
  gun: GunClient,
  r: { soul: string; wire: unknown },
  timestamp: number,
  recordType = 'post',
): Promise<void> {
  await gun.putRecord(r.soul, r.wire as { data: unknown; oip: unknown });
  await gun.registerRecord({ soul: r.soul, recordType, creatorPubKey: 'x', nodeId: OTHER_NODE, timestamp });
}

/** A deletion entry for `did`, signed by `signer` (or unsigned when null), and its index flag. */
export async function putDeletion(
  gun: GunClient,
  did: string,
  signer: PublisherKeys | null,
  deletedAt = Date.now(),
): Promise<void> {
  const deletedBy = signer?.publicKey ?? 'legacy-node-key';
  const proof = signer ? signDeletion({ did, deletedAt, deletedBy }, signer.privateKey) : {};
  await gun.putSoul(deletionSoul(did), {
    did,
    deletedAt,
    deletedBy,
    timestamp: new Date(deletedAt).toISOString(),
    ...proof,
  });
  await gun.putSoul(DELETION_INDEX_SOUL, { [did]: true });
}
