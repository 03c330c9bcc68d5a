// Publisher signatures over GUN records and deletion entries. A record our api publishes carries
// `oip.signature` (base64 compact ECDSA over secp256k1, low-S, sha256 of the signed bytes) and
// `oip.sigScheme`; the signed bytes are the canonical JSON of the soul, `data` as it goes on the
// wire (plain or the encrypted envelope), `oip` without the signature fields, and the encryption
// fields of `meta`. The soul binds the record to one place, and its publisher-hash prefix must be
// the hash of the signing key, so a valid signature cannot be replayed under another publisher's
// soul. Legacy records carry no `sigScheme` (some carry an Arweave-wallet `signature` over other
// bytes): they check as unsigned.
import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { canonicalJson } from './canonical-json.js';
import { RecordsError } from './errors.js';
import { isObject } from './is-object.js';
import { publisherHash } from './souls.js';

/** `oip.sigScheme` of the records and deletions this code signs. */
export const SIGNATURE_SCHEME = 'oip-gun-secp256k1-sha256-v1';

/** The `meta` fields a record signature covers: the ones that say how to read `data`. */
export const SIGNED_META_KEYS = [
  'encrypted',
  'encryptionMethod',
  'encryptionType',
  'encryptedBy',
  'encryptedForOrganization',
  'sharedWith',
  'keyScheme',
] as const;

const PUBLIC_KEY_RE = /^0[23][0-9a-f]{64}$/;
const PRIVATE_KEY_RE = /^[0-9a-f]{64}$/;
const SOUL_HASH_RE = /^([0-9a-f]{12}):/;

export interface RecordToSign {
  soul: string;
  data: unknown;
  oip: Record<string, unknown>;
  meta?: Record<string, unknown> | null | undefined;
}

export interface Signature {
  signature: string;
  sigScheme: typeof SIGNATURE_SCHEME;
}

export type SignatureProblem = 'malformed' | 'unknown-scheme' | 'not-soul-publisher' | 'bad-signature';

/** `valid` (with the key that signed), `unsigned` (no sigScheme: a legacy record) or `invalid` (why). */
export type SignatureCheck =
  { status: 'valid'; publicKey: string } | { status: 'unsigned' } | { status: 'invalid'; problem: SignatureProblem };

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

function signedMeta(meta: RecordToSign['meta']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObject(meta)) return out;
  for (const k of SIGNED_META_KEYS) if (meta[k] !== undefined) out[k] = meta[k];
  return out;
}

/** The bytes a record signature covers. */
export function recordSigningBytes(r: RecordToSign): Uint8Array {
  const { signature: _s, sigScheme: _k, ...oip } = r.oip;
  return utf8(canonicalJson({ v: 1, kind: 'record', soul: r.soul, data: r.data, oip, meta: signedMeta(r.meta) }));
}

function signBytes(bytes: Uint8Array, privateKeyHex: string): string {
  if (!PRIVATE_KEY_RE.test(privateKeyHex))
    throw new RecordsError('RECORDS_ERR_BAD_KEY', 'a private key is 64 lowercase hex characters');
  return Buffer.from(secp256k1.sign(bytes, hex(privateKeyHex))).toString('base64');
}

// Verification through OpenSSL (several times faster than the pure-JS curve, which signs: its
// signatures are deterministic and low-S). A compressed secp256k1 point wrapped as SPKI DER.
const SPKI_SECP256K1_COMPRESSED = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');
const KEY_CACHE_MAX = 1024;
const keyObjects = new Map<string, KeyObject | null>();

function keyObjectOf(publicKey: string): KeyObject | null {
  const hit = keyObjects.get(publicKey);
  if (hit !== undefined) return hit;
  let key: KeyObject | null;
  try {
    key = createPublicKey({
      key: Buffer.concat([SPKI_SECP256K1_COMPRESSED, Buffer.from(publicKey, 'hex')]),
      format: 'der',
      type: 'spki',
    });
  } catch {
    key = null; // not a point on the curve
  }
  if (keyObjects.size >= KEY_CACHE_MAX) keyObjects.delete(keyObjects.keys().next().value as string);
  keyObjects.set(publicKey, key);
  return key;
}

