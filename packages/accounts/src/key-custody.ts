// The node's custody of its publishers' signing keys. A record our api publishes is signed with its
// publisher's secp256k1 key at any time after login, and the sync-worker opens the publisher's
// encrypted records from other nodes, so the node holds each account's private key sealed under a
// node secret (the custody secret, or the JWT secret when none is set). The mnemonic stays sealed
// under the password alone. Losing or changing the node secret loses nothing: the next login opens
// the password envelope and seals the key again.
//
// Format, version 1 (JSON text): { "v": 1, "alg": "aes-256-gcm", "iv", "tag", "ct" } (base64);
// key = HKDF-SHA256(node secret, salt "oip-accounts/custody", info "v1"), additional data = the
// account's public key, so a sealed key moved to another account does not open. ct is the private
// key (hex). Version 2, the same but for ct = JSON { "privateKey", "legacyGunSalt" }, is sealed for
// an account migrated from a legacy node: the sync-worker opens the records legacy encrypted for it
// with that salt (legacy's salted per-user key) without the password.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { DecryptFailedError, EnvelopeInvalidError } from './errors.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const MIN_SECRET_LENGTH = 16;

/** The AES key that seals private keys in custody, from the node secret. */
export function custodyKey(nodeSecret: string): Buffer {
  if (nodeSecret.length < MIN_SECRET_LENGTH)
    throw new EnvelopeInvalidError(`the custody secret must be at least ${MIN_SECRET_LENGTH} characters`);
  return Buffer.from(hkdfSync('sha256', Buffer.from(nodeSecret, 'utf8'), 'oip-accounts/custody', 'v1', 32));
}

/** What custody holds of one account. */
export interface CustodySecrets {
  privateKey: string;
  /** A migrated account's legacy GUN salt; null for the others. */
  legacyGunSalt: string | null;
}

/**
 * Seals a private key (hex) for the account whose public key is `publicKey` (version 1), with a
 * migrated account's legacy GUN salt beside it when given (version 2).
 */
export function sealCustody(privateKeyHex: string, publicKey: string, key: Buffer, legacyGunSalt?: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(publicKey, 'utf8'));
  const plain =
    legacyGunSalt === undefined ? privateKeyHex : JSON.stringify({ privateKey: privateKeyHex, legacyGunSalt });
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return JSON.stringify({
    v: legacyGunSalt === undefined ? 1 : 2,
    alg: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  });
}

/** Opens a sealed key; ACCOUNTS_ERR_DECRYPT_FAILED under another secret or account, _ENVELOPE_INVALID when malformed. */
export function openCustody(sealed: string, publicKey: string, key: Buffer): string {
  return openCustodySecrets(sealed, publicKey, key).privateKey;
}

/** Opens a custody envelope: the private key, and a migrated account's legacy GUN salt. Errors as openCustody. */
export function openCustodySecrets(sealed: string, publicKey: string, key: Buffer): CustodySecrets {
  let env: { v?: unknown; alg?: unknown; iv?: unknown; tag?: unknown; ct?: unknown };
  try {
    env = JSON.parse(sealed) as typeof env;
  } catch (err) {
    throw new EnvelopeInvalidError('custody envelope is not JSON', { cause: err });
  }
  if (
    env === null ||
    typeof env !== 'object' ||
    (env.v !== 1 && env.v !== 2) ||
    env.alg !== 'aes-256-gcm' ||
    typeof env.iv !== 'string' ||
    typeof env.tag !== 'string' ||
    typeof env.ct !== 'string'
  ) {
    throw new EnvelopeInvalidError('custody envelope has the wrong shape');
  }
  const iv = Buffer.from(env.iv, 'base64');
  const tag = Buffer.from(env.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
    throw new EnvelopeInvalidError('custody envelope iv or tag has the wrong length');
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(publicKey, 'utf8'));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(Buffer.from(env.ct, 'base64')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new DecryptFailedError('the custody envelope does not open with this node secret and account', {
      cause: err,
    });
  }
  if (env.v === 1) return { privateKey: plain, legacyGunSalt: null };
  let inner: { privateKey?: unknown; legacyGunSalt?: unknown } | null;
  try {
    inner = JSON.parse(plain) as typeof inner;
  } catch (err) {
    throw new EnvelopeInvalidError('custody envelope v2 does not hold JSON', { cause: err });
  }
  if (inner === null || typeof inner.privateKey !== 'string' || typeof inner.legacyGunSalt !== 'string')
    throw new EnvelopeInvalidError('custody envelope v2 lacks privateKey/legacyGunSalt');
  return { privateKey: inner.privateKey, legacyGunSalt: inner.legacyGunSalt };
}
