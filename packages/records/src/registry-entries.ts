// Entries of the legacy registries as GUN holds them: the record registry index
// (`oip:registry:index:<type>`, soul → `{ soul, nodeId, timestamp }`) and the deletion index
// (`oip:deleted:records:index`, DID → `true` or an entry object). Values may be inline objects,
// their JSON text, or the node a link pointed to; `_`/`#` keys and tombstones (null) are skipped.
import { type GunNode, parseMaybeJson } from './gun-node.js';
import { isObject } from './is-object.js';

export interface RegistryIndexEntry {
  soul: string;
  nodeId?: string;
  timestamp?: number;
}

export interface DeletionEntry {
  did: string;
  deletedAt?: number | string;
  deletedBy?: string;
}

/** A publisher's signature over a deletion entry (signDeletion). */
export interface DeletionProof {
  /** Milliseconds since the epoch, as signed. */
  deletedAt: number;
  signature: string;
  sigScheme: string;
}

/** A finite number out of a number or its text, else undefined. */
export function finiteNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

const isEntryKey = (key: string, raw: unknown): boolean => !key.startsWith('_') && !key.startsWith('#') && raw !== null;

/**
 * One registry index entry from its key and value. A bare link or an unreadable value gives an
 * entry without timestamp.
 */
export function registryEntryFromValue(key: string, raw: unknown): RegistryIndexEntry {
  const value = parseMaybeJson(raw);
  const entry: RegistryIndexEntry = { soul: key };
  if (isObject(value)) {
    // A GUN ref `{ "#": soul }` carries no fields of its own: the key is the soul.
    if (typeof value['soul'] === 'string' && value['soul']) entry.soul = value['soul'];
    if (typeof value['nodeId'] === 'string') entry.nodeId = value['nodeId'];
    const ts = finiteNumber(value['timestamp']);
    if (ts !== undefined) entry.timestamp = ts;
  }
  return entry;
}

/** Entries of a registry index soul: keys are souls. */
export function registryEntriesFromNode(node: GunNode): RegistryIndexEntry[] {
  const out: RegistryIndexEntry[] = [];
  for (const [key, raw] of Object.entries(node)) if (isEntryKey(key, raw)) out.push(registryEntryFromValue(key, raw));
  return out;
}

/** Entries of the deletion index: keys are DIDs; only `did:` ones are kept. */
export function deletionEntriesFromNode(node: GunNode): DeletionEntry[] {
  const out: DeletionEntry[] = [];
  for (const [key, raw] of Object.entries(node)) {
    if (!isEntryKey(key, raw)) continue;
    const value = parseMaybeJson(raw);
    const entry: DeletionEntry = { did: key };
    if (isObject(value)) {
      if (typeof value['did'] === 'string' && value['did']) entry.did = value['did'];
      const at = value['deletedAt'];
      if (typeof at === 'number' || typeof at === 'string') entry.deletedAt = at;
      if (typeof value['deletedBy'] === 'string') entry.deletedBy = value['deletedBy'];
    }
    if (entry.did.startsWith('did:')) out.push(entry);
  }
  return out;
}