function verifyBytes(bytes: Uint8Array, signature: string, publicKey: string): boolean {
  const sig = Buffer.from(signature, 'base64');
  const key = keyObjectOf(publicKey);
  if (sig.length !== 64 || key === null) return false;
  return verifySignature('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }, sig);
}

/** Signs a record with its publisher's key; put the answer's fields into `oip`. */
export function signRecord(r: RecordToSign, privateKeyHex: string): Signature {
  return { signature: signBytes(recordSigningBytes(r), privateKeyHex), sigScheme: SIGNATURE_SCHEME };
}

/** The creator public key a record names (`oip.creator.publicKey` or legacy `oip.creator_publicKey`). */
export function creatorPublicKey(oip: Record<string, unknown>): string | null {
  const creator = oip['creator'];
  const key = isObject(creator) ? creator['publicKey'] : oip['creator_publicKey'];
  return typeof key === 'string' ? key : null;
}

/** Checks a record as fetched from a relay (before any conversion) against its soul. */
export function checkRecordSignature(r: RecordToSign): SignatureCheck {
  const scheme = r.oip['sigScheme'];
  if (scheme === undefined) return { status: 'unsigned' };
  if (scheme !== SIGNATURE_SCHEME) return { status: 'invalid', problem: 'unknown-scheme' };
  const key = creatorPublicKey(r.oip);
  const signature = r.oip['signature'];
  if (key === null || !PUBLIC_KEY_RE.test(key) || typeof signature !== 'string')
    return { status: 'invalid', problem: 'malformed' };
  if (SOUL_HASH_RE.exec(r.soul)?.[1] !== publisherHash(key))
    return { status: 'invalid', problem: 'not-soul-publisher' };
  let bytes: Uint8Array;
  try {
    bytes = recordSigningBytes(r);
  } catch {
    return { status: 'invalid', problem: 'malformed' };
  }
  return verifyBytes(bytes, signature, key)
    ? { status: 'valid', publicKey: key }
    : { status: 'invalid', problem: 'bad-signature' };
}

export interface DeletionToSign {
  did: string;
  /** Milliseconds since the epoch. */
  deletedAt: number;
  /** The deleting publisher's public key. */
  deletedBy: string;
}

function deletionBytes(d: DeletionToSign): Uint8Array {
  return utf8(canonicalJson({ v: 1, kind: 'deletion', did: d.did, deletedAt: d.deletedAt, deletedBy: d.deletedBy }));
}

/** Signs a deletion entry; put the answer's fields beside `did`, `deletedAt` and `deletedBy`. */
export function signDeletion(d: DeletionToSign, privateKeyHex: string): Signature {
  return { signature: signBytes(deletionBytes(d), privateKeyHex), sigScheme: SIGNATURE_SCHEME };
}

/**
 * Checks a deletion entry (`oip:deleted:records:<did>`) of a `did:gun:` record: valid only when
 * signed by the key whose publisher hash prefixes the record's soul, i.e. by the record's owner.
 */
export function checkDeletionSignature(entry: unknown, did: string): SignatureCheck {
  if (!isObject(entry) || entry['sigScheme'] === undefined) return { status: 'unsigned' };
  if (entry['sigScheme'] !== SIGNATURE_SCHEME) return { status: 'invalid', problem: 'unknown-scheme' };
  const { deletedBy, deletedAt, signature } = entry;
  if (
    entry['did'] !== did ||
    typeof deletedBy !== 'string' ||
    !PUBLIC_KEY_RE.test(deletedBy) ||
    typeof deletedAt !== 'number' ||
    typeof signature !== 'string'
  ) {
    return { status: 'invalid', problem: 'malformed' };
  }
  const soul = did.startsWith('did:gun:') ? did.slice('did:gun:'.length) : '';
  if (SOUL_HASH_RE.exec(soul)?.[1] !== publisherHash(deletedBy))
    return { status: 'invalid', problem: 'not-soul-publisher' };
  return verifyBytes(deletionBytes({ did, deletedAt, deletedBy }), signature, deletedBy)
    ? { status: 'valid', publicKey: deletedBy }
    : { status: 'invalid', problem: 'bad-signature' };
}

/** What a node does with unsigned (legacy) records: refuse them, or accept attributable ones. */
export type UnsignedPolicy = 'refuse' | 'accept';

/**
 * Whether an unsigned record may be believed: never under `refuse`; under `accept` only when it
 * names a creator whose key hashes to its soul's publisher prefix (souls without that prefix,
 * which no publisher hash names, are taken as they are).
 */
export function unsignedRecordAcceptable(soul: string, oip: Record<string, unknown>, policy: UnsignedPolicy): boolean {
  if (policy === 'refuse') return false;
  const key = creatorPublicKey(oip);
  if (key === null) return false;
  const prefix = SOUL_HASH_RE.exec(soul)?.[1];
  return prefix === undefined || prefix === publisherHash(key);
}
