import { validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { describe, expect, it } from 'vitest';
import { KEY_DERIVATION_PATH, createPublisherKeys, isValidMnemonic, publisherKeysFromMnemonic } from '../src/index.js';
import { referenceDerive } from './helpers/reference-bip32.js';

// The BIP39 test phrase; m/44'/0'/0'/0/0 is the published BIP44 vector (address
// 1LqBGSKuX5yYUonjxT5qGfpUsXKYYWeabA), also derived by helpers/reference-bip32.ts.
const ABANDON = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ABANDON_PUBLIC = '03aaeb52dd7494c361049de67cc680e83ebcbbbdbeb13637d92cd845f70308af5e';
const ABANDON_PRIVATE = 'e284129cc0922579a535bbf4d1a3b25773090d28c909bc0fed73b5e0222cc372';

describe('publisher keys', () => {
  it("derives the known m/44'/0'/0'/0/0 vector as legacy encodes it (compressed hex public key, hex private key)", () => {
    const keys = publisherKeysFromMnemonic(ABANDON);
    expect(keys).toEqual({ mnemonic: ABANDON, publicKey: ABANDON_PUBLIC, privateKey: ABANDON_PRIVATE });
    expect(referenceDerive(ABANDON, KEY_DERIVATION_PATH)).toEqual({
      publicKey: ABANDON_PUBLIC,
      privateKey: ABANDON_PRIVATE,
    });
  });

  it('uses the legacy path', () => {
    expect(KEY_DERIVATION_PATH).toBe("m/44'/0'/0'/0/0");
  });

  it('creates fresh 12-word English phrases whose keys match an independent derivation', () => {
    const a = createPublisherKeys();
    const b = createPublisherKeys();
    expect(a.mnemonic).not.toBe(b.mnemonic);
    for (const keys of [a, b]) {
      expect(keys.mnemonic.split(' ')).toHaveLength(12);
      expect(validateMnemonic(keys.mnemonic, wordlist)).toBe(true);
      expect(keys.publicKey).toMatch(/^0[23][0-9a-f]{64}$/u);
      expect(keys.privateKey).toMatch(/^[0-9a-f]{64}$/u);
      expect(referenceDerive(keys.mnemonic, KEY_DERIVATION_PATH)).toEqual({
        publicKey: keys.publicKey,
        privateKey: keys.privateKey,
      });
    }
  });

  it('imports a phrase with stray whitespace as its canonical form', () => {
    const keys = publisherKeysFromMnemonic(`  ${ABANDON.replaceAll(' ', ' \n ')}  `);
    expect(keys.mnemonic).toBe(ABANDON);
    expect(keys.publicKey).toBe(ABANDON_PUBLIC);
  });

  it('refuses invalid phrases with ACCOUNTS_ERR_INVALID_MNEMONIC (bad checksum, unknown word, wrong length)', () => {
    const bad = [
      ABANDON.replace(/about$/u, 'abandon'),
      ABANDON.replace(/^abandon/u, 'abandonn'),
      'abandon abandon abandon',
      '',
    ];
    for (const phrase of bad) {
      expect(isValidMnemonic(phrase)).toBe(false);
      expect(() => publisherKeysFromMnemonic(phrase)).toThrow(
        expect.objectContaining({ code: 'ACCOUNTS_ERR_INVALID_MNEMONIC' }),
      );
    }
    expect(isValidMnemonic(42)).toBe(false);
  });
});
