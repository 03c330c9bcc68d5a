// Password length bounds. Legacy had none at all (a missing password crashed into a 500); we
// require 8..1024 characters on registration. Login only refuses over-long input, so the
// hashing cost per request stays bounded.
import { InvalidPasswordError } from './errors.js';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 1024;

/** Length in Unicode code points, so an emoji counts as one character. */
export function passwordLength(password: string): number {
  let n = 0;
  // Iterating a string walks code points, not UTF-16 units.
  for (const _ of password) n++;
  return n;
}

/** Throws `InvalidPasswordError` (ACCOUNTS_ERR_INVALID_PASSWORD) unless 8..1024 characters. */
export function validatePassword(password: unknown): string {
  if (typeof password !== 'string') throw new InvalidPasswordError('password must be a string');
  const length = passwordLength(password);
  if (length < MIN_PASSWORD_LENGTH) {
    throw new InvalidPasswordError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new InvalidPasswordError(`password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  return password;
}
