// GET /api/records: the legacy parameters that were accepted and ignored (issue 25) do what the
// legacy node's getRecords does with them. One table run on BOTH stores through the api's real
// HTTP port: value → records in order → envelope. Each row names the legacy line it follows
// (oip-arweave-indexer helpers/elasticsearch.js).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OipRecord } from '@oip/record-store';
import { rec } from '../helpers.js';
import { listeningApi, STORE_KINDS, type ListeningApi } from '../records-both-stores.js';

const P = 'p9a8b7c6d5e4';
const did = (k: string): string => `did:gun:${P}:${k}`;

/** rec() with oip fields beside (inArweaveBlock, signature). */
function withOip(r: OipRecord, oip: Record<string, unknown>): OipRecord {
  return { ...r, oip: { ...r.oip, ...oip } as OipRecord['oip'] };
}

function fixtures(): OipRecord[] {
  return [
    withOip(rec(`${P}:a1`, 'post', { audioItems: [did('aud1')] }, { url: 'https://ex.com/a' }), {
      inArweaveBlock: 100,
      signature: 'c2lnLWEx',
      sigScheme: 'es256k',
    }),
    rec(`${P}:a2`, 'post', {}, { audioItems: [], webUrl: 'https://ex.com/a' }),
    withOip(rec(`${P}:a3`, 'post', {}, { audioItems: ['song.mp3'] }), { inArweaveBlock: 200 }),
    rec(`${P}:a4`, 'post', { audioItems: null }),
    rec(`${P}:m1`, 'modelProvider', { supported_models: ['GPT-4o', 'claude-3'] }),
    rec(`${P}:m2`, 'modelProvider', { supported_models: 'llama3, gpt-4o-mini' }),
    rec(`${P}:x1`, 'exercise', { exercise_type: 'Main' }),
    rec(`${P}:x2`, 'exercise', { exercise_type: ['Main', 'Warm-Up'] }),
    rec(`${P}:x3`, 'exercise', { exerciseType: 'warmup' }),
    rec(`${P}:r1`, 'recipe', { cuisine: 'Thai Fusion' }),
    rec(`${P}:r2`, 'recipe', { cuisine: 'Thai' }),
    rec(`${P}:w1`, 'workout', { exercise: [did('x1')] }),
    // Legacy indexes a deletion as a record of type delete / deleteTemplate (6517-6527).
    rec(`${P}:d1`, 'delete', { didTx: did('a1') }),
    rec(`${P}:d2`, 'deleteTemplate', { didTx: 'did:arweave:tpl' }),
  ];
}

/**
 * envelope: body fields (dotted paths), `header:<name>` for a response header, `status` (default
 * 200); fields: per record, in order. A 4xx row checks the error code and no records.
 */
type Row = [
  legacy: string,
  query: string,
  keys: string[],
  envelope?: Record<string, unknown>,
  fields?: Record<string, unknown[]>,
];

const bad = (param: string): Record<string, unknown> => ({
  status: 400,
  'error.code': 'API_ERR_INVALID_QUERY',
  'error.message': expect.stringContaining(param),
});

