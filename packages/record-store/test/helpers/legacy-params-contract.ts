// The legacy /api/records parameters of issue 25 in the store contract (legacy-params.ts):
// hasAudio, inArweaveBlock, template, didTxRef, url, model, the AND modes of exerciseType and
// cuisine, excludeRecordTypes. One table over one seeded store, run on every store; each row
// sorts by name so both stores answer the same order. DIDs are `did:gun:lp:<key>`.
import { describe, expect, it } from 'vitest';
import type { OipRecord, SearchQuery } from '../../src/index.js';
import type { ContractHarness } from './record-store-contract.js';
import { sharedSeededStore } from './shared-seeded-store.js';
import { expectStoreError } from './expect-store-error.js';
import { makeRecord, type RecordSpec } from './records.js';

const lp = (key: string): string => `did:gun:lp:${key}`;
const rec = (key: string, spec: Omit<RecordSpec, 'soul'>): OipRecord => makeRecord({ soul: `lp:${key}`, ...spec });

export function legacyParamRecords(): OipRecord[] {
  return [
    rec('a1', {
      recordType: 'post',
      name: 'A1',
      inArweaveBlock: 100,
      basic: { url: 'https://ex.com/a' },
      data: { post: { audioItems: [lp('aud1')] } },
    }),
    rec('a2', { recordType: 'post', name: 'A2', basic: { audioItems: [], webUrl: ['https://ex.com/a'] } }),
    rec('a3', { recordType: 'post', name: 'A3', inArweaveBlock: 200, basic: { audioItems: ['x.mp3'] } }),
    // A category holding only null holds no value: no audio, and not found by template=post.
    rec('a4', { recordType: 'post', name: 'A4', data: { post: { audioItems: null } } }),
    rec('m1', {
      recordType: 'modelProvider',
      name: 'M1',
      data: { modelProvider: { supported_models: ['GPT-4o', 'claude-3'] } },
    }),
    rec('m2', {
      recordType: 'modelProvider',
      name: 'M2',
      data: { modelProvider: { supported_models: 'llama3, gpt-4o-mini' } },
    }),
    rec('m3', { recordType: 'modelProvider', name: 'M3', data: { modelProvider: { supported_models: ['mistral'] } } }),
    rec('x1', { recordType: 'exercise', name: 'X1', data: { exercise: { exercise_type: 'Main' } } }),
    rec('x2', { recordType: 'exercise', name: 'X2', data: { exercise: { exercise_type: ['Main', 'Warm-Up'] } } }),
    rec('x3', { recordType: 'exercise', name: 'X3', data: { exercise: { exerciseType: 'warmup' } } }),
    rec('r1', { recordType: 'recipe', name: 'R1', data: { recipe: { cuisine: 'Thai Fusion' } } }),
    rec('r2', {
      recordType: 'recipe',
      name: 'R2',
      data: { recipe: { cuisine: 'Thai', note: 'after did:arweave:zz9' } },
    }),
    rec('w1', {
      recordType: 'workout',
      name: 'W1',
      data: { workout: { exercise: [lp('x1')], sets: [{ note: 'see', ref: 'did:arweave:zz9' }] } },
    }),
    rec('d1', { recordType: 'delete', name: 'D1', data: { delete: { didTx: lp('a1') } } }),
    rec('d2', { recordType: 'deleteTemplate', name: 'D2', data: { deleteTemplate: { didTx: 'did:arweave:tpl' } } }),
  ];
}

type Row = [name: string, query: SearchQuery, keys: string[], total?: number];

