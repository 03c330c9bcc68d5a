// The api serving a legacy node's own Elasticsearch index, read-only (ELASTICSEARCH_LEGACY_INDEX),
// on the legacy node's own Elasticsearch 7.17.8 (LEGACY_ELASTICSEARCH_URL: the test command starts
// one beside our 9.x node; its docker-compose.yml runs 7.17.8): the index is created with the legacy
// node's mapping (`data` nested, text-only oip.recordType /
// ver / creator fields, oip.didTx a keyword, as its helpers/elasticsearch.js creates `records`)
// and holds documents in the legacy shape: GUN-origin (oip.did) and Arweave-origin (oip.didTx
// only, inArweaveBlock) exercises, recipes, nutritionalInfo and workouts with drefs. The same
// records go into an index of ours, on our Elasticsearch (ELASTICSEARCH_URL). Two apis over HTTP, one on each; the FitnessAlly app's queries
// must get the same answers from both; what the legacy mapping cannot do (sort by record type,
// noDuplicates, the record types count) is refused with a 400, and so is a write.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, parseConfig } from '@oip/api';
import { createElasticsearchRecordStore, createRecordStore, type OipRecord } from '@oip/record-store';
import { legacyArweaveSource, legacyGunSource, legacyIndexBody } from '@oip/test-kit';

const url = process.env['ELASTICSEARCH_URL'] || undefined;
const legacyUrl = process.env['LEGACY_ELASTICSEARCH_URL'] || undefined;
if (url === undefined && process.env['CI']) throw new Error('ELASTICSEARCH_URL is not set: CI runs this suite');
if (legacyUrl === undefined && process.env['CI'])
  throw new Error('LEGACY_ELASTICSEARCH_URL is not set: CI runs this suite on a 7.17 node');
const skipWhy =
  url === undefined
    ? 'ELASTICSEARCH_URL is not set'
    : legacyUrl === undefined
      ? "LEGACY_ELASTICSEARCH_URL is not set (the test command starts the legacy node's 7.17.8)"
      : null;

const run = randomUUID().slice(0, 8);
const legacyIndex = `oip-legacy-${run}-records`;
const ourIndex = `oip-legacy-${run}-ours`;
const CREATOR = { creatorHandle: 'FitCoach', didAddress: 'did:arweave:coach-address', didTx: 'did:arweave:coach-reg' };
const GUN_KEY = '02'.padEnd(66, 'a');

/**
 * The legacy node's `records` index creation (settings and explicit mapping), as it makes it:
 * legacy helpers/elasticsearch.js:644-679 (ensureIndexExists).
 */
const LEGACY_INDEX_BODY = legacyIndexBody('records');

type Doc = { id: string; source: Record<string, unknown> };
const arweave = (n: number) => `did:arweave:${String(n).padStart(43, 'x')}`;
const gun = (local: string) => `did:gun:${'ab12cd34ef56ab12'}:${local}`;

function arweaveDoc(n: number, recordType: string, data: Record<string, unknown>, block: number): Doc {
  const did = arweave(n);
  const source = legacyArweaveSource({
    did,
    recordType,
    data,
    creator: CREATOR,
    inArweaveBlock: block,
    indexedAt: new Date(Date.UTC(2024, 0, 1 + n)).toISOString(),
    signature: `sig-${n}`,
    withDid: false,
  });
  return { id: did, source };
}

function gunDoc(local: string, recordType: string, data: Record<string, unknown>, day: number): Doc {
  const did = gun(local);
  const source = legacyGunSource({
    did,
    recordType,
    data,
    creator: { ...CREATOR, publicKey: GUN_KEY },
    indexedAt: new Date(Date.UTC(2024, 5, day)).toISOString(),
  });
  return { id: did, source };
}

const basic = (name: string, date: number, tags: string[], description = '') => ({
  name,
  description,
  date,
  language: 'en',
  tagItems: tags,
});

