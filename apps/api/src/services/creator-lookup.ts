// The creator block the legacy client's creator lookup reads (oip-lite helpers/core/elasticsearch.js
// searchCreatorByAddress: `data: { creatorHandle, didAddress, didTx, publicKey }` from the
// registration's oip.creator). didTx is the registration's DID; from another record it is its
// creator's own didTx when it names one.
import type { OipRecord } from '@oip/record-store';

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function creatorData(record: OipRecord, isRegistration: boolean): Record<string, string | null> {
  const c = (record.oip.creator ?? {}) as Record<string, unknown>;
  const reg = (isRegistration ? (record.data['creatorRegistration'] ?? {}) : {}) as Record<string, unknown>;
  return {
    creatorHandle: text(c['creatorHandle']) ?? text(reg['handle']),
    didAddress: text(c['didAddress']),
    didTx: text(c['didTx']) ?? (isRegistration ? (text(record.oip.did) ?? text(record.oip.didTx)) : null),
    publicKey: text(c['publicKey']) ?? text(reg['publicKey']),
  };
}
