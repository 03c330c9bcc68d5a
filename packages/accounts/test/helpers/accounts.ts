import { randomUUID } from 'node:crypto';
import type { AccountRecord } from '../../src/index.js';

let n = 0;

/** A complete account record with plausible values (not real hashes or envelopes). */
export function makeAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  n += 1;
  return {
    id: randomUUID(),
    email: `user${n}@example.com`,
    passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$fake${n}$hash`,
    publicKey: `02${String(n).padStart(64, '0')}`,
    secrets: JSON.stringify({ v: 1, fake: n }),
    keyDerivationPath: "m/44'/0'/0'/0/0",
    isAdmin: false,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
    custody: null,
    tokenStamp: null,
    calendarTokenHash: null,
    calendarTokenCreatedAt: null,
    subscriptionStatus: 'inactive',
    paymentStatus: 'Inactive',
    ...overrides,
  };
}
