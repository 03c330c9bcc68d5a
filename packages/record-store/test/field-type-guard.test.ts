import { describe, expect, it } from 'vitest';
import {
  FieldTypeGuard,
  legacyFieldTypes,
  looksLikeDate,
  recordsIndexMappings,
  mappingToFieldTypes,
  presetsFromDynamicTemplates,
} from '../src/index.js';

function guardWith(...docs: unknown[]): FieldTypeGuard {
  const guard = new FieldTypeGuard();
  for (const doc of docs) {
    const batch = guard.batch();
    expect(batch.add(doc)).toBeNull();
    batch.commit();
  }
  return guard;
}

describe('FieldTypeGuard', () => {
  it('infers ES dynamic types: long, float, boolean, text, date, object; arrays by element; null ignored', () => {
    const guard = guardWith({
      a: 1,
      b: 1.5,
      c: true,
      d: 'hello',
      e: '2024-11-02T10:00:00.000Z',
      f: { g: [1, 2] },
      h: null,
      i: [],
      j: ['x', 'y'],
    });
    expect(Object.fromEntries(guard.entries())).toEqual({
      a: 'long',
      b: 'float',
      c: 'boolean',
      d: 'text',
      e: 'date',
      f: 'object',
      'f.g': 'long',
      j: 'text',
    });
  });

  it('a preset path takes its preset at first sight; a type already fixed wins; a value the preset refuses conflicts', () => {
    const guard = new FieldTypeGuard({
      initial: [['r.fixed', 'long']],
      presets: [
        ['r.amount', 'double'],
        ['r.fixed', 'double'],
      ],
    });
    const batch = guard.batch();
    expect(batch.add({ r: { amount: [1, 2] } })).toBeNull();
    batch.commit();
    expect(guard.typeOf('r.amount')).toBe('double');
    expect(guard.check({ r: { amount: 1.5 } })).toBeNull();
    expect(guard.check({ r: { fixed: 1.5 } })?.message).toBe(
      'illegal_argument_exception: mapper [r.fixed] cannot be changed from type [long] to [float]',
    );
    const fresh = new FieldTypeGuard({ presets: [['r.amount', 'double']] });
    expect(fresh.check({ r: { amount: 'four' } })?.details).toMatchObject({
      path: 'r.amount',
      fixedType: 'double',
      incomingType: 'text',
    });
    // Presets cost no field until a record carries the path.
    expect(fresh.size).toBe(0);
  });

  it('reads presets from dynamic templates matching one exact path, and only those', () => {
    expect(
      presetsFromDynamicTemplates([
        { a: { path_match: 'data.recipe.servings', mapping: { type: 'double' } } },
        { b: { path_match: 'data.*.amount', mapping: { type: 'double' } } },
        { c: { path_match: 'data.x.y', match_mapping_type: 'long', mapping: { type: 'double' } } },
        { d: { path_match: 'data.x.z', mapping: { type: 'geo_point' } } },
        { e: { match: 'foo', mapping: { type: 'keyword' } } },
      ]),
    ).toEqual([['data.recipe.servings', 'double']]);
    expect(presetsFromDynamicTemplates(undefined)).toEqual([]);
    expect(presetsFromDynamicTemplates(recordsIndexMappings.dynamic_templates)).toContainEqual([
      'data.recipe.ingredient_amount',
      'double',
    ]);
  });

  it('seed 000: long then float is illegal_argument_exception; text then object is mapper_parsing_exception', () => {
    const guard = guardWith({ shoppingList: { item_prices: [2, 12] }, conversationSession: { messages: ['hi'] } });
    const floatErr = guard.check({ shoppingList: { item_prices: [1.5] } });
    expect(floatErr).toMatchObject({ code: 'STORE_ERR_MAPPING', permanent: true });
    expect(floatErr?.message).toBe(
      'illegal_argument_exception: mapper [shoppingList.item_prices] cannot be changed from type [long] to [float]',
    );
    const objErr = guard.check({ conversationSession: { messages: [{ role: 'user' }] } });
    expect(objErr?.message).toBe(
      'mapper_parsing_exception: failed to parse field [conversationSession.messages] of type [text]',
    );
    expect(objErr?.details).toMatchObject({
      path: 'conversationSession.messages',
      fixedType: 'text',
      incomingType: 'object',
    });
  });

  it('object then concrete value is a conflict', () => {
    const guard = guardWith({ a: { b: 1 } });
    expect(guard.check({ a: 'text' })?.message).toMatch(/object mapping for \[a\].*concrete value/);
  });

  it('compatible later values: long into float, scalars into text, long into date', () => {
    const guard = guardWith({ f: 1.5, t: 'x', d: '2024-01-01' });
    expect(guard.check({ f: 2, t: 5, d: 1700000000000 })).toBeNull();
    expect(guard.check({ t: true })).toBeNull();
    expect(guard.check({ d: 'not a date' })?.message).toMatch(/of type \[date\]/);
    expect(guard.check({ f: 'x' })?.message).toMatch(/of type \[float\]/);
  });

  it('within one document long and float unify to float; object mixed with scalars conflicts', () => {
    const guard = guardWith({ a: [1, 2.5] });
    expect(guard.typeOf('a')).toBe('float');
    expect(guard.check({ b: ['x', { y: 1 }] })).not.toBeNull();
  });

  it('a batch sees its own earlier additions, and commit applies them', () => {
    const guard = new FieldTypeGuard();
    const batch = guard.batch();
    expect(batch.add({ n: 1 })).toBeNull();
    expect(batch.add({ n: 0.5 })).not.toBeNull();
    expect(guard.typeOf('n')).toBeUndefined();
    batch.commit();
    expect(guard.typeOf('n')).toBe('long');
  });

  it('enforces the total-field and depth limits', () => {
    const guard = new FieldTypeGuard({ maxFields: 10, maxDepth: 3 });
    // 5 text fields count 10 (text + keyword each).
    expect(guard.check({ a: 'x', b: 'x', c: 'x', d: 'x', e: 'x' })).toBeNull();
    expect(guard.check({ a: 'x', b: 'x', c: 'x', d: 'x', e: 'x', f: 1 })?.message).toMatch(
      /Limit of total fields \[10\]/,
    );
    expect(guard.check({ a: { b: { c: { d: 1 } } } })?.message).toMatch(/Limit of mapping depth \[3\]/);
  });

  it('date detection can be turned off', () => {
    const guard = new FieldTypeGuard({ dateDetection: false });
    const batch = guard.batch();
    batch.add({ d: '2024-11-02' });
    batch.commit();
    expect(guard.typeOf('d')).toBe('text');
  });

  it('looksLikeDate follows the default dynamic date formats', () => {
    expect(looksLikeDate('2024-11-02')).toBe(true);
    expect(looksLikeDate('2024-11-02T10:00:00.000Z')).toBe(true);
    expect(looksLikeDate('2024-11-02T10:00:00+01:00')).toBe(true);
    expect(looksLikeDate('2024/11/02 10:00:00')).toBe(true);
    expect(looksLikeDate('2024-13-02')).toBe(false);
    expect(looksLikeDate('2024')).toBe(false);
    expect(looksLikeDate('Nov 2, 2024')).toBe(false);
  });

  it('the legacy base mapping fixes oip and basic field types', () => {
    const types = new Map(legacyFieldTypes());
    expect(types.get('oip.indexedAt')).toBe('date');
    expect(types.get('oip.inArweaveBlock')).toBe('long');
    expect(types.get('data.basic.date')).toBe('long');
    expect(types.get('oip.creator')).toBe('object');
    expect(types.get('oip.did')).toBe('text');
    expect(mappingToFieldTypes(recordsIndexMappings.properties).length).toBe(types.size);
  });
});
