// Shapes of the legacy relay API and the tolerant parsing of what relays send back.
import { GunBadResponseError, type GunErrorMeta } from './errors.js';

/** A GUN node as `/get` returns it, GUN internals removed. */
export type GunNode = Record<string, unknown>;

/** A record node: `data` and `oip` parsed from the JSON strings GUN holds. */
export interface GunRecordNode {
  data: unknown;
  oip: unknown;
  meta?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ListedRecord {
  soul: string;
  data: unknown;
  recordType?: string;
  storedAt?: number;
}

export interface RegistryIndexEntry {
  soul: string;
  nodeId?: string;
  timestamp?: number;
}

/** A publisher's signature over a deletion entry (@oip/records signDeletion). */
export interface DeletionProof {
  /** Milliseconds since the epoch, as signed. */
  deletedAt: number;
  signature: string;
  sigScheme: string;
}

export interface DeletionEntry {
  did: string;
  deletedAt?: number | string;
  deletedBy?: string;
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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Drops GUN metadata (`_`) at the top level. */
export function stripGunMeta(node: GunNode): GunNode {
  if (!('_' in node)) return node;
  const { _: _meta, ...rest } = node;
  return rest;
}

/** Parses a value that may be a JSON string (how GUN holds objects and arrays). */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * The node out of a `/get` body, or null when the body says "not found" (some relays answer 200
 * with `{ success: false }` or a null `data`).
 */
export function nodeFromGetBody(body: unknown, meta: GunErrorMeta): GunNode | null {
  if (!isObject(body)) throw new GunBadResponseError(`relay /get body is not an object for ${meta.path}`, { meta });
  if (body.success === false) return null;
  const data = body.data;
  if (data === null || data === undefined) return null;
  if (!isObject(data)) throw new GunBadResponseError(`relay /get data is not an object for ${meta.path}`, { meta });
  return stripGunMeta(data);
}

export function recordFromNode(node: GunNode): GunRecordNode {
  const out: GunRecordNode = { ...node, data: parseMaybeJson(node.data), oip: parseMaybeJson(node.oip) };
  const meta = parseMaybeJson(node.meta);
  if (isObject(meta)) out.meta = stripGunMeta(meta);
  return out;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/**
 * One registry index entry from its key and value (an inline object, its JSON string, or the
 * node a link pointed to). A bare link or an unreadable value gives an entry without timestamp.
 */
export function registryEntryFromValue(key: string, raw: unknown): RegistryIndexEntry {
  const value = parseMaybeJson(raw);
  const entry: RegistryIndexEntry = { soul: key };
  if (isObject(value)) {
    // A GUN ref `{ "#": soul }` carries no fields of its own: the key is the soul.
    if (typeof value.soul === 'string' && value.soul) entry.soul = value.soul;
    if (typeof value.nodeId === 'string') entry.nodeId = value.nodeId;
    const ts = toNumber(value.timestamp);
    if (ts !== undefined) entry.timestamp = ts;
  }
  return entry;
}

/** Entries of a registry index soul: keys are souls; skip `_`/`#` keys and unreadable values. */
export function registryEntriesFromNode(node: GunNode): RegistryIndexEntry[] {
  const out: RegistryIndexEntry[] = [];
  for (const [key, raw] of Object.entries(node)) {
    if (key.startsWith('_') || key.startsWith('#') || raw === null) continue;
    out.push(registryEntryFromValue(key, raw));
  }
  return out;
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
  const next = b.next;
  if (next !== null && typeof next !== 'string')
    throw new GunBadResponseError(`relay /get next is neither a key nor null for ${meta.path}`, { meta });
  return { node, next, paged: true };
}

export function deletionEntriesFromNode(node: GunNode): DeletionEntry[] {
  const out: DeletionEntry[] = [];
  for (const [key, raw] of Object.entries(node)) {
    if (key.startsWith('_') || key.startsWith('#') || raw === null) continue;
    const value = parseMaybeJson(raw);
    const entry: DeletionEntry = { did: key };
    if (isObject(value)) {
      if (typeof value.did === 'string' && value.did) entry.did = value.did;
      if (typeof value.deletedAt === 'number' || typeof value.deletedAt === 'string') entry.deletedAt = value.deletedAt;
      if (typeof value.deletedBy === 'string') entry.deletedBy = value.deletedBy;
    }
    if (entry.did.startsWith('did:')) out.push(entry);
  }
  return out;
}

export function listFromBody(body: unknown, meta: GunErrorMeta): ListedRecord[] {
  if (!isObject(body) || !Array.isArray(body.records)) {
    throw new GunBadResponseError(`relay /list body has no records array for ${meta.path}`, { meta });
  }
  const out: ListedRecord[] = [];
  for (const r of body.records) {
    if (!isObject(r) || typeof r.soul !== 'string') continue;
    const item: ListedRecord = { soul: r.soul, data: isObject(r.data) ? recordFromNode(stripGunMeta(r.data)) : r.data };
    if (typeof r.recordType === 'string') item.recordType = r.recordType;
    const storedAt = toNumber(r.storedAt);
    if (storedAt !== undefined) item.storedAt = storedAt;
    out.push(item);
  }
  return out;
}

export function objectBody(body: unknown, meta: GunErrorMeta): Record<string, unknown> {
  if (!isObject(body)) throw new GunBadResponseError(`relay body is not a JSON object for ${meta.path}`, { meta });
  return body;
}
