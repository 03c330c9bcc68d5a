// The secrets of one account — mnemonic and publisher private key — sealed together in one
// envelope (one scrypt derivation per seal/open) as the JSON `{ "mnemonic", "privateKey" }`.
// The mnemonic is null after the operator reset the password: the node keeps only the private key
// in custody, so the phrase cannot be sealed again. An account migrated from a legacy node also
// carries its legacy GUN salt (`legacyGunSalt`), which opens the records legacy encrypted for it.
import { EnvelopeInvalidError } from './errors.js';
import { DEFAULT_SCRYPT_PARAMS, openWithPassword, sealWithPassword, type ScryptParams } from './secret-envelope.js';

export interface AccountSecrets {
  mnemonic: string | null;
  privateKey: string;
  /** The legacy node's per-user GUN salt (routes/user.js gunEncryptionSalt); absent for accounts made here. */
  legacyGunSalt?: string;
}

export function sealAccountSecrets(
  secrets: AccountSecrets,
  password: string,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<string> {
  const plain: AccountSecrets = { mnemonic: secrets.mnemonic, privateKey: secrets.privateKey };
  if (secrets.legacyGunSalt !== undefined) plain.legacyGunSalt = secrets.legacyGunSalt;
  return sealWithPassword(JSON.stringify(plain), password, params);
}

/** Wrong password → ACCOUNTS_ERR_DECRYPT_FAILED; a payload of the wrong shape → ACCOUNTS_ERR_ENVELOPE_INVALID. */
export async function openAccountSecrets(sealed: string, password: string): Promise<AccountSecrets> {
  const plain = await openWithPassword(sealed, password);
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain.toString('utf8'));
  } catch (err) {
    throw new EnvelopeInvalidError('sealed account secrets are not JSON', { cause: err });
  }
  const s = parsed as Partial<AccountSecrets> | null;
  if (
    s === null ||
    typeof s !== 'object' ||
    (typeof s.mnemonic !== 'string' && s.mnemonic !== null) ||
    typeof s.privateKey !== 'string'
  ) {
    throw new EnvelopeInvalidError('sealed account secrets lack mnemonic/privateKey');
  }
  if (s.legacyGunSalt !== undefined && typeof s.legacyGunSalt !== 'string')
    throw new EnvelopeInvalidError('sealed account secrets have a legacyGunSalt that is not text');
  const secrets: AccountSecrets = { mnemonic: s.mnemonic, privateKey: s.privateKey };
  if (typeof s.legacyGunSalt === 'string') secrets.legacyGunSalt = s.legacyGunSalt;
  return secrets;
}
