import { describe, expect, it } from 'vitest';
import {
  LEGACY_TOKEN_EXPIRES_IN,
  LEGACY_TOKEN_TTL_SECONDS,
  legacyTokenClaims,
  type PublicAccount,
} from '../src/index.js';

describe('legacy token claims', () => {
  it('carries userId, email, publicKey, isAdmin, scope "full" and tokenType "standard" — nothing else', () => {
    const account: PublicAccount = {
      id: 'b3f0c7e2-1111-4a4a-8b8b-123456789abc',
      email: 'devon@example.com',
      publicKey: '03aaeb52dd7494c361049de67cc680e83ebcbbbdbeb13637d92cd845f70308af5e',
      publisherHash: 'e5f375453eb7',
      keyDerivationPath: "m/44'/0'/0'/0/0",
      isAdmin: true,
      createdAt: '2025-01-01T00:00:00.000Z',
    };
    expect(legacyTokenClaims(account)).toEqual({
      userId: account.id,
      email: account.email,
      publicKey: account.publicKey,
      isAdmin: true,
      scope: 'full',
      tokenType: 'standard',
    });
  });

  it('expires in 45 days as legacy tokens did', () => {
    expect(LEGACY_TOKEN_EXPIRES_IN).toBe('45d');
    expect(LEGACY_TOKEN_TTL_SECONDS).toBe(3_888_000);
  });
});
