// convertLegacyIndexDoc: documents of a legacy node's Elasticsearch indices as our records
// (oip-arweave-indexer helpers/elasticsearch.js; line numbers beside the rows).
import { describe, expect, it } from 'vitest';
import { convertLegacyIndexDoc, type LegacyIndexOutcome, type OipRecord } from '../src/index.js';

type Doc = Record<string, unknown>;

const creator = { creatorHandle: 'devon', didAddress: 'did:arweave:devonAddr', publicKey: 'pk-devon' };

/** An Arweave record as processNewRecord indexed it (:6596-6617): no storage. */
const arweave = (oip: Doc = {}, data: Doc = {}): Doc => ({
  data: { basic: { name: 'Push-up', date: 1730505600 }, exercise: { muscleGroups: ['chest'] }, ...data },
  oip: {
    recordType: 'exercise',
    did: 'did:arweave:EX1',
    didTx: 'did:arweave:EX1',
    inArweaveBlock: 1500000,
    indexedAt: '2024-06-01T10:00:00.000Z',
    ver: '0.8.0',
    creator,
    ...oip,
  },
});

function ok(out: LegacyIndexOutcome): OipRecord {
  if (!out.ok) throw new Error(`not converted: ${out.message}`);
  return out.record;
}

describe('convertLegacyIndexDoc: records', () => {
  it('keeps an Arweave record, its oip fields, and gives it the storage of its DID (:6596-6617)', () => {
    const r = ok(convertLegacyIndexDoc('records', arweave({ recordStatus: 'original' }), 'did:arweave:EX1'));
    expect(r.oip).toEqual({
      recordType: 'exercise',
      did: 'did:arweave:EX1',
      didTx: 'did:arweave:EX1',
      storage: 'arweave',
      inArweaveBlock: 1500000,
      indexedAt: '2024-06-01T10:00:00.000Z',
      ver: '0.8.0',
      recordStatus: 'original',
      creator,
    });
  });

  it('takes the DID from the document id when oip has none (es-legacy-index.ts withDid)', () => {
    const doc = arweave();
    delete (doc['oip'] as Doc)['did'];
    delete (doc['oip'] as Doc)['didTx'];
    expect(ok(convertLegacyIndexDoc('records', doc, 'did:arweave:EX9')).oip).toMatchObject({
      did: 'did:arweave:EX9',
      didTx: 'did:arweave:EX9',
      storage: 'arweave',
    });
  });

  it('keeps a GUN record its storage and restores JSON-string arrays (processRecordForElasticsearch, :869-910)', () => {
    const doc = arweave({ did: 'did:gun:647f79c2a338:sq', didTx: 'did:gun:647f79c2a338:sq', storage: 'gun' });
    (doc['data'] as Doc)['exercise'] = { muscleGroups: '["legs","glutes"]', instructions: '[Sit] then stand' };
    const r = ok(convertLegacyIndexDoc('records', doc, 'did:gun:647f79c2a338:sq'));
    expect(r.oip.storage).toBe('gun');
    expect(r.data['exercise']).toEqual({ muscleGroups: ['legs', 'glutes'], instructions: '[Sit] then stand' });
    // The input is not modified.
    expect(((doc['data'] as Doc)['exercise'] as Doc)['muscleGroups']).toBe('["legs","glutes"]');
  });

  it('nests a flattened creator and dates a record without indexedAt by basic.date, else the epoch', () => {
    const flat = arweave({
      creator: undefined,
      creator_publicKey: 'pk',
      creator_didAddress: 'did:arweave:a',
      indexedAt: 'no',
    });
    const r = ok(convertLegacyIndexDoc('records', flat, 'did:arweave:EX1'));
    expect(r.oip.creator).toEqual({ publicKey: 'pk', didAddress: 'did:arweave:a' });
    expect(r.oip).not.toHaveProperty('creator_publicKey');
    expect(r.oip.indexedAt).toBe('2024-11-02T00:00:00.000Z');
    const undated = arweave({ indexedAt: undefined });
    delete ((undated['data'] as Doc)['basic'] as Doc)['date'];
    expect(ok(convertLegacyIndexDoc('records', undated, 'did:arweave:EX1')).oip.indexedAt).toBe(
      '1970-01-01T00:00:00.000Z',
    );
  });

  it('converts the same document to the same record every time (no clock)', () => {
    const doc = arweave({ indexedAt: undefined });
    expect(convertLegacyIndexDoc('records', doc, 'x')).toEqual(convertLegacyIndexDoc('records', doc, 'x'));
  });

  it.each([
    ['a pre-0.8 record', arweave({ ver: '0.7.2' }), 'oip.ver'],
    ['a list holding a number', arweave({}, { exercise: { muscleGroups: 5 } }), 'data.exercise.muscleGroups'],
    ['no creator key', arweave({ creator: { didAddress: 'did:arweave:a' } }), 'oip.creator.publicKey'],
    ['no oip', { data: {} }, 'oip'],
  ])('refuses %s with the path (the validation synced records get)', (_name, doc, path) => {
    const out = convertLegacyIndexDoc('records', doc, 'did:arweave:EX1');
    expect(out.ok).toBe(false);
    expect(out.ok ? [] : out.failures.map((f) => f.path)).toContain(path);
  });

  it('refuses a document with no DID anywhere', () => {
    const doc = arweave({ did: undefined, didTx: undefined });
    expect(convertLegacyIndexDoc('records', doc, 'abc')).toMatchObject({ ok: false, did: null });
  });
});

