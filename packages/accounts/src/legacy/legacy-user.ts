// One document of a legacy node's `users` index (routes/user.js completeRegistration,
// /import-wallet, setAdminStatus, /admin/update-status, /generate-calendar-token) as an account
// here, or the reason it cannot be one. What is kept: the ES `_id` as the account id (the legacy
// JWT `userId`, so legacy tokens signed with the same JWT secret stay valid), the email, the
// publisher key, the admin flag, the statuses, the calendar token, the creation time; the bcrypt
// hash and the sealed secrets verbatim (legacy-secrets.ts), opened at the owner's first login.
import { validateEmail } from '../email.js';
import { isLegacyPasswordHash } from '../password-hash.js';
import { KEY_DERIVATION_PATH } from '../publisher-keys.js';
import type { NewAccount, PaymentStatus, SubscriptionStatus } from '../types.js';
import { isLegacyEnvelope, isLegacySaltPlaceholder } from './legacy-envelope.js';
import { legacySecretsText } from './legacy-secrets.js';

/** Why a legacy user document is not migrated (stable codes, in the closing report). */
export type LegacySkipReason =
  /** A waitlist entry (`waitlistStatus` pending/approved) that never registered: no password. */
  | 'not-registered'
  /** `passwordHash` is missing or not a bcrypt hash. */
  | 'no-password-hash'
  | 'invalid-email'
  /** No `publicKey` / `encryptedPrivateKey` (an account from before legacy gave users keys). */
  | 'no-publisher-key'
  | 'invalid-public-key'
  /** `encryptedPrivateKey` in legacy's oldest, one-way PBKDF2 form: no key can be recovered from it. */
  | 'one-way-secrets'
  /** An account with this id is here already (an earlier run): left as it is. */
  | 'already-migrated'
  /** Another account here has this email. */
  | 'email-taken'
  /** Another account here holds this publisher key. */
  | 'key-taken'
  /** An account here has this id but another email. */
  | 'id-taken';

export type LegacyUserVerdict = { kind: 'account'; account: NewAccount } | { kind: 'skip'; reason: LegacySkipReason };

const PUBLIC_KEY = /^0[23][0-9a-f]{64}$/u;
const SHA256_HEX = /^[0-9a-f]{64}$/u;

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/** An ISO-8601 time from what legacy stored (a Date serialised by ES, or epoch ms), else null. */
function isoTime(v: unknown): string | null {
  if (typeof v !== 'string' && typeof v !== 'number') return null;
  const t = new Date(v);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

/**
 * The account a legacy user document becomes, or why not. `migratedAt` stands in for a missing
 * `createdAt`. Checks against this node's accounts (email, key, id taken) are the migration's.
 */
export function legacyUserToAccount(id: string, source: unknown, migratedAt: Date): LegacyUserVerdict {
  const s = (source !== null && typeof source === 'object' ? source : {}) as Record<string, unknown>;
  const passwordHash = text(s['passwordHash']);
  if (passwordHash === null) return { kind: 'skip', reason: 'not-registered' };
  if (!isLegacyPasswordHash(passwordHash)) return { kind: 'skip', reason: 'no-password-hash' };
  let email: string;
  try {
    email = validateEmail(s['email']);
  } catch {
    return { kind: 'skip', reason: 'invalid-email' };
  }
  const publicKey = text(s['publicKey']);
  const encryptedPrivateKey = text(s['encryptedPrivateKey']);
  if (publicKey === null || encryptedPrivateKey === null) return { kind: 'skip', reason: 'no-publisher-key' };
  if (!PUBLIC_KEY.test(publicKey)) return { kind: 'skip', reason: 'invalid-public-key' };
  if (!isLegacyEnvelope(encryptedPrivateKey)) return { kind: 'skip', reason: 'one-way-secrets' };

  const encryptedMnemonic = text(s['encryptedMnemonic']);
  const encryptedGunSalt = text(s['encryptedGunSalt']);
  const calendarTokenHash = text(s['calendarTokenHash']);
  const calendarOk = calendarTokenHash !== null && SHA256_HEX.test(calendarTokenHash);
  // Legacy's /admin/users answers paymentStatus from paymentMethod; /admin/update-status toggles a
  // paymentStatus field of its own ('Active' or null). Either one set means Active.
  const paymentStatus: PaymentStatus =
    (s['paymentMethod'] !== null && s['paymentMethod'] !== undefined && s['paymentMethod'] !== '') ||
    s['paymentStatus'] === 'Active'
      ? 'Active'
      : 'Inactive';
  const subscriptionStatus: SubscriptionStatus = s['subscriptionStatus'] === 'active' ? 'active' : 'inactive';
  return {
    kind: 'account',
    account: {
      id,
      email,
      passwordHash,
      publicKey,
      secrets: legacySecretsText({
        encryptedPrivateKey,
        // The one-way hex form of either opens nothing: kept out rather than tried at every login.
        encryptedMnemonic: isLegacyEnvelope(encryptedMnemonic) ? encryptedMnemonic : null,
        encryptedGunSalt:
          isLegacyEnvelope(encryptedGunSalt) || isLegacySaltPlaceholder(encryptedGunSalt) ? encryptedGunSalt : null,
      }),
      keyDerivationPath: text(s['keyDerivationPath']) ?? KEY_DERIVATION_PATH,
      isAdmin: s['isAdmin'] === true || s['isAdmin'] === 'true',
      createdAt: isoTime(s['createdAt']) ?? migratedAt.toISOString(),
      custody: null,
      tokenStamp: null,
      calendarTokenHash: calendarOk ? calendarTokenHash : null,
      calendarTokenCreatedAt: calendarOk ? isoTime(s['calendarTokenCreatedAt']) : null,
      subscriptionStatus,
      paymentStatus,
    },
  };
}
