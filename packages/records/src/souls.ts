// Builders and parsers for the legacy soul and DID formats (see oip-legacy-reference.md).
import { createHash, randomBytes } from 'node:crypto';
import { isObject } from './is-object.js';

export const DID_GUN_PREFIX = 'did:gun:';
export const DID_ARWEAVE_PREFIX = 'did:arweave:';
/** Default registry root of the legacy node (`GUN_REGISTRY_ROOT`). */
export const DEFAULT_REGISTRY_ROOT = 'oip:registry';
export const DELETION_ROOT = 'oip:deleted:records';

const sha256hex = (s: string): string => createHash('sha256').update(s).digest('hex');
const randomPart = (): string => randomBytes(8).toString('hex');

/**
 * First 12 hex chars of sha256 over the public key's text (legacy helpers/gun.js computeSoul): the
 * soul prefix of a publisher's records, which signature checks hold souls to.
 */
export function publisherHash(publicKey: string): string {
  return sha256hex(publicKey).slice(0, 12);
}

/** What a record's `h:` soul is hashed from, as the legacy node (helpers/gun.js computeSoul) takes it. */
export interface SoulKeyFields {
  name: unknown;
  date: unknown;
  recordType: unknown;
  /** Milliseconds since the epoch at publish. */
  timestamp: number;
  /** A fresh random part, so two publishes in one millisecond still differ. */
  random: string;
}

/**
 * The key fields of a record for its `h:` soul: name, date and record type (from `basic` or the
 * top level), a timestamp and a random part. Legacy hashes the same five fields; the soul is unique
 * per publish, not a content address (the legacy node's earlier content hash, whose replacer list
 * also stripped every nested key, gave two records by one publisher the same soul).
 */
export function soulKeyFields(record: Record<string, unknown>, now: number, random: string): SoulKeyFields {
  const basic = isObject(record['basic']) ? record['basic'] : {};
  const oip = isObject(record['oip']) ? record['oip'] : {};
  return {
    name: basic['name'] ?? record['name'] ?? null,
    date: basic['date'] ?? record['date'] ?? null,
    recordType: oip['recordType'] ?? record['recordType'] ?? null,
    timestamp: now,
    random,
  };
}

/** Canonical string of the key fields (sorted keys, as legacy stringifies them). */
export function canonicalRecordString(fields: SoulKeyFields): string {
  return JSON.stringify(fields, Object.keys(fields).sort());
}

export interface SoulInput {
  publisherPublicKey: string;
  localId?: string | null;
  record?: Record<string, unknown> | null;
  /** Time source for the `h:` and `t:` souls. @defaultValue Date.now */
  now?: () => number;
  /** Random part of the `h:` soul. @defaultValue 8 random bytes as hex */
  random?: () => string;
}

/** `<publisherHash>:<localId>`, else `<publisherHash>:h:<hash12>`, else `<publisherHash>:t:<base36 time>`. */
export function buildRecordSoul(input: SoulInput): string {
  const ph = publisherHash(input.publisherPublicKey);
  if (input.localId) return `${ph}:${input.localId}`;
  const now = (input.now ?? Date.now)();
  if (input.record) {
    const fields = soulKeyFields(input.record, now, (input.random ?? randomPart)());
    return `${ph}:h:${sha256hex(canonicalRecordString(fields)).slice(0, 12)}`;
  }
  return `${ph}:t:${now.toString(36)}`;
}

export interface ParsedSoul {
  publisherHash: string;
  kind: 'local' | 'hash' | 'time';
  /** The local id, content hash or base36 time. */
  id: string;
}

const SOUL_RE = /^([0-9a-f]{12}):(?:(h|t):)?(.+)$/;

/** Parses a record soul; null when it is not in the record-soul format. */
export function parseRecordSoul(soul: string): ParsedSoul | null {
  const m = SOUL_RE.exec(soul);
  if (!m) return null;
  const [, ph, tag, id] = m as unknown as [string, string, string | undefined, string];
  const kind = tag === 'h' ? 'hash' : tag === 't' ? 'time' : 'local';
  return { publisherHash: ph, kind, id };
}

/** `did:gun:<soul>`. */
export function didFromSoul(soul: string): string {
  return `${DID_GUN_PREFIX}${soul}`;
}

/** The soul of a `did:gun:` DID (everything after the prefix, colons included); null otherwise. */
export function soulFromDid(did: string): string | null {
  if (!did.startsWith(DID_GUN_PREFIX)) return null;
  const soul = did.slice(DID_GUN_PREFIX.length);
  return soul.length > 0 ? soul : null;
}

/** True for any string the legacy node treats as a dref (`did:` prefix). */
export function isDref(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('did:');
}

/** `oip:registry:index:<recordType>`: the global index of one record type. */
export function registryIndexSoul(recordType: string, root = DEFAULT_REGISTRY_ROOT): string {
  return `${root}:index:${recordType}`;
}

/** `oip:registry:nodes:<nodeId>:<soul>`: a node's own registry entry. */
export function registryNodeSoul(nodeId: string, soul: string, root = DEFAULT_REGISTRY_ROOT): string {
  return `${root}:nodes:${nodeId}:${soul}`;
}

/** `oip:deleted:records:<did>`. */
export function deletionSoul(did: string): string {
  return `${DELETION_ROOT}:${did}`;
}

/** `oip:deleted:records:index`. */
export const DELETION_INDEX_SOUL = `${DELETION_ROOT}:index`;

/** `index:<publisherHash>`: the relay's publisher index. */
export function publisherIndexSoul(hash: string): string {
  return `index:${hash}`;
}

/** `media:<mediaId>`. */
export function mediaManifestSoul(mediaId: string): string {
  return `media:${mediaId}`;
}

/** `media:<mediaId>:peers:<peerId>`. */
export function mediaPresenceSoul(mediaId: string, peerId: string): string {
  return `media:${mediaId}:peers:${peerId}`;
}

/**
 * `media:<mediaId>:peers`: which peers announced a media file (peerId → last announce, ms). Ours,
 * beside the legacy per-peer presence souls, which GUN gives no way to list.
 */
export function mediaPeersIndexSoul(mediaId: string): string {
  return `media:${mediaId}:peers`;
}

/** Lowercase hex sha256 of the file bytes (64 chars). */
export function mediaIdOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const MEDIA_ID_RE = /^[0-9a-f]{64}$/;
export function isMediaId(value: string): boolean {
  return MEDIA_ID_RE.test(value);
}

/** 16 lowercase hex chars, the legacy node id format. */
export function isNodeId(value: string): boolean {
  return /^[0-9a-f]{16}$/.test(value);
}