// Default order: inArweaveBlock desc, records without one last, then by DID.
const rows: Row[] = [
  // 4666-4680: hasAudio=true, data.post.audioItems or data.basic.audioItems exists (an empty list does not)
  ['4668-4680', 'hasAudio=true', ['a3', 'a1'], { searchResults: 2 }],
  ['4668-4680', 'hasAudio=true&limit=1&page=2', ['a1'], { searchResults: 2, totalPages: 2, currentPage: 2 }],
  // 4681-4694: any other value, neither exists
  ['4681-4694', 'recordType=post&hasAudio=false', ['a2', 'a4'], { searchResults: 2 }],
  ['4666', 'recordType=post&hasAudio=maybe', [], bad('hasAudio')],
  // 4174-4184: inArweaveBlock, a block height, or bad: records without one
  ['4182', 'inArweaveBlock=100', ['a1']],
  ['4175-4179', 'recordType=post&inArweaveBlock=bad', ['a2', 'a4']],
  ['4182', 'inArweaveBlock=abc', [], bad('inArweaveBlock')],
  // 2637-2652: template, a data category whose name contains it, case-insensitive
  ['2637-2652', 'template=WORK', ['w1']],
  ['2637-2652', 'template=provider', ['m1', 'm2']],
  ['2637-2652', 'template=delete', ['d1', 'd2'], { searchResults: 2 }],
  // 2705-2729: didTxRef, a string anywhere under data starting with it
  ['2705-2729', `didTxRef=${did('x1')}`, ['w1']],
  ['2705-2729', `didTxRef=${encodeURIComponent(did('a'))}`, ['a1', 'd1']],
  ['2705-2729', 'didTxRef=tpl', [], bad('didTxRef')],
  // 4186-4202: url, basic.url or basic.webUrl, exact
  ['4186-4202', `url=${encodeURIComponent('https://ex.com/a')}`, ['a1', 'a2']],
  ['4186-4202', `url=${encodeURIComponent('https://ex.com/A')}`, []],
  // 4523-4556: model, with recordType=modelProvider, supported_models contains any (OR) or every (AND)
  ['4523-4556', 'recordType=modelProvider&model=gpt-4o', ['m1', 'm2']],
  ['4530-4543', 'recordType=modelProvider&model=gpt-4o,llama&modelMatchMode=AND', ['m2']],
  ['4544-4555', 'recordType=modelProvider&model=claude,llama&modelMatchMode=or', ['m1', 'm2']],
  ['4523', `recordType=modelProvider&model=${'m,'.repeat(101)}`, [], bad('model')],
  // 4525: without recordType=modelProvider, model filters nothing
  ['4525', 'recordType=exercise&model=gpt', ['x1', 'x2', 'x3']],
  ['4424', 'recordType=modelProvider&model=gpt&modelMatchMode=XOR', [], bad('modelMatchMode')],
  // 4438-4468: exerciseTypeMatchMode AND, every type (warmup is Warm-Up); OR (default), any
  ['4455-4468', 'exerciseType=main,warmup&exerciseTypeMatchMode=AND', ['x2']],
  ['4455-4468', 'exerciseType=main,warmup', ['x1', 'x2', 'x3']],
  // 4470-4521: cuisineMatchMode AND, every term contained; OR (default), any
  ['4488-4500', 'cuisine=thai,fusion&cuisineMatchMode=AND', ['r1']],
  ['4501-4520', 'cuisine=thai,fusion', ['r1', 'r2']],
  // 4261-4266: includeDeleteMessages=false leaves deletions out; absent, they are listed
  ['4261-4266', `includeDeleteMessages=false&didTxRef=${encodeURIComponent(did('a'))}`, ['a1']],
  ['4261-4266', 'template=delete&includeDeleteMessages=true', ['d1', 'd2']],
  // 3153-3160: includeSigs=false drops oip.signature (ours its sigScheme too); default true
  ['3153-3160', 'inArweaveBlock=100', ['a1'], {}, { 'oip.signature': ['c2lnLWEx'], 'oip.sigScheme': ['es256k'] }],
  [
    '3153-3160',
    'inArweaveBlock=100&includeSigs=false',
    ['a1'],
    {},
    { 'oip.signature': [undefined], 'oip.sigScheme': [undefined], 'oip.creator.creatorHandle': ['devon'] },
  ],
  // 3162-3169: includePubKeys=false drops oip.creator.publicKey; default true
  ['3162-3169', 'hasAudio=true', ['a3', 'a1'], {}, { 'oip.creator.publicKey': ['pk-devon', 'pk-devon'] }],
  [
    '3162-3169',
    'hasAudio=true&includePubKeys=false',
    ['a3', 'a1'],
    {},
    {
      'oip.creator.publicKey': [undefined, undefined],
      'oip.creator.didAddress': ['did:arweave:devon', 'did:arweave:devon'],
    },
  ],
  ['3153', 'includeSigs=no', [], bad('includeSigs')],
];

const at = (v: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((o, seg) => (o as Record<string, unknown> | undefined)?.[seg], v);

for (const { kind, skip } of STORE_KINDS) {
  describe.skipIf(skip !== undefined)(`GET /api/records legacy parameters (${kind})`, () => {
    let api: ListeningApi;
    beforeAll(async () => {
      api = await listeningApi(kind, fixtures());
    }, 60_000);
    afterAll(async () => {
      await api?.close();
    });

    it.each(rows)('legacy %s: %s', async (_legacy, query, keys, envelope = {}, fields = {}) => {
      const res = await fetch(`${api.baseUrl}/api/records?${query}`);
      const { status = 200, ...rest } = envelope;
      expect(res.status).toBe(status);
      const body = (await res.json()) as Record<string, unknown> & { records?: Array<{ oip: { did: string } }> };
      expect((body.records ?? []).map((r) => r.oip.did)).toEqual(keys.map(did));
      for (const [k, v] of Object.entries(rest)) {
        if (k.startsWith('header:')) expect(res.headers.get(k.slice(7)), k).toBe(v);
        else expect(at(body, k), k).toEqual(v);
      }
      for (const [k, v] of Object.entries(fields))
        expect(
          (body.records ?? []).map((r) => at(r, k)),
          k,
        ).toEqual(v);
    });
  });
}
