import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invalidValue, validValue, type JsonSchema } from '../src/schema-values.js';
import { toJsonText } from '../src/json-text.js';

const sample = (s: JsonSchema, n = 300) =>
  fc.sample(validValue(s), { seed: 7, numRuns: n }).map((v) => JSON.parse(toJsonText(v)) as unknown);

describe('validValue', () => {
  it('keeps strings within length and pattern', () => {
    for (const v of sample({ type: 'string', minLength: 5, maxLength: 12, pattern: '^did:' })) {
      expect(typeof v).toBe('string');
      expect((v as string).length).toBeGreaterThanOrEqual(5);
      expect((v as string).length).toBeLessThanOrEqual(12);
      expect(v as string).toMatch(/^did:/);
    }
  });

  it('keeps integers within bounds, enums and anyOf of literals to their values', () => {
    for (const v of sample({ type: 'integer', minimum: 1, maximum: 1000 }))
      expect(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 1000).toBe(true);
    const codes = ['A', 'B'];
    for (const v of sample({ anyOf: codes.map((c) => ({ type: 'string', enum: [c] })) })) expect(codes).toContain(v);
  });

  it('always writes the required keys of an object, and no unknown one when additionalProperties is false', () => {
    const schema: JsonSchema = {
      type: 'object',
      additionalProperties: false,
      required: ['limit'],
      properties: { limit: { type: 'integer', minimum: 1, maximum: 5 }, code: { type: 'string' } },
    };
    for (const v of sample(schema)) {
      expect(Object.keys(v as object).every((k) => k === 'limit' || k === 'code')).toBe(true);
      expect((v as { limit: number }).limit).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('invalidValue', () => {
  it('breaks an object schema in several ways: missing required, unknown keys, prototype keys, wrong types', () => {
    const schema: JsonSchema = {
      type: 'object',
      additionalProperties: false,
      required: ['limit'],
      properties: { limit: { type: 'integer', minimum: 1, maximum: 5 } },
    };
    const texts = fc.sample(invalidValue(schema), { seed: 3, numRuns: 400 }).map(toJsonText);
    const parsed = texts.map((t) => {
      try {
        return JSON.parse(t) as unknown;
      } catch {
        return undefined;
      }
    });
    const objects = parsed.filter(
      (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
    );
    expect(objects.some((o) => !('limit' in o))).toBe(true);
    expect(texts.some((t) => /"(__proto__|constructor|toString)"/.test(t))).toBe(true);
    expect(parsed.some((v) => typeof v === 'string' || typeof v === 'number' || Array.isArray(v))).toBe(true);
    expect(
      objects.some(
        (o) => typeof o['limit'] === 'number' && ((o['limit'] as number) > 5 || !Number.isInteger(o['limit'])),
      ),
    ).toBe(true);
  });

  it('writes numbers JSON.parse overflows and bodies nested past any bound', () => {
    const texts = fc
      .sample(invalidValue({ type: 'object', properties: { a: { type: 'number' } } }, 0, true), {
        seed: 11,
        numRuns: 2000,
      })
      .map(toJsonText);
    expect(texts.some((t) => t.includes('1e400'))).toBe(true);
    expect(texts.some((t) => t.startsWith('[[[[[[[[') || t.startsWith('{"a":{"a":{"a":'))).toBe(true);
  });
});
