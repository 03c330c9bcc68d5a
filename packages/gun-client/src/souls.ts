// Builders and parsers for the legacy soul and DID formats (see oip-legacy-reference.md).
import { createHash, randomBytes } from 'node:crypto';
import { soulPublisherHash } from '@oip/records';

export const DID_GUN_PREFIX = 'did:gun:';
export const DID_ARWEAVE_PREFIX = 'did:arweave:';
/** Default registry root of the legacy node (`GUN_REGISTRY_ROOT`). */
export const DEFAULT_REGISTRY_ROOT = 'oip:registry';
/**
 * The record types the legacy node keeps a registry index for (`<root>:index:<type>`): what the
 * sync-worker discovers and gun-proxy catches up on by default.
 */
export const KNOWN_RECORD_TYPES = [
  'post',
  'image',
  'video',
  'audio',
  'workout',
  'exercise',
  'recipe',
  'nutritionalInfo',
  'shoppingList',
  'workoutSchedule',
  'mealPlan',
  'conversationSession',
  'creatorRegistration',
] as const;
export const DELETION_ROOT = 'oip:deleted:records';

const sha256hex = (s: string): string => createHash('sha256').update(s).digest('hex');
const randomPart = (): string => randomBytes(8).toString('hex');

/** First 12 hex chars of sha256(publisherPublicKey): @oip/records' rule, which signatures check. */
export const publisherHash: (publicKey: string) => string = soulPublisherHash;

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
  const basic = (typeof record['basic'] === 'object' && record['basic'] !== null ? record['basic'] : {}) as Record<
    string,
    unknown
  >;
  const oip = (typeof record['oip'] === 'object' && record['oip'] !== null ? record['oip'] : {}) as Record<
    string,
    unknown
  >;
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

// ---- Soul rules: the one rule set for souls and node keys (gun-client, gun-proxy and discovery) ----

/**
 * Longest soul (and node key) accepted anywhere. Legacy souls are `<12 hex>:<localId>` or registry
 * paths (`oip:registry:nodes:<16 hex>:<soul>`), far below this.
 */
export const MAX_SOUL_LENGTH = 512;

/** C0 and C1 controls and DEL: never in a soul or a key. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/u;

// Souls additionally refuse whitespace and the separators GUN and its storage use internally.
const SOUL_FORBIDDEN = /[\u0000-\u0020\u007f-\u009f\u2028\u2029\ufeff]/u;

// With the u flag, a surrogate range only matches unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Names that, used as a property name on an ordinary object, reach Object.prototype or shadow its
 * members: refused as souls (a soul indexes GUN's graph and every cache keyed by soul).
 */
export const RESERVED_SOULS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

/** Why a soul is a reserved name, or null. */
export function reservedSoulProblem(soul: string): string | null {
  return RESERVED_SOULS.has(soul) ? `"${soul}" is a reserved name` : null;
}

/** Why a node key is a reserved name, or null (`constructor` and the like are fine as keys of null-prototype nodes). */
export function reservedKeyProblem(key: string): string | null {
  return key === '__proto__' ? '"__proto__" is a reserved name' : null;
}

/** Why a soul is refused (empty, too long, whitespace/control characters, user space, bad Unicode), or null. */
export function soulProblem(soul: string): string | null {
  if (soul.length === 0) return 'empty';
  if (soul.length > MAX_SOUL_LENGTH) return `longer than ${MAX_SOUL_LENGTH} characters`;
  if (SOUL_FORBIDDEN.test(soul)) return 'contains whitespace or control characters';
  if (soul.startsWith('~')) return 'user-space (~) souls are not served by OIP relays';
  if (LONE_SURROGATE.test(soul)) return 'is not well-formed Unicode';
  return null;
}

/** Keys inside a node: GUN reserves `_`, `#`, `>`, `<`; the length and control-character rules of souls apply. */
export function keyProblem(key: string): string | null {
  if (key === '__proto__') return '"__proto__" is a reserved name';
  if (key === '_' || key === '#' || key === '>' || key === '<') return `"${key}" is reserved by GUN`;
  if (key.length > MAX_SOUL_LENGTH) return `key longer than ${MAX_SOUL_LENGTH} characters`;
  if (CONTROL_CHARS.test(key)) return 'key contains control characters';
  return null;
}

/** The media id rule of relays: no `:` or `/` (a `media:<id>` soul must not reach a presence soul or a child node). */
const MEDIA_ID_SAFE = /^[A-Za-z0-9._-]{1,128}$/;

/** Why a media id (or presence peer id) is refused, or null. Legacy ids are 64 lowercase hex (isMediaId). */
export function mediaIdProblem(id: string): string | null {
  return MEDIA_ID_SAFE.test(id) ? null : 'must be 1-128 characters of A-Z a-z 0-9 . _ - (no ":" or "/")';
}
