// A record read from GUN in our record's shape, as the legacy indexer converts it on sync:
// did/didTx = did:gun:<soul>, storage 'gun', creator nested. The publisher's `oip.indexedAt` is
// kept, as the legacy consumer keeps it (it is the publisher's time, and legacy nodes show and
// sort by it); the reading node's time goes in `oip.syncedAt` (the field legacy uses for the same
// thing on the records it syncs privately). A record without a readable indexedAt gets the reading
// time there too, since the store sorts by it.
import type { GunRecordNode } from './gun-node.js';
import { isObject } from './is-object.js';
import type { OipRecord } from './oip-record.js';
import { restoreRecord } from './restore-arrays.js';
import { validateRecord, type SchemaFailure } from './validate-record.js';

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
  const nested = isObject(oip['creator']) ? oip['creator'] : {};
  const creator = {
    ...nested,
    publicKey: (nested['publicKey'] ?? oip['creator_publicKey']) as string,
    didAddress: (nested['didAddress'] ?? oip['creator_didAddress']) as string,
  };
  delete oip['creator_publicKey'];
  delete oip['creator_didAddress'];
  const out: OipRecord = {
    data: record.data as OipRecord['data'],
    oip: {
      ...oip,
      ver: oip['ver'] as string,
      recordType: oip['recordType'] as string,
      did,
      didTx: did,
      storage: 'gun',
      indexedAt: publisherTime(oip['indexedAt']) ?? now.toISOString(),
      syncedAt: now.toISOString(),
      creator,
    },
  };
  if (isObject(record.meta)) out.meta = record.meta;
  return out;
}

export type ConvertOutcome =
  | { ok: true; record: OipRecord; restored: GunRecordNode }
  /**
   * Not a record this node indexes: the first bad path in `message`, the first few in `failures`;
   * `restored` is the record as it was checked (what a dead letter keeps).
   */
  | { ok: false; message: string; failures: SchemaFailure[]; restored: GunRecordNode };

/**
 * The whole conversion of a record read from GUN, after its links were followed (resolveLinks)
 * and its publisher believed: arrays restored, validated, converted. The sync-worker and the api's
 * relay lookups both read records through it, so a record looks the same whichever way it came.
 */
export function convertGunRecord(record: GunRecordNode, did: string, now: Date = new Date()): ConvertOutcome {
  const restored = restoreRecord(record);
  const check = validateRecord(restored);
  if (!check.ok) return { ...check, restored };
  return { ok: true, record: convertRecord(restored, did, now), restored };
}
