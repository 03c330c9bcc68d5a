// Email normalisation and validation. Accounts are keyed by the normalised form, so
// `Alice@Example.com` and ` alice@example.com ` are one account (legacy lowered emails for its
// lookups too, but stored them as typed).
import { InvalidEmailError } from './errors.js';

/** RFC 5321 path limit; longer addresses cannot be delivered to. */
export const MAX_EMAIL_LENGTH = 254;
/** RFC 5321 local-part limit. */
export const MAX_EMAIL_LOCAL_LENGTH = 64;

// One @, no whitespace or control characters, a dotted domain with no empty labels.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]+@[^\s@.\p{Cc}]+(?:\.[^\s@.\p{Cc}]+)+$/u;

/** Trimmed and lower-cased: the form stored and looked up. Does not validate. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The normalised email, or `InvalidEmailError` (ACCOUNTS_ERR_INVALID_EMAIL) when it is not a
 * string, longer than {@link MAX_EMAIL_LENGTH}, or not of the form `local@domain.tld`.
 */
export function validateEmail(email: unknown): string {
  if (typeof email !== 'string') throw new InvalidEmailError('email must be a string');
  const normalized = normalizeEmail(email);
  if (normalized.length === 0) throw new InvalidEmailError('email is required');
  if (normalized.length > MAX_EMAIL_LENGTH) {
    throw new InvalidEmailError(`email is longer than ${MAX_EMAIL_LENGTH} characters`);
  }
  if (!EMAIL_SHAPE.test(normalized)) throw new InvalidEmailError('email is not a valid address');
  const local = normalized.slice(0, normalized.indexOf('@'));
  if (local.length > MAX_EMAIL_LOCAL_LENGTH) {
    throw new InvalidEmailError(`email local part is longer than ${MAX_EMAIL_LOCAL_LENGTH} characters`);
  }
  return normalized;
}
