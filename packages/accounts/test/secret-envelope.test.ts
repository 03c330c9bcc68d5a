import { createDecipheriv, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT_PARAMS,
  openAccountSecrets,
  openWithPassword,
  parseEnvelope,
  sealAccountSecrets,
  sealWithPassword,
  type SecretEnvelopeV1,
} from '../src/index.js';
import { codeOf } from './helpers/code-of.js';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

const edit = (sealed: string, change: (e: Record<string, unknown>) => void): string => {
  const e = JSON.parse(sealed) as Record<string, unknown>;
  change(e);
  return JSON.stringify(e);
};

/** Flips one bit of a base64 field. */
const flip = (b64: unknown): string => {
  const buf = Buffer.from(b64 as string, 'base64');
  buf[0] = buf[0]! ^ 1;
  return buf.toString('base64');
};

describe('secret envelope (scrypt + AES-256-GCM)', () => {
  it('round-trips under the password, by default with N=2^15, r=8, p=3', async () => {
    expect(DEFAULT_SCRYPT_PARAMS).toEqual({ N: 32768, r: 8, p: 3 });
    const started = performance.now();
    const sealed = await sealWithPassword('twelve words go here', 'hunter22hunter22');
    const sealMs = performance.now() - started;
    const envelope = parseEnvelope(sealed);
    expect(envelope).toMatchObject({ v: 1, kdf: 'scrypt', N: 32768, r: 8, p: 3, alg: 'aes-256-gcm' });
    expect((await openWithPassword(sealed, 'hunter22hunter22')).toString('utf8')).toBe('twelve words go here');
    expect(sealed).not.toContain('twelve');
    // Memory-hard on purpose; still well under a second here.
    expect(sealMs).toBeLessThan(5000);
  });

  it('matches its documented format: an independent scrypt + AES-GCM with the stated AAD opens it', async () => {
    const sealed = await sealWithPassword('the secret', 'pa55word!', FAST);
    const e = JSON.parse(sealed) as SecretEnvelopeV1;
    expect(Object.keys(e)).toEqual(['v', 'kdf', 'N', 'r', 'p', 'salt', 'alg', 'iv', 'tag', 'ct']);
    expect(Buffer.from(e.salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(e.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(e.tag, 'base64')).toHaveLength(16);
    const key = scryptSync('pa55word!', Buffer.from(e.salt, 'base64'), 32, { N: e.N, r: e.r, p: e.p });
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(e.iv, 'base64'));
    d.setAAD(Buffer.from(`oip-accounts/secret/v1/scrypt/${e.N}/${e.r}/${e.p}`));
    d.setAuthTag(Buffer.from(e.tag, 'base64'));
    expect(Buffer.concat([d.update(Buffer.from(e.ct, 'base64')), d.final()]).toString()).toBe('the secret');
  });

  it('uses a fresh salt and IV on every seal', async () => {
    const a = parseEnvelope(await sealWithPassword('same', 'same-password', FAST));
    const b = parseEnvelope(await sealWithPassword('same', 'same-password', FAST));
    expect(a.salt).not.toBe(b.salt);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
  });

  it('refuses a wrong password with ACCOUNTS_ERR_DECRYPT_FAILED', async () => {
    const sealed = await sealWithPassword('secret', 'right-password', FAST);
    expect(await codeOf(openWithPassword(sealed, 'wrong-password'))).toBe('ACCOUNTS_ERR_DECRYPT_FAILED');
    expect(await codeOf(openWithPassword(sealed, 'right-passworD'))).toBe('ACCOUNTS_ERR_DECRYPT_FAILED');
  });

  it('detects tampering with ciphertext, tag, IV, salt or the cost parameters: ACCOUNTS_ERR_DECRYPT_FAILED', async () => {
    const sealed = await sealWithPassword('secret value', 'right-password', FAST);
    const tampered = [
      edit(sealed, (e) => (e.ct = flip(e.ct))),
      edit(sealed, (e) => (e.tag = flip(e.tag))),
      edit(sealed, (e) => (e.iv = flip(e.iv))),
      edit(sealed, (e) => (e.salt = flip(e.salt))),
      edit(sealed, (e) => (e.N = 2 ** 11)),
      edit(sealed, (e) => (e.r = 4)),
    ];
    for (const t of tampered)
      expect(await codeOf(openWithPassword(t, 'right-password'))).toBe('ACCOUNTS_ERR_DECRYPT_FAILED');
  });

  it('refuses unreadable envelopes with ACCOUNTS_ERR_ENVELOPE_INVALID (not JSON, other version, bad fields, hostile cost)', async () => {
    const sealed = await sealWithPassword('secret', 'right-password', FAST);
    const bad = [
      'not json',
      '[]',
      'null',
      edit(sealed, (e) => (e.v = 2)),
      edit(sealed, (e) => (e.kdf = 'pbkdf2')),
      edit(sealed, (e) => (e.alg = 'aes-128-gcm')),
      edit(sealed, (e) => (e.N = 1000)),
      edit(sealed, (e) => (e.N = 2 ** 24)),
      edit(sealed, (e) => ((e.N = 2 ** 18), (e.r = 16))),
      edit(sealed, (e) => (e.p = 0)),
      edit(sealed, (e) => (e.iv = 'AAAA')),
      edit(sealed, (e) => (e.salt = 'not base64!')),
      edit(sealed, (e) => delete e.ct),
    ];
    for (const b of bad)
      expect(await codeOf(openWithPassword(b, 'right-password'))).toBe('ACCOUNTS_ERR_ENVELOPE_INVALID');
  });

  it('refuses to seal with out-of-range parameters', async () => {
    expect(await codeOf(sealWithPassword('x', 'password', { N: 3, r: 8, p: 1 }))).toBe('ACCOUNTS_ERR_ENVELOPE_INVALID');
  });
});

describe('account secrets', () => {
  it('seals mnemonic and private key together and opens them with the password only', async () => {
    const secrets = {
      mnemonic: 'abandon abandon about',
      privateKey: 'e284129cc0922579a535bbf4d1a3b25773090d28c909bc0fed73b5e0222cc372',
    };
    const sealed = await sealAccountSecrets(secrets, 'correct-password', FAST);
    expect(sealed).not.toContain('abandon');
    expect(sealed).not.toContain('e284129c');
    expect(await openAccountSecrets(sealed, 'correct-password')).toEqual(secrets);
    expect(await codeOf(openAccountSecrets(sealed, 'incorrect-password'))).toBe('ACCOUNTS_ERR_DECRYPT_FAILED');
  });

  it('refuses a sealed payload that is not account secrets', async () => {
    const other = await sealWithPassword(JSON.stringify({ mnemonic: 'x' }), 'correct-password', FAST);
    expect(await codeOf(openAccountSecrets(other, 'correct-password'))).toBe('ACCOUNTS_ERR_ENVELOPE_INVALID');
    const text = await sealWithPassword('plain text', 'correct-password', FAST);
    expect(await codeOf(openAccountSecrets(text, 'correct-password'))).toBe('ACCOUNTS_ERR_ENVELOPE_INVALID');
  });
});