const DOCS: Doc[] = [
  arweaveDoc(
    1,
    'exercise',
    {
      basic: basic('Goblet Squat', 1704100000, ['strength', 'legs'], 'a squat'),
      exercise: { exercise_type: 'Strength', equipmentRequired: ['kettlebell'], instructions: ['hold', 'squat'] },
    },
    1500001,
  ),
  arweaveDoc(
    2,
    'exercise',
    {
      basic: basic('Push Up', 1704200000, ['strength', 'chest']),
      exercise: { exercise_type: 'Strength', equipmentRequired: ['none'] },
    },
    1500002,
  ),
  arweaveDoc(
    3,
    'exercise',
    {
      basic: basic('Jump Rope', 1704300000, ['cardio']),
      exercise: { exercise_type: 'Cardio', equipmentRequired: ['rope'] },
    },
    1500003,
  ),
  arweaveDoc(
    4,
    'nutritionalInfo',
    {
      basic: basic('Oats', 1704400000, ['grain']),
      nutritionalInfo: { calories: 389, proteinG: 16.9, standardUnit: 'g', standardAmount: 100 },
    },
    1500004,
  ),
  arweaveDoc(
    5,
    'nutritionalInfo',
    {
      basic: basic('Banana', 1704500000, ['fruit']),
      nutritionalInfo: { calories: 89, proteinG: 1.1, standardUnit: 'g', standardAmount: 100 },
    },
    1500005,
  ),
  arweaveDoc(
    6,
    'recipe',
    {
      basic: basic('Banana Oatmeal', 1704600000, ['breakfast', 'fruit'], 'warm oats'),
      recipe: {
        ingredient: [arweave(4), arweave(5)],
        ingredient_amount: [50, 1],
        ingredient_unit: ['g', 'whole'],
        cuisine: 'American',
      },
    },
    1500006,
  ),
  gunDoc(
    'ex-plank',
    'exercise',
    {
      basic: basic('Plank', 1718000000, ['core', 'strength'], 'hold a plank'),
      exercise: { exercise_type: 'Strength', equipmentRequired: ['none'] },
    },
    10,
  ),
  gunDoc(
    'wo-legs',
    'workout',
    {
      basic: basic('Leg Day', 1718100000, ['strength', 'legs'], 'squats first'),
      workout: { total_duration_minutes: 40, exercise: [arweave(1), gun('ex-plank')], exercise_amount: [3, 2] },
    },
    11,
  ),
  gunDoc(
    'wo-cardio',
    'workout',
    {
      basic: basic('Cardio Blast', 1718200000, ['cardio']),
      workout: { total_duration_minutes: 20, exercise: [arweave(3)], exercise_amount: [5] },
    },
    12,
  ),
  gunDoc(
    'recipe-bowl',
    'recipe',
    {
      basic: basic('Fruit Bowl', 1718300000, ['fruit', 'snack']),
      recipe: { ingredient: [arweave(5)], ingredient_amount: [2], ingredient_unit: ['whole'], cuisine: 'Any' },
    },
    13,
  ),
];

