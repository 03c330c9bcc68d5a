import { describe, expect, it } from 'vitest';
import { legacyRecord, storedRecord, TEST_PUBLIC_KEY } from '../src/index.js';

describe('storedRecord', () => {
  it('builds the stored shape with its defaults', () => {
    expect(storedRecord({ soul: 'ab12:p1' })).toEqual({
      data: { basic: { name: 'Record ab12:p1', description: '', language: 'en', tagItems: [] } },
      oip: {
        ver: '0.8.0',
        recordType: 'post',
        did: 'did:gun:ab12:p1',
        didTx: 'did:gun:ab12:p1',
        storage: 'gun',
        indexedAt: '2024-11-02T10:00:00.000Z',
        creator: { creatorHandle: 'devon', didAddress: 'did:arweave:devon', publicKey: 'pk-devon' },
      },
    });
  });

  it('places fields under the record type, merges basic and categories, names Arweave DIDs', () => {
    const r = storedRecord({
      soul: 'tx1',
      storage: 'arweave',
      recordType: 'recipe',
      date: 5,
      fields: { servings: 2 },
      basic: { name: 'Soup' },
      data: { image: { width: 3 } },
      inArweaveBlock: 7,
    });
    expect(r.data).toEqual({
      basic: { name: 'Soup', description: '', language: 'en', tagItems: [], date: 5 },
      recipe: { servings: 2 },
      image: { width: 3 },
    });
    expect(r.oip).toMatchObject({ did: 'did:arweave:tx1', storage: 'arweave', inArweaveBlock: 7 });
  });
});

describe('legacyRecord', () => {
  it('builds a legacy-shape workout with meta.localId and the test publisher', () => {
    const r = legacyRecord('w1', { basic: { name: 'W' } });
    expect(r.data).toEqual({
      basic: { name: 'W' },
      workout: { total_duration_minutes: 45, exercise: ['did:gun:647f79c2a338:bench-press'] },
    });
    expect(r.oip).toEqual({
      ver: '0.8.0',
      recordType: 'workout',
      creator: { creatorHandle: 'devon', didAddress: 'did:arweave:abc', publicKey: TEST_PUBLIC_KEY },
    });
    expect(r.meta).toEqual({ created: 1730505600000, localId: 'w1', encrypted: false });
    expect(legacyRecord('w2', {}, { publicKey: 'pk' }).oip).toMatchObject({ creator: { publicKey: 'pk' } });
  });
});
