// A migrated account's secrets as the legacy node sealed them, kept unopened until its owner's
// first login here (the node never holds the password that opens them). The account's `secrets`
// text is then `{ "v": "legacy-oip", "encryptedPrivateKey", "encryptedMnemonic", "encryptedGunSalt" }`
// (the legacy fields verbatim, the last two may be null); the `v` marks it legacy, as the bcrypt
// prefix marks its password hash. account-service.ts opens it with the password and seals the
// same secrets again in our envelope (account-secrets.ts).
import { createECDH } from 'node:crypto';
import type { AccountSecrets } from '../account-secrets.js';
import { EnvelopeInvalidError, isAccountsError } from '../errors.js';
import { legacySaltPlaceholder, openLegacyEnvelope } from './legacy-envelope.js';

export const LEGACY_SECRETS_VERSION = 'legacy-oip';

/** The legacy user document's sealed fields, verbatim. */
export interface LegacySealedSecrets {
  encryptedPrivateKey: string;
  encryptedMnemonic: string | null;
  encryptedGunSalt: string | null;
}

/** The `secrets` text a migrated account is stored with. */
export function legacySecretsText(sealed: LegacySealedSecrets): string {
  return JSON.stringify({
    v: LEGACY_SECRETS_VERSION,
    encryptedPrivateKey: sealed.encryptedPrivateKey,
    encryptedMnemonic: sealed.encryptedMnemonic,
    encryptedGunSalt: sealed.encryptedGunSalt,
  });
}

/** The legacy fields of a migrated account's `secrets`, or null when they are ours. */
export function parseLegacySecrets(secrets: string): LegacySealedSecrets | null {
  // Cheap first test: our envelope starts {"v":1, so most calls never parse.
  if (!secrets.includes(`"${LEGACY_SECRETS_VERSION}"`)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(secrets);
  } catch {
    return null;
  }
  const s = raw as Record<string, unknown> | null;
  if (s === null || typeof s !== 'object' || s['v'] !== LEGACY_SECRETS_VERSION) return null;
  const optional = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  if (typeof s['encryptedPrivateKey'] !== 'string')
    throw new EnvelopeInvalidError('legacy secrets lack encryptedPrivateKey');
  return {
    encryptedPrivateKey: s['encryptedPrivateKey'],
    encryptedMnemonic: optional(s['encryptedMnemonic']),
    encryptedGunSalt: optional(s['encryptedGunSalt']),
  };
}

/** The compressed secp256k1 public key (lowercase hex) of a private key (hex). */
export function publicKeyOfPrivateKey(privateKeyHex: string): string {
  const ecdh = createECDH('secp256k1');
  ecdh.setPrivateKey(Buffer.from(privateKeyHex, 'hex'));
  return ecdh.getPublicKey('hex', 'compressed');
}

/**
 * Opens legacy-sealed secrets with the password. The private key must be the one of `publicKey`
 * (a key sealed for another account would hand the user someone else's DIDs), else
 * ACCOUNTS_ERR_ENVELOPE_INVALID; a wrong password ACCOUNTS_ERR_DECRYPT_FAILED. A mnemonic or GUN
 * salt that does not open is left out (null) rather than failing: the private key is what the
 * account needs, and legacy itself went on without them.
 */
export async function openLegacySecrets(
  sealed: LegacySealedSecrets,
  password: string,
  publicKey: string,
): Promise<AccountSecrets> {
  const privateKey = (await openLegacyEnvelope(sealed.encryptedPrivateKey, password, 'privateKey')).trim();
  if (!/^[0-9a-f]{64}$/u.test(privateKey)) throw new EnvelopeInvalidError('the legacy private key is not 64 hex');
  let derived: string;
  try {
    derived = publicKeyOfPrivateKey(privateKey);
  } catch (err) {
    throw new EnvelopeInvalidError('the legacy private key is not a secp256k1 key', { cause: err });
  }
  if (derived !== publicKey) throw new EnvelopeInvalidError("the legacy private key is not the account's key");
  const optional = async (text: string | null, purpose: 'mnemonic' | 'gunSalt'): Promise<string | null> => {
    if (text === null) return null;
    const placeholder = purpose === 'gunSalt' ? legacySaltPlaceholder(text) : null;
    if (placeholder !== null) return placeholder;
    try {
      return await openLegacyEnvelope(text, password, purpose);
    } catch (err) {
      if (
        isAccountsError(err) &&
        (err.code === 'ACCOUNTS_ERR_DECRYPT_FAILED' || err.code === 'ACCOUNTS_ERR_ENVELOPE_INVALID')
      )
        return null;
      throw err;
    }
  };
  const [mnemonic, legacyGunSalt] = await Promise.all([
    optional(sealed.encryptedMnemonic, 'mnemonic'),
    optional(sealed.encryptedGunSalt, 'gunSalt'),
  ]);
  return { mnemonic, privateKey, ...(legacyGunSalt === null ? {} : { legacyGunSalt }) };
}
