// Query input that names Object.prototype's members or carries control characters: refused with
// STORE_ERR_INVALID, or (NUL in search) read as a separator, on the real SQLite store.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSqliteRecordStore,
  isSafeFieldPath,
  normalizeQuery,
  type OipRecord,
  type RecordStore,
  type SearchQuery,
  type SortField,
} from '../src/index.js';
import { realStore, skipWithoutElasticsearch } from './helpers/real-elasticsearch.js';

const refused: Array<[string, SearchQuery]> = [
  ['sort toString', { sort: { field: 'toString' as SortField, order: 'asc' } }],
  ['sort __proto__', { sort: { field: '__proto__' as SortField, order: 'asc' } }],
  ['sort constructor', { sort: { field: 'constructor' as SortField, order: 'desc' } }],
  ['fieldName __proto__.x', { fieldName: '__proto__.x', fieldSearch: '1' }],
  ['fieldName data.constructor', { fieldName: 'data.constructor', fieldSearch: '1' }],
  ['fieldName recipe.prototype', { fieldName: 'recipe.prototype', fieldSearch: '1' }],
  ['exactMatch data.__proto__.x', { exactMatch: { 'data.__proto__.x': 1 } }],
  ['exactMatch oip.constructor', { exactMatch: { 'oip.constructor': 'x' } }],
];

describe('normalizeQuery', () => {
  it.each(refused)('refuses %s with STORE_ERR_INVALID', (_name, q) => {
    expect(() => normalizeQuery(q)).toThrow(expect.objectContaining({ code: 'STORE_ERR_INVALID' }));
  });

  it.each([
    ['hill\u0000sprints', ['hill', 'sprints']],
    ['a\u0000', ['a']],
    ['\u0000\u0001\u007f', undefined],
    ['tab\tand\u001fus', ['tab', 'and', 'us']],
  ] as const)('splits search %j at control characters', (search, terms) => {
    expect(normalizeQuery({ search }).searchTerms).toEqual(terms);
  });

  it.each([
    ['recipe.course', true],
    ['data.recipe.course', true],
    ['data.__proto__', false],
    ['constructor', false],
    ['a.prototype.b', false],
    ['a..b', false],
  ] as const)('isSafeFieldPath(%j) is %s', (p, safe) => {
    expect(isSafeFieldPath(p)).toBe(safe);
  });
});

describe('SQLite search with control characters', () => {
  let dir: string;
  let store: RecordStore;
  const record: OipRecord = {
    data: {
      basic: { name: 'Hill sprints', description: 'intervals', date: 1730505600, language: 'en', tagItems: ['cardio'] },
    },
    oip: {
      ver: '0.8.0',
      recordType: 'workout',
      did: 'did:gun:ab12cd34ef56:hill',
      didTx: 'did:gun:ab12cd34ef56:hill',
      storage: 'gun',
      indexedAt: '2026-11-02T10:00:00.000Z',
      creator: { creatorHandle: 'e', didAddress: 'did:arweave:e', publicKey: 'pk-e' },
    },
  };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'store-query-input-'));
    store = createSqliteRecordStore({ dataDir: dir });
    expect((await store.bulkUpsert([record]))[0]?.ok).toBe(true);
  });
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([['hill\u0000sprints'], ['sprints\u0000'], ['\u0000hill'], ['hill\u0007sprints']])(
    'finds the record for search %j',
    async (search) => {
      const res = await store.search({ search });
      expect(res.records.map((r) => r.oip.did)).toEqual([record.oip.did]);
    },
  );

  it('reads a search of control characters only as no search filter (not an error)', async () => {
    const res = await store.search({ search: '\u0000\u0000' });
    expect(res.total).toBe(1);
  });
});

const stores: Array<[string, (dir: string) => { store: RecordStore; cleanup(): Promise<void> }, boolean]> = [
  ['sqlite', (dir) => ({ store: createSqliteRecordStore({ dataDir: dir }), cleanup: () => Promise.resolve() }), false],
  ['elasticsearch', () => realStore(), skipWithoutElasticsearch !== undefined],
];
describe.each(stores)('%s countByType with record types named like Object.prototype members', (_name, open, skip) => {
  let dir: string;
  let store: RecordStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'store-type-names-'));
    ({ store, cleanup } = open(dir));
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)('counts each of them as a type of its own', async () => {
    const types = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'workout'];
    const records = types.flatMap((t, i) =>
      [0, 1].map((k): OipRecord => {
        const did = `did:gun:ab12cd34ef56:${i}-${k}`;
        return {
          data: { basic: { name: `${t} ${k}`, date: 1730505600 } },
          oip: {
            ver: '0.8.0',
            recordType: t,
            did,
            didTx: did,
            storage: 'gun',
            indexedAt: '2026-11-02T10:00:00.000Z',
            creator: { creatorHandle: 'e', didAddress: 'did:arweave:e', publicKey: 'pk-e' },
          },
        };
      }),
    );
    expect((await store.bulkUpsert(records)).every((r) => r.ok)).toBe(true);
    const counts = await store.countByType();
    expect(Object.entries(counts).sort()).toEqual(types.map((t) => [t, 2]).sort());
  });
});
