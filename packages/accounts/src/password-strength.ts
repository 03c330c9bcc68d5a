// Password strength by zxcvbn-ts (common and English dictionaries, keyboard graphs): a password
// an attacker would guess early — `password`, `12345678`, `p4ssw0rd`, the account's own email —
// scores below MIN_PASSWORD_SCORE and is refused with the library's own feedback as the reason.
// The dictionaries cost ~40 MB of heap and ~0.3 s to load, so they are loaded on the first
// check (registration), not when the package is imported (login, the CLI, tests).
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { InvalidPasswordError } from './errors.js';

/** zxcvbn score (0..4) a new password needs: 3 is "safely unguessable" (≥ 10^8 guesses). */
export const MIN_PASSWORD_SCORE = 3;

/**
 * Characters the estimator reads. Its cost grows with length (a 1,024-character random password
 * took ~3 s of event-loop time with the defaults); at 64 and 10 leet substitutions the worst
 * case measured ~70 ms. A password whose first 64 characters are strong is strong.
 */
export const PASSWORD_STRENGTH_MAX_LENGTH = 64;
const L33T_MAX_SUBSTITUTIONS = 10;

export interface PasswordStrength {
  /** 0..4. */
  score: number;
  /** The library's warning and suggestions, in English; empty when the password is strong. */
  feedback: string[];
}

let estimator: Promise<ZxcvbnFactory> | undefined;

async function load(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory: Factory }, common, en] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  return new Factory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
    maxLength: PASSWORD_STRENGTH_MAX_LENGTH,
    l33tMaxSubstitutions: L33T_MAX_SUBSTITUTIONS,
  });
}

function estimatorOnce(): Promise<ZxcvbnFactory> {
  estimator ??= load().catch((err: unknown) => {
    estimator = undefined; // a failed load is tried again next time
    throw err;
  });
  return estimator;
}

/** Words of the email (whole, local part, domain labels) the estimator treats as known to an attacker. */
function userInputsOf(email: string | undefined): string[] {
  if (email === undefined || email.length === 0) return [];
  const at = email.lastIndexOf('@');
  const local = at >= 0 ? email.slice(0, at) : email;
  const domain = at >= 0 ? email.slice(at + 1) : '';
  return [email, local, ...local.split(/[._+-]+/u), ...domain.split('.')].filter((w) => w.length >= 3);
}

/** zxcvbn's score and feedback for `password`, with the account's email as known user input. */
export async function passwordStrength(password: string, email?: string): Promise<PasswordStrength> {
  const zxcvbn = await estimatorOnce();
  const result = zxcvbn.check(password, userInputsOf(email));
  const feedback = [result.feedback.warning, ...result.feedback.suggestions].filter((s): s is string => typeof s === 'string' && s.length > 0);
  return { score: result.score, feedback };
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