const rows: Row[] = [
  ['hasAudio true: post or basic audioItems holding a value', { hasAudio: true }, ['a1', 'a3']],
  ['hasAudio true pages with its total', { hasAudio: true, limit: 1 }, ['a1'], 2],
  ['hasAudio false: neither ([] and null hold none)', { recordType: 'post', hasAudio: false }, ['a2', 'a4']],
  ['inArweaveBlock equal', { inArweaveBlock: 200 }, ['a3']],
  ['inArweaveBlock null: records without one', { recordType: 'post', inArweaveBlock: null }, ['a2', 'a4']],
  ['template: a category name containing it, case-insensitive', { template: 'WORK' }, ['w1']],
  ['template: the category must hold a value', { template: 'post' }, ['a1']],
  ['template: several categories match', { template: 'delete' }, ['d1', 'd2']],
  ['template: case-insensitive on the category too', { template: 'PROVIDER' }, ['m1', 'm2', 'm3']],
  ['template: no category', { template: 'nothing' }, []],
  ['didTxRef: a dref in a list', { didTxRef: lp('x1') }, ['w1']],
  ['didTxRef: a prefix, at any depth', { didTxRef: 'did:arweave:' }, ['d2', 'w1']],
  ['didTxRef: every string starting with it', { didTxRef: 'did:gun:lp:a' }, ['a1', 'd1']],
  ['didTxRef: at the start of the string only', { didTxRef: 'did:arweave:zz9' }, ['w1']],
  ['didTxRef: case-sensitive', { didTxRef: 'did:ARWEAVE:' }, []],
  ['url: basic.url or (an element of) basic.webUrl', { url: 'https://ex.com/a' }, ['a1', 'a2']],
  ['url: exact, case-sensitive', { url: 'https://ex.com/A' }, []],
  ['model: contains, case-insensitive, list or string', { model: ['GPT-4O'] }, ['m1', 'm2']],
  ['model OR (default)', { model: ['mistral', 'claude'] }, ['m1', 'm3']],
  ['model AND', { model: ['gpt-4o', 'llama'], modelMatchMode: 'AND' }, ['m2']],
  ['exerciseType OR (default)', { exerciseType: ['main', 'warmup'] }, ['x1', 'x2', 'x3']],
  [
    'exerciseTypeMatchMode AND: every type, any spelling',
    { exerciseType: ['main', 'warmup'], exerciseTypeMatchMode: 'AND' },
    ['x2'],
  ],
  ['exerciseTypeMatchMode OR', { exerciseType: ['warm-up'], exerciseTypeMatchMode: 'OR' }, ['x2', 'x3']],
  ['cuisine OR (default)', { cuisine: ['thai', 'fusion'] }, ['r1', 'r2']],
  ['cuisineMatchMode AND: every item contained', { cuisine: ['thai', 'FUSION'], cuisineMatchMode: 'AND' }, ['r1']],
  ['excludeRecordTypes', { excludeRecordTypes: ['delete', 'deleteTemplate'], didTxRef: 'did:' }, ['a1', 'w1']],
  ['excludeRecordTypes keeps the rest', { recordType: 'delete', excludeRecordTypes: ['deleteTemplate'] }, ['d1']],
];

const invalid: Array<[string, SearchQuery]> = [
  ['didTxRef not a DID', { didTxRef: 'gun:lp:x1' }],
  ['inArweaveBlock negative', { inArweaveBlock: -1 }],
  ['inArweaveBlock fractional', { inArweaveBlock: 1.5 }],
  ['modelMatchMode unknown', { model: ['x'], modelMatchMode: 'XOR' as 'AND' }],
  ['cuisineMatchMode unknown', { cuisine: ['x'], cuisineMatchMode: 'all' as 'AND' }],
  ['hasAudio not a boolean', { hasAudio: 'yes' as unknown as boolean }],
  ['template too long', { template: 'x'.repeat(2049) }],
];

/** Read-only rows over one store seeded once. */
export function describeLegacyParams(open: () => Promise<ContractHarness>): void {
  describe('legacy /api/records parameters (issue 25)', () => {
    const store = sharedSeededStore(open, legacyParamRecords);

    it.each(rows)('%s', async (_name, query, keys, total) => {
      const res = await store().search({ sort: { field: 'name', order: 'asc' }, ...query });
      expect(res.records.map((r) => r.oip.did)).toEqual(keys.map(lp));
      expect(res.total).toBe(total ?? keys.length);
    });

    it.each(invalid)('refuses %s with STORE_ERR_INVALID', async (_name, query) => {
      await expectStoreError(store().search(query), 'STORE_ERR_INVALID');
    });
  });
}