/** The FitnessAlly app's queries, with the legacy parameters it sends. */
const QUERIES = [
  '/api/records?recordType=workout&resolveDepth=1&sortBy=date:desc&limit=10',
  '/api/records?recordType=workout&resolveDepth=2&resolveNamesOnly=true',
  '/api/records?recordType=exercise&search=squat&limit=20',
  '/api/records?recordType=exercise&tags=strength,legs&tagsMatchMode=AND',
  '/api/records?recordType=exercise&exerciseType=Strength&sortBy=date:asc',
  '/api/records?recordType=exercise&equipmentRequired=kettlebell,rope&equipmentMatchMode=OR',
  '/api/records?recordType=recipe&resolveDepth=1&resolveFieldName=data.recipe.ingredient',
  '/api/records?recordType=recipe&ingredientNames=banana&sortBy=inArweaveBlock:desc',
  '/api/records?recordType=workout&exerciseNames=plank',
  '/api/records?recordType=nutritionalInfo&limit=1&page=2&sortBy=date:asc',
  `/api/records?did=${encodeURIComponent(arweave(6))}&resolveDepth=1`,
  `/api/records?didTx=${encodeURIComponent(arweave(2))}`,
  `/api/records?did=${encodeURIComponent(gun('wo-legs'))}`,
  '/api/records?creatorHandle=FitCoach&limit=50',
  `/api/records?creator_did_address=${encodeURIComponent(CREATOR.didAddress)}&sortBy=indexedAt:desc&limit=50`,
  '/api/records?search=banana&searchMatchMode=OR',
  '/api/records?tags=fruit&summarizeTags=true&tagCount=5',
  '/api/records?dateStart=1704300000&dateEnd=1718100000&sortBy=date:asc',
  // The legacy parameters of issue 25 on data nested (the mapping read for template and didTxRef).
  '/api/records?template=NUTRITIONAL',
  `/api/records?didTxRef=${encodeURIComponent(arweave(5))}`,
  '/api/records?inArweaveBlock=1500003',
  '/api/records?recordType=exercise&inArweaveBlock=bad&hasAudio=false',
  '/api/records?recordType=recipe&cuisine=amer,can&cuisineMatchMode=AND&includeSigs=false&includePubKeys=false',
  '/api/records?recordType=exercise&exerciseType=strength,cardio&exerciseTypeMatchMode=OR&includeDeleteMessages=false',
];

/** What the legacy mapping cannot answer without scripts (es-legacy-index.ts): refused, not answered wrongly. */
const REFUSED = [
  '/api/records?creatorHandle=FitCoach&sortBy=recordType:asc',
  '/api/records?search=banana&searchMatchMode=OR&noDuplicates=true',
  '/api/records/recordTypes',
];

let legacyApi: FastifyInstance;
let ourApi: FastifyInstance;
const urls = { legacy: '', ours: '' };

