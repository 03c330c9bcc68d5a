import { describe, expect, it } from 'vitest';
import { convertRecord, validateRecord } from '../src/index.js';
import { legacyRecord, type LegacyRecord } from '@oip/test-kit';

describe('validateRecord', () => {
  it('accepts a legacy record with nested or flattened creator', () => {
    expect(validateRecord(legacyRecord('a'))).toEqual({ ok: true });
    const flat = legacyRecord('b');
    flat.oip = { ver: '0.8.1', recordType: 'workout', creator_publicKey: 'pk', creator_didAddress: 'did:arweave:x' };
    expect(validateRecord(flat)).toEqual({ ok: true });
  });

  it.each([
    ['old version', (r: LegacyRecord) => (r.oip.ver = '0.7.0'), /\/oip\/ver/],
    ['no record type', (r: LegacyRecord) => delete r.oip.recordType, /\/oip\/recordType/],
    ['no creator key', (r: LegacyRecord) => (r.oip.creator = { didAddress: 'did:arweave:x' }), /publicKey/],
    ['category not an object', (r: LegacyRecord) => (r.data.workout = 'x'), /\/data\/workout/],
    [
      'basic.name not a string',
      (r: LegacyRecord) => ((r.data.basic as Record<string, unknown>).name = 5),
      /\/data\/basic\/name/,
    ],
    [
      'workout duration not a number',
      (r: LegacyRecord) => ((r.data.workout as Record<string, unknown>).total_duration_minutes = 'long'),
      /total_duration_minutes/,
    ],
  ])('rejects %s', (_name, mutate, message) => {
    const r = legacyRecord('x');
    mutate(r);
    const v = validateRecord(r);
    expect(v.ok).toBe(false);
    expect(v.ok ? '' : v.message).toMatch(message);
  });

  it('rejects non-objects', () => {
    expect(validateRecord(null).ok).toBe(false);
    expect(validateRecord({ data: 'x', oip: {} }).ok).toBe(false);
  });
});

describe('convertRecord', () => {
  it('sets did/didTx/storage/indexedAt and nests a flattened creator', () => {
    const r = legacyRecord('c');
    r.oip = {
      ver: '0.8.0',
      recordType: 'workout',
      creator_publicKey: 'pk',
      creator_didAddress: 'did:arweave:x',
      creatorHandle: 'h',
    };
    const out = convertRecord(r, 'did:gun:abc:c', new Date('2024-11-02T10:00:00.000Z'));
    expect(out.oip).toEqual({
      ver: '0.8.0',
      recordType: 'workout',
      creatorHandle: 'h',
      did: 'did:gun:abc:c',
      didTx: 'did:gun:abc:c',
      storage: 'gun',
      indexedAt: '2024-11-02T10:00:00.000Z',
      syncedAt: '2024-11-02T10:00:00.000Z',
      creator: { publicKey: 'pk', didAddress: 'did:arweave:x' },
    });
    expect(out.data).toBe(r.data);
    expect(out.meta).toEqual(r.meta);
  });
});
