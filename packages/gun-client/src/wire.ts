// Bodies of the legacy relay API and the tolerant parsing of what relays send back. The record
// and registry nodes inside them are @oip/records' (recordFromNode, registryEntriesFromNode).
import { type GunNode, finiteNumber, isObject, recordFromNode, stripGunMeta } from '@oip/records';
import { GunBadResponseError, type GunErrorMeta } from './errors.js';

export interface ListedRecord {
  soul: string;
  data: unknown;
  recordType?: string;
  storedAt?: number;
}

export interface PeersStatus {
  configuredPeers: unknown;
  peerCount: number;
  allowedDomains?: unknown;
  isolationMode?: string;
  multicastDisabled?: boolean;
  axeDisabled?: boolean;
  timestamp?: string | number;
  [key: string]: unknown;
}

/**
 * The node out of a `/get` body, or null when the body says "not found" (some relays answer 200
 * with `{ success: false }` or a null `data`).
 */
export function nodeFromGetBody(body: unknown, meta: GunErrorMeta): GunNode | null {
  if (!isObject(body)) throw new GunBadResponseError(`relay /get body is not an object for ${meta.path}`, { meta });
  if (body['success'] === false) return null;
  const data = body['data'];
  if (data === null || data === undefined) return null;
  if (!isObject(data)) throw new GunBadResponseError(`relay /get data is not an object for ${meta.path}`, { meta });
  return stripGunMeta(data);
}

/**
 * A page of a node out of a paged `/get` body: `paged` is false when the body has no `next`
 * field (a legacy relay ignored `limit`/`after` and sent the whole node). Null as nodeFromGetBody.
 */
export function pageFromGetBody(
  body: unknown,
  meta: GunErrorMeta,
): { node: GunNode; next: string | null; paged: boolean } | null {
  const node = nodeFromGetBody(body, meta);
  if (!node) return null;
  const b = body as Record<string, unknown>;
  if (!Object.hasOwn(b, 'next')) return { node, next: null, paged: false };
  const next = b['next'];
  if (next !== null && typeof next !== 'string')
    throw new GunBadResponseError(`relay /get next is neither a key nor null for ${meta.path}`, { meta });
  return { node, next, paged: true };
}

export function listFromBody(body: unknown, meta: GunErrorMeta): ListedRecord[] {
  if (!isObject(body) || !Array.isArray(body['records'])) {
    throw new GunBadResponseError(`relay /list body has no records array for ${meta.path}`, { meta });
  }
  const out: ListedRecord[] = [];
  for (const r of body['records'] as unknown[]) {
    if (!isObject(r) || typeof r['soul'] !== 'string') continue;
    const data = r['data'];
    const item: ListedRecord = { soul: r['soul'], data: isObject(data) ? recordFromNode(stripGunMeta(data)) : data };
    if (typeof r['recordType'] === 'string') item.recordType = r['recordType'];
    const storedAt = finiteNumber(r['storedAt']);
    if (storedAt !== undefined) item.storedAt = storedAt;
    out.push(item);
  }
  return out;
}

export function objectBody(body: unknown, meta: GunErrorMeta): Record<string, unknown> {
  if (!isObject(body)) throw new GunBadResponseError(`relay body is not a JSON object for ${meta.path}`, { meta });
  return body;
}
