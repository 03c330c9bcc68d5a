import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CALENDAR_TOKEN_EXPIRES_IN,
  CALENDAR_TOKEN_TTL_SECONDS,
  LEGACY_TOKEN_EXPIRES_IN,
  LEGACY_TOKEN_TTL_SECONDS,
  calendarTokenClaims,
  legacyTokenClaims,
  tokenHash,
  type PublicAccount,
} from '../src/index.js';

const account: PublicAccount = {
  id: 'b3f0c7e2-1111-4a4a-8b8b-123456789abc',
  email: 'devon@example.com',
  publicKey: '03aaeb52dd7494c361049de67cc680e83ebcbbbdbeb13637d92cd845f70308af5e',
  publisherHash: 'e5f375453eb7',
  keyDerivationPath: "m/44'/0'/0'/0/0",
  isAdmin: true,
  createdAt: '2025-01-01T00:00:00.000Z',
  subscriptionStatus: 'inactive',
  paymentStatus: 'Inactive',
  tokenStamp: null,
};

describe('legacy token claims', () => {
  it('carries userId, email, publicKey, isAdmin, scope "full" and tokenType "standard" — nothing else while the account has no stamp', () => {
    expect(legacyTokenClaims(account)).toEqual({
      userId: account.id,
      email: account.email,
      publicKey: account.publicKey,
      isAdmin: true,
      scope: 'full',
      tokenType: 'standard',
    });
  });

  it('carries the token stamp once the account has one', () => {
    expect(legacyTokenClaims({ ...account, tokenStamp: 'stamp-1' })).toMatchObject({ tokenStamp: 'stamp-1' });
  });

  it('expires in 45 days as legacy tokens did', () => {
    expect(LEGACY_TOKEN_EXPIRES_IN).toBe('45d');
    expect(LEGACY_TOKEN_TTL_SECONDS).toBe(3_888_000);
  });
});

describe('calendar token claims (legacy routes/user.js /generate-calendar-token)', () => {
  it('are the legacy calendar claims: read-only scope, the two record types, never admin, no stamp; a new jti each time', () => {
    expect(calendarTokenClaims(account).jti).not.toBe(calendarTokenClaims(account).jti);
    expect(calendarTokenClaims({ ...account, tokenStamp: 'stamp-1' }, 'jti-1')).toEqual({
      userId: account.id,
      email: account.email,
      publicKey: account.publicKey,
      scope: 'calendar-read-only',
      allowedRecordTypes: ['workoutSchedule', 'mealPlan'],
      tokenType: 'calendar',
      isAdmin: false,
      jti: 'jti-1',
    });
  });

  it('last 365 days (legacy expiresIn 31536000) and are hashed as legacy tokenHash (SHA-256 hex of the token text)', () => {
    expect(CALENDAR_TOKEN_EXPIRES_IN).toBe('365d');
    expect(CALENDAR_TOKEN_TTL_SECONDS).toBe(31_536_000);
    expect(tokenHash('a.b.c')).toBe(createHash('sha256').update('a.b.c').digest('hex'));
    expect(tokenHash('a.b.c')).toMatch(/^[0-9a-f]{64}$/);
  });
});
