// Secrets at rest, sealed under a key derived from the account password only (the node holds
// no key that opens them). Format, version 1 — a JSON object stored as text:
//
//   { "v": 1, "kdf": "scrypt", "N": 32768, "r": 8, "p": 3,
//     "salt": <16 bytes b64>, "alg": "aes-256-gcm", "iv": <12 bytes b64>,
//     "tag": <16 bytes b64>, "ct": <b64> }
//
// key = scrypt(UTF-8 password, salt, 32 bytes, N, r, p); ct/tag = AES-256-GCM(key, iv) over the
// plaintext with additional data `oip-accounts/secret/v1/scrypt/N/r/p` (so the parameters are
// authenticated too). Salt and IV are fresh random bytes on every seal. Legacy used PBKDF2-SHA256
// (100,000 iterations, a fixed salt string per purpose) + AES-256-GCM; we keep AES-256-GCM and
// replace the KDF with memory-hard scrypt and a random salt.
//
// Default cost N=2^15, r=8, p=3 is one of OWASP's equivalent scrypt settings (to N=2^17, r=8,
// p=1): the same work, but 32 MiB per derivation instead of 128 MiB, which matters in the api
// process when several registrations run at once (measured here: ~290 ms per derivation).
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { DecryptFailedError, EnvelopeInvalidError } from './errors.js';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. @defaultValue 32768 (2^15) */
  N: number;
  /** Block size. @defaultValue 8 */
  r: number;
  /** Parallelism (computed sequentially by Node: cost in time, not memory). @defaultValue 3 */
  p: number;
}

export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 3 });

/**
 * Most memory (128·N·r bytes) an envelope may make one derivation use: a stored envelope
 * naming more would be a denial of service, so it is refused as invalid.
 */
export const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024;
export const MAX_SCRYPT_N = 2 ** 20;
const MAX_SCRYPT_R = 32;
const MAX_SCRYPT_P = 16;
// Node's own cap (32 MiB by default) must sit above our bound; scrypt needs a little more than 128·N·r.
const SCRYPT_MAXMEM = MAX_SCRYPT_MEMORY_BYTES + 16 * 1024 * 1024;

export const SECRET_ENVELOPE_VERSION = 1;

export interface SecretEnvelopeV1 {
  v: 1;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  alg: 'aes-256-gcm';
  iv: string;
  tag: string;
  ct: string;
}

const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: SCRYPT_MAXMEM };
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(password, 'utf8'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function additionalData(params: ScryptParams): Buffer {
  return Buffer.from(`oip-accounts/secret/v1/scrypt/${params.N}/${params.r}/${params.p}`, 'utf8');
}

function checkParams(params: ScryptParams, where: string): void {
  const { N, r, p } = params;
  const isInt = (x: unknown, max: number): boolean =>
    Number.isSafeInteger(x) && (x as number) >= 1 && (x as number) <= max;
  if (!isInt(N, MAX_SCRYPT_N) || N < 2 || (N & (N - 1)) !== 0) {
    throw new EnvelopeInvalidError(`${where}: scrypt N must be a power of two from 2 to ${MAX_SCRYPT_N}`);
  }
  if (!isInt(r, MAX_SCRYPT_R)) throw new EnvelopeInvalidError(`${where}: scrypt r must be 1..${MAX_SCRYPT_R}`);
  if (!isInt(p, MAX_SCRYPT_P)) throw new EnvelopeInvalidError(`${where}: scrypt p must be 1..${MAX_SCRYPT_P}`);
  if (128 * N * r > MAX_SCRYPT_MEMORY_BYTES) {
    throw new EnvelopeInvalidError(`${where}: scrypt N·r needs more than ${MAX_SCRYPT_MEMORY_BYTES} bytes`);
  }
}

/** Seals `plaintext` under `password`; returns the envelope as JSON text. */
export async function sealWithPassword(
  plaintext: string | Uint8Array,
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  checkParams(params, 'seal');
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const key = await deriveKey(password, salt, params);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(params));
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const ct = Buffer.concat([cipher.update(data), cipher.final()]);
  const envelope: SecretEnvelopeV1 = {
    v: 1,
    kdf: 'scrypt',
    N: params.N,
    r: params.r,
    p: params.p,
    salt: salt.toString('base64'),
    alg: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  };
  return JSON.stringify(envelope);
}

function b64(value: unknown, field: string, bytes?: number): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/u.test(value)) {
    throw new EnvelopeInvalidError(`envelope ${field} is not base64`);
  }
  const buf = Buffer.from(value, 'base64');
  if (bytes !== undefined && buf.length !== bytes)
    throw new EnvelopeInvalidError(`envelope ${field} must be ${bytes} bytes`);
  return buf;
}

/** Parses and checks an envelope's fields (not its authenticity). */
export function parseEnvelope(sealed: string): SecretEnvelopeV1 {
  let raw: unknown;
  try {
    raw = JSON.parse(sealed);
  } catch (err) {
    throw new EnvelopeInvalidError('envelope is not JSON', { cause: err });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new EnvelopeInvalidError('envelope is not an object');
  const e = raw as Record<string, unknown>;
  if (e.v !== SECRET_ENVELOPE_VERSION)
    throw new EnvelopeInvalidError(`envelope version ${String(e.v)} is not supported`);
  if (e.kdf !== 'scrypt' || e.alg !== 'aes-256-gcm') throw new EnvelopeInvalidError('envelope kdf/alg not supported');
  checkParams({ N: e.N as number, r: e.r as number, p: e.p as number }, 'open');
  b64(e.salt, 'salt', SALT_BYTES);
  b64(e.iv, 'iv', IV_BYTES);
  b64(e.tag, 'tag', TAG_BYTES);
  b64(e.ct, 'ct');
  return e as unknown as SecretEnvelopeV1;
}

/**
 * The plaintext sealed in `sealed`. Wrong password or altered envelope → `DecryptFailedError`
 * (ACCOUNTS_ERR_DECRYPT_FAILED); unreadable envelope → `EnvelopeInvalidError`.
 */
export async function openWithPassword(sealed: string, password: string): Promise<Buffer> {
  const e = parseEnvelope(sealed);
  const params = { N: e.N, r: e.r, p: e.p };
  const key = await deriveKey(password, b64(e.salt, 'salt'), params);
  const decipher = createDecipheriv('aes-256-gcm', key, b64(e.iv, 'iv'), { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(params));
  decipher.setAuthTag(b64(e.tag, 'tag'));
  try {
    return Buffer.concat([decipher.update(b64(e.ct, 'ct')), decipher.final()]);
  } catch (err) {
    throw new DecryptFailedError(undefined, { cause: err });
  }
}
