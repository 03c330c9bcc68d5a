// Turns a validated relay record into the store's shape, as the legacy indexer does on sync:
// did/didTx = did:gun:<soul>, storage 'gun', creator nested. The publisher's `oip.indexedAt` is
// kept, as the legacy consumer keeps it (it is the publisher's time, and legacy nodes show and
// sort by it); our own sync time goes in `oip.syncedAt` (the field legacy uses for the same thing
// on the records it syncs privately). A record without a readable indexedAt gets our sync time
// there too, since the store sorts by it.
import type { OipRecord } from '@oip/record-store';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The publisher's indexedAt when it is a date the store can sort by, else undefined. */
function publisherTime(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && Number.isFinite(Date.parse(v)) ? v : undefined;
}

/** `record` must have passed validateRecord. */
export function convertRecord(
  record: { data: unknown; oip: unknown; meta?: unknown },
  did: string,
  now: Date = new Date(),
): OipRecord {
  const oip = { ...(record.oip as Record<string, unknown>) };
  const nested = isObject(oip.creator) ? oip.creator : {};
  const creator = {
    ...nested,
    publicKey: (nested.publicKey ?? oip.creator_publicKey) as string,
    didAddress: (nested.didAddress ?? oip.creator_didAddress) as string,
  };
  delete oip.creator_publicKey;
  delete oip.creator_didAddress;
  const out: OipRecord = {
    data: record.data as OipRecord['data'],
    oip: {
      ...oip,
      ver: oip.ver as string,
      recordType: oip.recordType as string,
      did,
      didTx: did,
      storage: 'gun',
      indexedAt: publisherTime(oip.indexedAt) ?? now.toISOString(),
      syncedAt: now.toISOString(),
      creator,
    },
  };
  if (isObject(record.meta)) out.meta = record.meta;
  return out;
}
