// Password hashes: argon2id through @node-rs/argon2 (prebuilt binaries, no build script), in
// the PHC string form `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. Legacy used bcrypt (10 rounds,
// `$2b$10$…`): accounts migrated from a legacy node keep that hash until their first login here,
// which verifies it (@node-rs/bcrypt, from the same prebuilt family) and replaces it with ours.
import { hash, verify } from '@node-rs/argon2';
import { verify as verifyBcrypt } from '@node-rs/bcrypt';

const BCRYPT_HASH = /^\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}$/u;

/** True for a legacy bcrypt hash (`$2a$`, `$2b$`, `$2x$`, `$2y$`): one a migrated account still holds. */
export function isLegacyPasswordHash(passwordHash: string): boolean {
  return BCRYPT_HASH.test(passwordHash);
}

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
 * True when `password` matches `passwordHash` (ours, or a migrated account's legacy bcrypt hash).
 * A malformed stored hash verifies as false rather than throwing, so one damaged account cannot
 * turn login into a 500.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    if (isLegacyPasswordHash(passwordHash)) return await verifyBcrypt(password, passwordHash);
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