describe('convertLegacyIndexDoc: registry indices', () => {
  const oip = { did: 'did:arweave:T1', didTx: 'did:arweave:T1', inArweaveBlock: 1, ver: '0.8.0', creator };

  it('a template keeps legacy flat data without the derived fieldsInTemplate (processNewTemplate, :6161-6200)', () => {
    const data = {
      TxId: 'T1',
      template: 'exercise',
      fields: '{"a":"string","index_a":0}',
      fieldsInTemplate: { a: { type: 'string', index: 0 } },
      fieldsInTemplateCount: 1,
      creator: 'devonAddr',
      creatorSig: 'sig',
    };
    const r = ok(convertLegacyIndexDoc('templates', { data, oip }, 'did:arweave:T1'));
    expect(r.data).toEqual({
      TxId: 'T1',
      template: 'exercise',
      fields: data.fields,
      creator: 'devonAddr',
      creatorSig: 'sig',
    });
    expect(r.oip).toMatchObject({ recordType: 'template', storage: 'arweave', did: 'did:arweave:T1' });
    expect(convertLegacyIndexDoc('templates', { data: { fields: '{}' }, oip }, 'x')).toMatchObject({
      ok: false,
      failures: [{ path: 'data.template' }],
    });
  });

  it('a creator registration becomes basic + creatorRegistration (:5270-5290)', () => {
    const data = { name: 'Devon', surname: 'James', language: 'en', youtube: 'yt' };
    expect(ok(convertLegacyIndexDoc('creatorregistrations', { data, oip }, 'x')).data).toEqual({
      basic: { name: 'Devon', language: 'en' },
      creatorRegistration: { surname: 'James', youtube: 'yt' },
    });
  });

  it('an organization becomes basic + organization (:5085-5125) and needs its handle', () => {
    const data = { orgHandle: 'fit8', name: 'Fit', webUrl: 'https://f', orgPublicKey: 'k', metadata: null };
    const r = ok(convertLegacyIndexDoc('organizations', { data, oip }, 'x'));
    expect(r.data).toEqual({
      basic: { name: 'Fit', webUrl: 'https://f' },
      organization: { orgHandle: 'fit8', orgPublicKey: 'k', metadata: null },
    });
    expect(r.oip.recordType).toBe('organization');
    expect(convertLegacyIndexDoc('organizations', { data: { name: 'x' }, oip }, 'x')).toMatchObject({ ok: false });
  });
});