/** A request to the legacy node's Elasticsearch, in plain JSON as its own client sent. */
async function es(path: string, init: { method?: string; body?: unknown } = {}): Promise<unknown> {
  const res = await fetch(`${legacyUrl}${path}`, {
    method: init.method ?? 'GET',
    ...(init.body === undefined
      ? {}
      : { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function startApi(store: Record<string, unknown>): Promise<[FastifyInstance, string]> {
  const app = buildApp(
    parseConfig({
      store,
      accountsIndex: `oip-legacy-${run}-accounts`,
      queuePrefix: `e2e-legacy-${run}`,
      jwtSecret: 'e2e-legacy-index-secret-0123456789',
      logLevel: 'silent',
      // Two apis and a test in one process on a loaded box: event-loop shedding would answer 503s.
      maxEventLoopDelayMs: 0,
    }),
  );
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return [app, address];
}

/** GET `target`: its status and the comparable body. */
async function answer(target: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(target, { signal: AbortSignal.timeout(30_000) });
  return { status: res.status, body: comparable(await res.json()) };
}

/** An answer without what differs by nature between two apis (the time it took). */
const comparable = (body: unknown) =>
  JSON.parse(JSON.stringify(body), (k, v) => (k === 'auth' ? undefined : v)) as unknown;

if (skipWhy !== null) console.warn(`api-legacy-index: skipped, ${skipWhy}`);

describe.skipIf(skipWhy !== null)("the api on a legacy node's own index, read-only", () => {
  beforeAll(async () => {
    await es(`/${legacyIndex}`, { method: 'PUT', body: LEGACY_INDEX_BODY });
    const ops = DOCS.flatMap((d) => [
      JSON.stringify({ index: { _index: legacyIndex, _id: d.id } }),
      JSON.stringify(d.source),
    ]);
    const res = await fetch(`${legacyUrl}/_bulk?refresh=true`, {
      method: 'POST',
      body: `${ops.join('\n')}\n`,
      headers: { 'content-type': 'application/x-ndjson' },
      signal: AbortSignal.timeout(30_000),
    });
    expect(((await res.json()) as { errors: boolean }).errors).toBe(false);
    // The same records in an index of ours (every record there has its oip.did).
    const ours = createElasticsearchRecordStore({ node: url!, index: ourIndex, refresh: true });
    try {
      const records = DOCS.map((d) => {
        const oip = d.source['oip'] as Record<string, unknown>;
        return { ...d.source, oip: { ...oip, did: d.id } } as unknown as OipRecord;
      });
      const results = await ours.bulkUpsert(records);
      expect(results.filter((r) => !r.ok)).toEqual([]);
    } finally {
      await ours.close();
    }
    [legacyApi, urls.legacy] = await startApi({
      kind: 'elasticsearch',
      url: legacyUrl,
      index: legacyIndex,
      legacyReadOnly: true,
    });
    [ourApi, urls.ours] = await startApi({ kind: 'elasticsearch', url, index: ourIndex });
  }, 120_000);

  afterAll(async () => {
    await legacyApi?.close();
    await ourApi?.close();
    for (const [base, index] of [
      [legacyUrl, legacyIndex],
      [legacyUrl, `oip-legacy-${run}-accounts`],
      [url, ourIndex],
      [url, `oip-legacy-${run}-accounts`],
    ] as const) {
      await fetch(`${base}/${index}`, { method: 'DELETE', signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
    }
  }, 60_000);

  it("runs on the legacy node's Elasticsearch 7.17", async () => {
    expect(((await es('/')) as { version: { number: string } }).version.number).toMatch(/^7\.17\./);
  });

  it('keeps the legacy mapping: data nested, recordType text only', async () => {
    const mapping = (await es(`/${legacyIndex}/_mapping`)) as Record<
      string,
      {
        mappings: {
          properties: Record<
            string,
            { type?: string; properties?: Record<string, { type: string; fields?: unknown }> }
          >;
        };
      }
    >;
    const props = mapping[legacyIndex]!.mappings.properties;
    expect(props['data']!.type).toBe('nested');
    expect(props['oip']!.properties!['recordType']).toEqual({ type: 'text' });
  });

  for (const path of QUERIES) {
    it(`answers ${path} as on our index`, async () => {
      const [legacy, ours] = await Promise.all(
        [urls.legacy, urls.ours].map(async (base) => {
          return answer(`${base}${path}`);
        }),
      );
      expect(ours!.status).toBe(200);
      const records = (ours!.body as { records?: unknown[] }).records;
      // Every query finds something, so an empty answer on both sides cannot pass as agreement.
      if (path.startsWith('/api/records?')) expect(records?.length ?? 0).toBeGreaterThan(0);
      expect(legacy).toEqual(ours);
    });
  }

  for (const path of REFUSED) {
    it(`refuses ${path} on the legacy index (our index answers it)`, async () => {
      const [legacy, ours] = await Promise.all([answer(`${urls.legacy}${path}`), answer(`${urls.ours}${path}`)]);
      expect(ours.status).toBe(200);
      expect(legacy.status).toBe(400);
      expect(JSON.stringify(legacy.body)).toMatch(/legacy index/);
    });
  }

  it('refuses writes to the legacy index with STORE_ERR_READ_ONLY', async () => {
    const store = createRecordStore({
      kind: 'elasticsearch',
      url: legacyUrl!,
      index: legacyIndex,
      legacyReadOnly: true,
    });
    try {
      await expect(
        store.bulkUpsert([{ data: {}, oip: { did: gun('x'), recordType: 'post' } } as unknown as OipRecord]),
      ).rejects.toMatchObject({ code: 'STORE_ERR_READ_ONLY' });
      await expect(store.delete(arweave(1))).rejects.toMatchObject({ code: 'STORE_ERR_READ_ONLY' });
      expect(await store.get(arweave(1))).toMatchObject({ oip: { did: arweave(1), didTx: arweave(1) } });
    } finally {
      await store.close();
    }
    const count = (await es(`/${legacyIndex}/_count`)) as { count: number };
    expect(count.count).toBe(DOCS.length);
  });
});
