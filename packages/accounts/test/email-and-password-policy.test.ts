import { describe, expect, it } from 'vitest';
import {
  MAX_EMAIL_LENGTH,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  normalizeEmail,
  passwordLength,
  validateEmail,
  validatePassword,
} from '../src/index.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('email rules', () => {
  it('normalises by trimming and lower-casing', () => {
    expect(normalizeEmail('  Devon@FitnessAlly.IO \n')).toBe('devon@fitnessally.io');
    expect(validateEmail(' Devon@FitnessAlly.IO ')).toBe('devon@fitnessally.io');
  });

  it('accepts ordinary addresses, plus tags and subdomains', () => {
    for (const ok of ['a@b.co', 'first.last+tag@mail.example.org', 'x_y-z@sub.domain.io', 'ünï@exämple.de']) {
      expect(validateEmail(ok)).toBe(ok.toLowerCase());
    }
  });

  it('refuses non-strings, blanks, shapes without local@domain.tld, whitespace and control characters', () => {
    for (const bad of [
      undefined,
      null,
      42,
      {},
      '',
      '   ',
      'plain',
      '@example.com',
      'a@',
      'a@b',
      'a@b.',
      'a@.b.com',
      'a@@b.com',
      'a b@c.com',
      'a@b..com',
      'a\u0000@b.com',
    ]) {
      expect(codeOf(() => validateEmail(bad))).toBe('ACCOUNTS_ERR_INVALID_EMAIL');
    }
  });

  it(`allows ${MAX_EMAIL_LENGTH} characters and a 64-character local part, not more`, () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(58)}.io`; // 189 chars
    const at254 = `${'l'.repeat(64)}@${domain}`;
    expect(at254).toHaveLength(254);
    expect(validateEmail(at254)).toBe(at254);
    expect(codeOf(() => validateEmail(`${'l'.repeat(64)}@x${domain}`))).toBe('ACCOUNTS_ERR_INVALID_EMAIL');
    expect(codeOf(() => validateEmail(`${'l'.repeat(65)}@example.com`))).toBe('ACCOUNTS_ERR_INVALID_EMAIL');
  });
});

describe('password rules', () => {
  it(`takes ${MIN_PASSWORD_LENGTH}..${MAX_PASSWORD_LENGTH} characters, counted in code points`, () => {
    expect(validatePassword('12345678')).toBe('12345678');
    expect(codeOf(() => validatePassword('1234567'))).toBe('ACCOUNTS_ERR_INVALID_PASSWORD');
    expect(validatePassword('x'.repeat(1024))).toHaveLength(1024);
    expect(codeOf(() => validatePassword('x'.repeat(1025)))).toBe('ACCOUNTS_ERR_INVALID_PASSWORD');
    // Eight emoji are eight characters (sixteen UTF-16 units); seven are too few.
    expect(passwordLength('🔑'.repeat(8))).toBe(8);
    expect(validatePassword('🔑'.repeat(8))).toBe('🔑'.repeat(8));
    expect(codeOf(() => validatePassword('🔑'.repeat(7)))).toBe('ACCOUNTS_ERR_INVALID_PASSWORD');
  });

  it('refuses non-strings', () => {
    for (const bad of [undefined, null, 12345678, ['12345678']]) {
      expect(codeOf(() => validatePassword(bad))).toBe('ACCOUNTS_ERR_INVALID_PASSWORD');
    }
  });
});
