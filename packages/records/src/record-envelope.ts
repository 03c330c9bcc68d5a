// The legacy encrypted-record envelope: `data` replaced by `{ encrypted, iv, tag }` (base64,
// AES-256-GCM, 12-byte IV), described by `meta` (`encrypted: true`, `encryptionMethod`,
// `encryptionType`, `encryptedBy` or `encryptedForOrganization`). Legacy encrypts the JSON text of
// the data's JSON string (it stringifies twice); we write the same form and read either.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { RecordsError } from './errors.js';
import { isObject } from './is-object.js';

export interface EncryptedData {
  encrypted: string;
  iv: string;
  tag: string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** True for a `data` value in the envelope's shape. */
export function isEncryptedData(value: unknown): value is EncryptedData {
  return (
    isObject(value) &&
    typeof value['encrypted'] === 'string' &&
    typeof value['iv'] === 'string' &&
    typeof value['tag'] === 'string'
  );
}

/** True when a GUN record's `meta` says its data is encrypted. */
export function isEncryptedMeta(meta: unknown): boolean {
  return isObject(meta) && (meta['encrypted'] === true || meta['encrypted'] === 'true');
}

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new RecordsError('RECORDS_ERR_BAD_KEY', `an AES-256 key is ${KEY_BYTES} bytes`);
}

/** Encrypts a record's data as legacy does (the data's JSON string, JSON-encoded, under AES-256-GCM). */
export function encryptData(data: Record<string, unknown>, key: Uint8Array): EncryptedData {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const plain = Buffer.from(JSON.stringify(JSON.stringify(data)), 'utf8');
  const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    encrypted: encrypted.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/**
 * The data inside an envelope. RECORDS_ERR_DECRYPT_FAILED when the key is not the one (the GCM tag
 * does not verify); RECORDS_ERR_BAD_ENVELOPE when the envelope or the plaintext is malformed.
 */
export function decryptData(envelope: unknown, key: Uint8Array): Record<string, unknown> {
  checkKey(key);
  if (!isEncryptedData(envelope))
    throw new RecordsError('RECORDS_ERR_BAD_ENVELOPE', 'data is not { encrypted, iv, tag }');
  const iv = Buffer.from(envelope.iv, 'base64');
  const tag = Buffer.from(envelope.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
    throw new RecordsError('RECORDS_ERR_BAD_ENVELOPE', 'iv or tag has the wrong length');
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(Buffer.from(envelope.encrypted, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch (err) {
    throw new RecordsError('RECORDS_ERR_DECRYPT_FAILED', 'the key does not open this record', { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(plain);
    if (typeof value === 'string') value = JSON.parse(value);
  } catch (err) {
    throw new RecordsError('RECORDS_ERR_BAD_ENVELOPE', 'the decrypted data is not JSON', { cause: err });
  }
  if (!isObject(value)) throw new RecordsError('RECORDS_ERR_BAD_ENVELOPE', 'the decrypted data is not an object');
  return value;
}
