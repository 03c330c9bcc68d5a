// Publisher key pairs as the legacy node makes them (routes/user.js completeRegistration and
// /import-wallet): a 12-word English BIP39 mnemonic (128 bits of entropy, empty passphrase),
// BIP32 master key from its seed, child m/44'/0'/0'/0/0 on secp256k1. The public key is the
// 33-byte compressed point as lowercase hex (66 chars, 02/03 prefix); the private key is the
// 32-byte scalar as lowercase hex.
import { HDKey } from '@scure/bip32';
import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { InvalidMnemonicError } from './errors.js';

/** The derivation path legacy stores as `keyDerivationPath`. */
export const KEY_DERIVATION_PATH = "m/44'/0'/0'/0/0";

/** Legacy `bip39.generateMnemonic()` default: 128 bits → 12 words. */
export const MNEMONIC_STRENGTH_BITS = 128;

export interface PublisherKeys {
  /** Space-separated English BIP39 words. */
  mnemonic: string;
  /** Compressed secp256k1 public key, lowercase hex (66 chars). The legacy `publicKey`. */
  publicKey: string;
  /** secp256k1 private key, lowercase hex (64 chars). */
  privateKey: string;
}

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Legacy's mnemonic form: words split by whitespace, joined by one space. */
function canonicalMnemonic(mnemonic: string): string {
  return mnemonic.trim().split(/\s+/u).join(' ');
}

/** True when `mnemonic` is a valid English BIP39 phrase (checksum included). */
export function isValidMnemonic(mnemonic: unknown): mnemonic is string {
  return typeof mnemonic === 'string' && validateMnemonic(canonicalMnemonic(mnemonic), wordlist);
}

/**
 * The key pair at {@link KEY_DERIVATION_PATH} for `mnemonic` (legacy `/import-wallet`).
 * Throws `InvalidMnemonicError` (ACCOUNTS_ERR_INVALID_MNEMONIC) for an invalid phrase.
 */
export function publisherKeysFromMnemonic(mnemonic: string): PublisherKeys {
  if (!isValidMnemonic(mnemonic)) throw new InvalidMnemonicError();
  const phrase = canonicalMnemonic(mnemonic);
  const child = HDKey.fromMasterSeed(mnemonicToSeedSync(phrase)).derive(KEY_DERIVATION_PATH);
  const { publicKey, privateKey } = child;
  // A derived private node always has both; a null here would be a library defect.
  if (publicKey === null || privateKey === null) throw new Error('BIP32 derivation returned no key');
  return { mnemonic: phrase, publicKey: toHex(publicKey), privateKey: toHex(privateKey) };
}

/** A fresh 12-word mnemonic (OS randomness) and its key pair at m/44'/0'/0'/0/0. */
export function createPublisherKeys(): PublisherKeys {
  return publisherKeysFromMnemonic(generateMnemonic(wordlist, MNEMONIC_STRENGTH_BITS));
}
