import { describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_HASH_OPTIONS, hashPassword, verifyPassword } from '../src/index.js';

describe('password hashing (argon2id)', () => {
  it('hashes with argon2id at the default cost (m=19456 KiB, t=2, p=1) and a random salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/u);
    expect(DEFAULT_PASSWORD_HASH_OPTIONS).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
  });

  it('verifies the right password only', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('takes its cost parameters from options, and verifies from the parameters in the hash', async () => {
    const hash = await hashPassword('pässwörd ✓', { memoryCost: 4096, timeCost: 3, parallelism: 2 });
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=4096,t=3,p=2\$/u);
    expect(await verifyPassword(hash, 'pässwörd ✓')).toBe(true);
  });

  it('treats a malformed stored hash as a mismatch, not a crash', async () => {
    expect(await verifyPassword('not a hash', 'whatever1')).toBe(false);
    expect(await verifyPassword('', 'whatever1')).toBe(false);
  });
});
