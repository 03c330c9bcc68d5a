// Keys of encrypted records. Ours come from the publisher's secp256k1 private key through HKDF, so
// nothing public derives them and the owner recovers them on any node from their mnemonic (which
// gives the private key). Legacy nodes used PBKDF2 over the public key alone (its fallback) or
// over the public key and a per-user salt sealed under the password; we read those for users who
// have an account here.
import { hkdfSync, pbkdf2Sync } from 'node:crypto';
import { RecordsError } from './errors.js';

/** `meta.keyScheme` of records encrypted with the keys below. */
export const KEY_SCHEME = 'oip-hkdf-sha256-v1';

const SALT = 'oip-gun-record-key';
const PRIVATE_KEY_RE = /^[0-9a-f]{64}$/;
const LEGACY_ITERATIONS = 100_000;

function privateKeyBytes(privateKeyHex: string): Buffer {
  if (!PRIVATE_KEY_RE.test(privateKeyHex))
    throw new RecordsError('RECORDS_ERR_BAD_KEY', 'a private key is 64 lowercase hex characters');
  return Buffer.from(privateKeyHex, 'hex');
}

const hkdf = (privateKeyHex: string, info: string): Buffer =>
  Buffer.from(hkdfSync('sha256', privateKeyBytes(privateKeyHex), SALT, info, 32));

/** The key of a publisher's private and shared records (`encryptionType: per-user`). */
export function perUserRecordKey(privateKeyHex: string): Buffer {
  return hkdf(privateKeyHex, 'per-user/v1');
}

/** The key of a publisher's records for one organization (`encryptionType: organization`). */
export function organizationRecordKey(privateKeyHex: string, organizationDid: string): Buffer {
  return hkdf(privateKeyHex, `organization/v1:${organizationDid}`);
}

/** Legacy's fallback per-user key: PBKDF2 of the public key alone (anyone can derive it). */
export function legacyFallbackKey(publicKey: string): Buffer {
  return pbkdf2Sync(publicKey, 'oip-gun-fallback', LEGACY_ITERATIONS, 32, 'sha256');
}

/** Legacy's salted per-user key (routes/user.js generateUserEncryptionKey). */
export function legacySaltedKey(publicKey: string, gunSalt: string): Buffer {
  return pbkdf2Sync(`${publicKey}:${gunSalt}`, 'oip-gun-encryption', LEGACY_ITERATIONS, 32, 'sha256');
}
