import { describe, expect, it } from 'vitest';
import { degradedPaths, restoreSetAside, setAsideFields } from '../src/index.js';
import { makeRecord } from './helpers/records.js';

describe('set-aside fields', () => {
  const rec = makeRecord({
    soul: 'a:1',
    data: {
      conversationSession: { messages: [{ role: 'user' }], title: 'x' },
      plan: { items: [{ name: 'a' }, { name: 'b' }] },
    },
  });

  it('moves the values to meta.setAside, flags oip.degraded, and restores them exactly; the input is untouched', () => {
    const before = structuredClone(rec);
    const d = setAsideFields(rec, ['data.conversationSession.messages'])!;
    expect(rec).toEqual(before);
    expect(d.data['conversationSession']).toEqual({ title: 'x' });
    expect(JSON.parse(d.meta!['setAside'] as string)).toEqual({
      'data.conversationSession.messages': [{ role: 'user' }],
    });
    expect(degradedPaths(d)).toEqual(['data.conversationSession.messages']);
    const r = restoreSetAside(d);
    expect(r.data).toEqual(rec.data);
    expect(r.meta).toEqual({});
    expect(restoreSetAside(rec)).toBe(rec);
  });

  it('a path through an array of objects sets the array aside; a second call merges', () => {
    const d = setAsideFields(rec, ['data.plan.items.name'])!;
    expect(d.data['plan']).toEqual({});
    const d2 = setAsideFields(d, ['data.conversationSession.messages'])!;
    expect(degradedPaths(d2)).toEqual(['data.plan.items.name', 'data.conversationSession.messages']);
    expect(restoreSetAside(d2).data).toEqual(rec.data);
  });

  it('refuses the fields that decide who may read the record (a restricted record would be stored as a public one)', () => {
    const restricted = makeRecord({
      soul: 'a:2',
      data: {
        accessControl: { access_level: 'shared', shared_with: { odd: 1 } },
        conversationSession: { is_private: true, owner_public_key: 'pk', messages: [{ role: 'user' }] },
      },
    });
    for (const path of [
      'data.accessControl.shared_with',
      'data.accessControl',
      'data.conversationSession.is_private',
      'data.conversationSession.owner_public_key',
      'data.conversationSession',
    ]) {
      expect(setAsideFields(restricted, [path]), path).toBeNull();
    }
    expect(setAsideFields(restricted, ['data.conversationSession.messages'])?.data['conversationSession']).toEqual({
      is_private: true,
      owner_public_key: 'pk',
    });
  });

  it('refuses paths outside data, missing paths and prototype keys', () => {
    expect(setAsideFields(rec, ['oip.did'])).toBeNull();
    expect(setAsideFields(rec, ['data.nothing.here'])).toBeNull();
    expect(setAsideFields(rec, ['data.__proto__.x'])).toBeNull();
    const hostile = { ...rec, meta: { setAside: JSON.stringify({ 'data.__proto__.polluted': 1 }) } };
    restoreSetAside(hostile);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
