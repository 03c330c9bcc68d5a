// The legacy node's password-sealed secrets (routes/user.js encryptPrivateKeyWithPassword,
// encryptMnemonicWithPassword, encryptSaltWithPassword): AES-256-GCM under PBKDF2-SHA256(password,
// a fixed salt string per purpose, 100,000 iterations, 32 bytes), 12-byte IV, no additional data,
// stored as the JSON text { "encrypted", "iv", "authTag" } (base64). Older legacy accounts hold a
// PBKDF2 hex digest instead (not JSON): one-way, nothing to open.
import { createDecipheriv, pbkdf2 } from 'node:crypto';
import { DecryptFailedError, EnvelopeInvalidError } from '../errors.js';

/** The fixed PBKDF2 salt strings legacy derives each purpose's key with. */
export const LEGACY_PURPOSES = Object.freeze({
  privateKey: 'oip-private-key-encryption',
  mnemonic: 'oip-mnemonic-encryption',
  gunSalt: 'oip-salt-encryption',
});
export type LegacyPurpose = keyof typeof LEGACY_PURPOSES;

export const LEGACY_PBKDF2_ITERATIONS = 100_000;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Legacy seals short texts (a key, a phrase, a salt); anything far larger is not one of its envelopes. */
const MAX_ENVELOPE_CHARS = 8192;

interface LegacyEnvelope {
  encrypted: Buffer;
  iv: Buffer;
  authTag: Buffer;
}

/** True when `text` has the shape of a legacy AES envelope (JSON), false for the one-way hex form. */
export function isLegacyEnvelope(text: unknown): text is string {
  if (typeof text !== 'string' || !text.startsWith('{') || text.length > MAX_ENVELOPE_CHARS) return false;
  try {
    parseLegacyEnvelope(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Legacy's own migrations left some GUN salts in the clear as `{ "isMigrationPlaceholder": true,
 * "plaintextSalt" }` for its login to seal; the salt in such a placeholder, else null.
 */
export function legacySaltPlaceholder(text: unknown): string | null {
  if (typeof text !== 'string' || !text.startsWith('{') || text.length > MAX_ENVELOPE_CHARS) return null;
  try {
    const raw = JSON.parse(text) as Record<string, unknown> | null;
    return raw !== null && raw['isMigrationPlaceholder'] === true && typeof raw['plaintextSalt'] === 'string'
      ? raw['plaintextSalt']
      : null;
  } catch {
    return null;
  }
}

export const isLegacySaltPlaceholder = (text: unknown): text is string => legacySaltPlaceholder(text) !== null;

function b64(value: unknown, field: string, bytes?: number): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/u.test(value))
    throw new EnvelopeInvalidError(`legacy envelope ${field} is not base64`);
  const buf = Buffer.from(value, 'base64');
  if (bytes !== undefined && buf.length !== bytes)
    throw new EnvelopeInvalidError(`legacy envelope ${field} must be ${bytes} bytes`);
  return buf;
}

function parseLegacyEnvelope(text: string): LegacyEnvelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new EnvelopeInvalidError('legacy envelope is not JSON', { cause: err });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new EnvelopeInvalidError('legacy envelope is not an object');
  const e = raw as Record<string, unknown>;
  return {
    encrypted: b64(e['encrypted'], 'encrypted'),
    iv: b64(e['iv'], 'iv', IV_BYTES),
    authTag: b64(e['authTag'], 'authTag', TAG_BYTES),
  };
}

function legacyKey(password: string, purpose: LegacyPurpose): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, LEGACY_PURPOSES[purpose], LEGACY_PBKDF2_ITERATIONS, 32, 'sha256', (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * The text legacy sealed in `sealed` for `purpose` under `password`. Wrong password or altered
 * envelope → ACCOUNTS_ERR_DECRYPT_FAILED; not a legacy AES envelope → ACCOUNTS_ERR_ENVELOPE_INVALID.
 */
export async function openLegacyEnvelope(sealed: string, password: string, purpose: LegacyPurpose): Promise<string> {
  if (sealed.length > MAX_ENVELOPE_CHARS) throw new EnvelopeInvalidError('legacy envelope is too large');
  const env = parseLegacyEnvelope(sealed);
  const key = await legacyKey(password, purpose);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, env.iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(env.authTag);
    return Buffer.concat([decipher.update(env.encrypted), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new DecryptFailedError(`the legacy ${purpose} envelope does not open with this password`, { cause: err });
  }
}
