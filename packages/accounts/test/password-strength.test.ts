import { describe, expect, it } from 'vitest';
import {
  MIN_PASSWORD_SCORE,
  PASSWORD_STRENGTH_MAX_LENGTH,
  checkPasswordStrength,
  passwordStrength,
} from '../src/index.js';
import { codeOf } from './helpers/code-of.js';

describe('password strength (zxcvbn-ts, common + English dictionaries)', () => {
  it('refuses common, keyboard, repeated and leet passwords with the library feedback as the reason', async () => {
    for (const weak of [
      'password',
      '12345678',
      'qwertyuiop',
      'P@ssw0rd!',
      'iloveyou1',
      'aaaaaaaaaaaa',
      'abcabcabcabc',
    ]) {
      const { score, feedback } = await passwordStrength(weak);
      expect(score).toBeLessThan(MIN_PASSWORD_SCORE);
      expect(feedback.length).toBeGreaterThan(0);
      const err = await checkPasswordStrength(weak).then(
        () => null,
        (e: unknown) => e as Error & { code: string },
      );
      expect(err?.code).toBe('ACCOUNTS_ERR_INVALID_PASSWORD');
      expect(err?.message).toBe(`password is too easy to guess: ${feedback.join(' ')}`);
    }
  });

  it('accepts passphrases and random strings', async () => {
    for (const strong of ['correct horse battery staple', 'long enough pw', 'vK8#qz!L2m', 'operator password']) {
      expect(await codeOf(checkPasswordStrength(strong, 'ops@example.org'))).toBeUndefined();
    }
  });

  it('counts the email and its parts as known to an attacker', async () => {
    expect((await passwordStrength('marguerite.okonkwo', 'someone@example.org')).score).toBeGreaterThanOrEqual(
      MIN_PASSWORD_SCORE,
    );
    expect(await codeOf(checkPasswordStrength('marguerite.okonkwo', 'marguerite.okonkwo@example.org'))).toBe(
      'ACCOUNTS_ERR_INVALID_PASSWORD',
    );
    expect(await codeOf(checkPasswordStrength('okonkwo1984', 'okonkwo@example.org'))).toBe(
      'ACCOUNTS_ERR_INVALID_PASSWORD',
    );
    expect(await codeOf(checkPasswordStrength('okonkwo1984', 'someone@example.org'))).toBeUndefined();
  });

  it(`reads only the first ${PASSWORD_STRENGTH_MAX_LENGTH} characters: a weak start is weak however long`, async () => {
    expect(
      await codeOf(checkPasswordStrength(`${'a'.repeat(PASSWORD_STRENGTH_MAX_LENGTH)}vK8#qz!L2m-zanzibar-quokka`)),
    ).toBe('ACCOUNTS_ERR_INVALID_PASSWORD');
    expect(await codeOf(checkPasswordStrength(`vK8#qz!L2m-zanzibar-quokka${'a'.repeat(1000)}`))).toBeUndefined();
  });
});
