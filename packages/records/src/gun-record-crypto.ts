// A GUN record as our api publishes it (restricted data encrypted, then signed) and the way back
// for a node that holds the publisher's key. Which records are encrypted: access_level private,
// shared or organization, and legacy's private conversation sessions.
import { encryptData, decryptData, isEncryptedMeta } from './record-envelope.js';
import {
  KEY_SCHEME,
  legacyFallbackKey,
  legacySaltedKey,
  organizationRecordKey,
  perUserRecordKey,
} from './record-keys.js';
import { creatorPublicKey, signRecord } from './record-signature.js';
import { isRecordsError } from './errors.js';
import { isObject } from './is-object.js';

export type RestrictedLevel = 'private' | 'shared' | 'organization';

/** The restricted access level of a record's data, or null for a public one. */
export function restrictedLevel(data: Record<string, unknown>): RestrictedLevel | null {
  const ac = data['accessControl'];
  const level = isObject(ac) ? ac['access_level'] : undefined;
  if (level === 'private' || level === 'shared' || level === 'organization') return level;
  const session = data['conversationSession'];
  if (isObject(session) && session['is_private'] === true) return 'private';
  return null;
}

/** The organization DIDs of `accessControl.shared_with` (a string or an array of strings). */
export function sharedWith(data: Record<string, unknown>): string[] {
  const ac = data['accessControl'];
  const sw = isObject(ac) ? ac['shared_with'] : undefined;
  if (typeof sw === 'string') return [sw];
  return Array.isArray(sw) ? sw.filter((s): s is string => typeof s === 'string') : [];
}

export interface SealInput {
  soul: string;
  data: Record<string, unknown>;
  oip: Record<string, unknown>;
  meta: Record<string, unknown>;
  publicKey: string;
  privateKeyHex: string;
}

export interface GunWireRecord {
  data: unknown;
  oip: Record<string, unknown>;
  meta: Record<string, unknown>;
}

/**
 * The record as it goes to GUN: restricted data encrypted in the legacy envelope (per-user key,
 * or the organization key for the first DID in shared_with), then signed with the publisher's key.
 * `meta` holds no arrays (a GUN node cannot), so legacy's `sharedWith` list is not repeated there.
 */
export function sealGunRecord(input: SealInput): GunWireRecord {
  const level = restrictedLevel(input.data);
  let data: unknown = input.data;
  let meta: Record<string, unknown> = { ...input.meta, encrypted: false };
  if (level !== null) {
    const org = level === 'organization' ? sharedWith(input.data)[0] : undefined;
    if (org !== undefined) {
      data = encryptData(input.data, organizationRecordKey(input.privateKeyHex, org));
      meta = {
        ...input.meta,
        encrypted: true,
        encryptionMethod: 'aes-256-gcm',
        encryptionType: 'organization',
        encryptedForOrganization: org,
        keyScheme: KEY_SCHEME,
      };
    } else {
      data = encryptData(input.data, perUserRecordKey(input.privateKeyHex));
      meta = {
        ...input.meta,
        encrypted: true,
        encryptionMethod: 'aes-256-gcm',
        encryptionType: 'per-user',
        encryptedBy: input.publicKey,
        keyScheme: KEY_SCHEME,
      };
    }
  }
  const sig = signRecord({ soul: input.soul, data, oip: input.oip, meta }, input.privateKeyHex);
  return { data, oip: { ...input.oip, ...sig }, meta };
}

/** Keys this node holds for its own users, by public key; null when the key has no account here. */
export interface RecordKeySource {
  privateKeyOf(publicKey: string): Promise<string | null>;
  /** A legacy per-user GUN salt carried over with a migrated account. */
  legacySaltOf?(publicKey: string): Promise<string | null>;
}

export type OpenOutcome =
  | { kind: 'plain' }
  | { kind: 'opened'; data: Record<string, unknown>; readBy: string }
  | { kind: 'unreadable'; reason: 'no-key' | 'wrong-key' | 'unsupported' };

function tryKey(envelope: unknown, key: Uint8Array): Record<string, unknown> | null {
  try {
    return decryptData(envelope, key);
  } catch (err) {
    if (isRecordsError(err) && err.code === 'RECORDS_ERR_DECRYPT_FAILED') return null;
    throw err;
  }
}

/**
 * Opens an encrypted record's data with the keys this node holds: ours (per-user, organization),
 * then legacy's salted and fallback per-user keys for a user with an account here. Legacy
 * organization keys and the shared constant key of early legacy versions are not read.
 */
export async function openGunRecordData(
  node: { data: unknown; oip: Record<string, unknown>; meta: unknown },
  keys: RecordKeySource,
): Promise<OpenOutcome> {
  if (!isEncryptedMeta(node.meta)) return { kind: 'plain' };
  const meta = node.meta as Record<string, unknown>;
  const ours = meta['keyScheme'] === KEY_SCHEME;
  const creator = creatorPublicKey(node.oip);
  try {
    if (meta['encryptionType'] === 'organization') {
      const org = meta['encryptedForOrganization'];
      if (!ours || typeof org !== 'string' || creator === null) return { kind: 'unreadable', reason: 'unsupported' };
      const priv = await keys.privateKeyOf(creator);
      if (priv === null) return { kind: 'unreadable', reason: 'no-key' };
      const data = tryKey(node.data, organizationRecordKey(priv, org));
      return data === null ? { kind: 'unreadable', reason: 'wrong-key' } : { kind: 'opened', data, readBy: creator };
    }
    const owner = meta['encryptedBy'];
    if (typeof owner !== 'string') return { kind: 'unreadable', reason: 'unsupported' };
    const priv = await keys.privateKeyOf(owner);
    if (priv === null) return { kind: 'unreadable', reason: 'no-key' };
    const candidates: Uint8Array[] = [];
    if (ours) candidates.push(perUserRecordKey(priv));
    else {
      const salt = (await keys.legacySaltOf?.(owner)) ?? null;
      if (salt !== null) candidates.push(legacySaltedKey(owner, salt));
      candidates.push(legacyFallbackKey(owner));
    }
    for (const key of candidates) {
      const data = tryKey(node.data, key);
      if (data !== null) return { kind: 'opened', data, readBy: owner };
    }
    return { kind: 'unreadable', reason: 'wrong-key' };
  } catch (err) {
    if (isRecordsError(err) && err.code === 'RECORDS_ERR_BAD_ENVELOPE')
      return { kind: 'unreadable', reason: 'unsupported' };
    throw err;
  }
}
