// What a fetched record goes through before validation, so that records published by legacy
// nodes are read as a legacy consumer reads them: GUN links followed (resolve-links.ts), then
// the signature and encryption checks (trust-record.ts, on the resolved record as its publisher
// put it), then arrays restored from their JSON text (restore-arrays.ts). Records from our own
// relays have neither links nor string arrays and pass through unchanged.
import type { GunRecordNode } from '@oip/gun-client';
import { restoreGunArrays } from './restore-arrays.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Arrays that legacy publishers wrote as JSON text, restored. */
export function restoreRecord(record: GunRecordNode): GunRecordNode {
  if (!isObject(record.data)) return record;
  return { ...record, data: restoreGunArrays(record.data) };
}
