// What a fetched record goes through before validation, so that records published by legacy
// nodes are read as a legacy consumer reads them: GUN links followed (resolve-links.ts), then
// the encrypted check on the resolved `meta`, then arrays restored from their JSON text
// (restore-arrays.ts). Records from our own relays have neither links nor string arrays and
// pass through unchanged.
import type { GunRecordNode } from '@oip/gun-client';
import { type LinkBounds, type LinkSource, resolveLinks } from './resolve-links.js';
import { restoreGunArrays } from './restore-arrays.js';

export type PreparedRecord = { kind: 'encrypted' } | { kind: 'record'; record: GunRecordNode };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Legacy private records: `meta.encrypted`, or `data` replaced by the AES-GCM envelope. */
export function isEncrypted(record: GunRecordNode): boolean {
  if (isObject(record.meta) && record.meta.encrypted === true) return true;
  const d = record.data;
  return isObject(d) && typeof d.encrypted === 'string' && typeof d.iv === 'string' && typeof d.tag === 'string';
}

/** Throws LinkUnresolvedError (retry) or LinkBoundError (dead letter) from resolveLinks. */
export async function prepareRecord(record: GunRecordNode, src: LinkSource, bounds?: LinkBounds): Promise<PreparedRecord> {
  const resolved = await resolveLinks(record, src, bounds);
  if (isEncrypted(resolved)) return { kind: 'encrypted' };
  if (!isObject(resolved.data)) return { kind: 'record', record: resolved };
  return { kind: 'record', record: { ...resolved, data: restoreGunArrays(resolved.data) } };
}
