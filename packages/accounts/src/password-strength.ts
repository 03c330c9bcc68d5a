// Password strength by zxcvbn-ts (common and English dictionaries, keyboard graphs): a password
// an attacker would guess early — `password`, `12345678`, `p4ssw0rd`, the account's own email —
// scores below MIN_PASSWORD_SCORE and is refused with the library's own feedback as the reason.
// The estimator runs in a worker thread (strength-worker.ts), off the service's event loop.
import { InvalidPasswordError } from './errors.js';
import { StrengthWorker } from './strength-worker.js';

/** zxcvbn score (0..4) a new password needs: 3 is "safely unguessable" (≥ 10^8 guesses). */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Characters the estimator reads. Its cost grows with length (a 1,024-character random password
 * took ~3 s with the defaults); at 64 and 10 leet substitutions the worst case measured ~70 ms.
 * A password whose first 64 characters are strong is strong.
 */
export const PASSWORD_STRENGTH_MAX_LENGTH = 64;

export interface PasswordStrength {
  /** 0..4. */
  score: number;
  /** The library's warning and suggestions, in English; empty when the password is strong. */
  feedback: string[];
}

const worker = new StrengthWorker({ maxLength: PASSWORD_STRENGTH_MAX_LENGTH, l33tMaxSubstitutions: 10 });

/** Words of the email (whole, local part and its pieces, domain labels) an attacker knows. */
function userInputsOf(email: string | undefined): string[] {
  if (email === undefined || email.length === 0) return [];
  const at = email.lastIndexOf('@');
  const local = at >= 0 ? email.slice(0, at) : email;
  const domain = at >= 0 ? email.slice(at + 1) : '';
  return [email, local, ...local.split(/[._+-]+/u), ...domain.split('.')].filter((w) => w.length >= 3);
}

/**
 * zxcvbn's score and feedback for `password`, with the account's email as known user input.
 * ACCOUNTS_ERR_STORE_UNAVAILABLE when the checker is busy (64 checks waiting) or stopped.
 */
export async function passwordStrength(password: string, email?: string): Promise<PasswordStrength> {
  const verdict = await worker.check(password, userInputsOf(email));
  const feedback = [verdict.warning, ...verdict.suggestions].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  return { score: verdict.score, feedback };
}

/**
 * Throws `InvalidPasswordError` (ACCOUNTS_ERR_INVALID_PASSWORD) when `password` scores below
 * {@link MIN_PASSWORD_SCORE}, its message naming why (the library's feedback).
 */
export async function checkPasswordStrength(password: string, email?: string): Promise<void> {
  const { score, feedback } = await passwordStrength(password, email);
  if (score >= MIN_PASSWORD_SCORE) return;
  const why = feedback.length > 0 ? feedback.join(' ') : 'Add more words that are less common.';
  throw new InvalidPasswordError(`password is too easy to guess: ${why}`);
}
