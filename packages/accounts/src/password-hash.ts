// Password hashes: argon2id through @node-rs/argon2 (prebuilt binaries, no build script), in
// the PHC string form `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. Legacy used bcrypt (10 rounds);
// legacy hashes are not imported, so no bcrypt verification is carried.
import { hash, verify } from '@node-rs/argon2';

export interface PasswordHashOptions {
  /** Memory per hash, KiB. @defaultValue 19456 (19 MiB, OWASP's argon2id minimum) */
  memoryCost?: number;
  /** Passes. @defaultValue 2 */
  timeCost?: number;
  /** Lanes. @defaultValue 1 */
  parallelism?: number;
}

export const DEFAULT_PASSWORD_HASH_OPTIONS: Readonly<Required<PasswordHashOptions>> = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/** An argon2id PHC string for `password` (random 16-byte salt). */
export async function hashPassword(password: string, options: PasswordHashOptions = {}): Promise<string> {
  // The library's default algorithm is argon2id (its const enum cannot be named under
  // isolatedModules); the test suite checks the `$argon2id$` prefix.
  return hash(password, { ...DEFAULT_PASSWORD_HASH_OPTIONS, ...options });
}

/**
 * True when `password` matches `passwordHash`. A malformed stored hash verifies as false
 * rather than throwing, so one damaged account cannot turn login into a 500.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
