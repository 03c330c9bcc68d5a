// A new account as both stores keep it: the email normalised and the optional fields at their defaults.
import { normalizeEmail } from './email.js';
import type { AccountRecord, NewAccount } from './types.js';

export function withDefaults(account: NewAccount): AccountRecord {
  return {
    ...account,
    email: normalizeEmail(account.email),
    custody: account.custody ?? null,
    tokenStamp: account.tokenStamp ?? null,
    calendarTokenHash: account.calendarTokenHash ?? null,
    calendarTokenCreatedAt: account.calendarTokenCreatedAt ?? null,
    subscriptionStatus: account.subscriptionStatus ?? 'inactive',
    paymentStatus: account.paymentStatus ?? 'Inactive',
  };
}
