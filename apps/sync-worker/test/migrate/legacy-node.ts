// A legacy node's Elasticsearch on its own version (LEGACY_ELASTICSEARCH_URL, 7.17.8): its four indices created
// with the legacy mappings (oip-arweave-indexer helpers/elasticsearch.js:564-760, ensureIndexExists)
// under names of the test's own, and documents written as legacy wrote them: GUN records with
// `oip.storage: 'gun'` (the sync's indexRecord, :912-960), Arweave records without a storage and,
// for the oldest ones, without an `oip.did` (processNewRecord, :6596-6617), data arrays as arrays
// except in an old document that kept JSON strings (before processRecordForElasticsearch, :869-910),
// templates (processNewTemplate, :6161-6200), creator registrations (:5270-5290) and
// organizations (:5085-5125).
import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { legacyElasticsearchUrl } from '../helpers/real-elasticsearch.js';
import { legacyArweaveSource, legacyGunSource, legacyIndexBody, type LegacyIndexKind } from '@oip/test-kit';

export type { LegacyIndexKind } from '@oip/test-kit';

type Doc = Record<string, unknown>;

const CREATOR = {
  creatorHandle: 'devon',
  didAddress: 'did:arweave:devonAddr',
  didTx: 'did:arweave:devonReg',
  publicKey: 'pk-devon',
};

const basic = (name: string, tags: string[] = []) => ({
  name,
  description: `${name} description`,
  date: 1730505600,
  language: 'en',
  tagItems: tags,
});

/** An Arweave record as processNewRecord indexed it: no storage; `withDid: false` for the oldest ones. */
export function arweaveDoc(tx: string, recordType: string, category: Doc, opts: { withDid?: boolean } = {}): Doc {
  return legacyArweaveSource({
    did: `did:arweave:${tx}`,
    recordType,
    data: { basic: basic(`${recordType} ${tx}`, ['fitness']), [recordType]: category },
    creator: CREATOR,
    inArweaveBlock: 1_500_000 + tx.length,
    indexedAt: '2024-06-01T10:00:00.000Z',
    templates: { basic: 'tplBasic', [recordType]: `tpl-${recordType}` },
    ...(opts.withDid === undefined ? {} : { withDid: opts.withDid }),
  });
}

/** A GUN record as the legacy sync indexed it (storage gun, did = didTx = did:gun:<soul>). */
export function gunDoc(soul: string, recordType: string, category: Doc): Doc {
  return legacyGunSource({
    did: `did:gun:${soul}`,
    recordType,
    data: { basic: basic(`${recordType} ${soul}`, ['gun']), [recordType]: category },
    creator: { creatorHandle: 'amy', didAddress: 'did:arweave:amyAddr', publicKey: 'pk-amy' },
    indexedAt: '2024-11-02T10:00:00.000Z',
  });
}

export const PUB = '647f79c2a338';

/** The FitnessAlly records of a legacy node, both sources; two of them invalid. */
export function fitnessRecords(): Array<{ id: string; doc: Doc }> {
  const docs: Doc[] = [
    arweaveDoc('EX1', 'exercise', { instructions: ['Lower', 'Push'], muscleGroups: ['chest'], exercise_type: 'Main' }),
    arweaveDoc('EX2', 'exercise', { instructions: 'Pull', muscleGroups: ['back'], exercise_type: 'Main' }),
    // The oldest documents: no oip.did (the id is the DID), arrays still JSON strings.
    arweaveDoc('EX3', 'exercise', { muscleGroups: '["legs","glutes"]', exercise_type: 'Warm-Up' }, { withDid: false }),
    arweaveDoc('NUT1', 'nutritionalInfo', { calories: 90, proteinG: 3, fatG: 0.3, carbohydratesG: 20 }),
    arweaveDoc('REC1', 'recipe', { ingredient: '["did:arweave:NUT1"]', ingredient_amount: [2], servings: 2 }),
    gunDoc(`${PUB}:squat`, 'exercise', { instructions: ['Sit'], muscleGroups: ['legs'], exercise_type: 'Main' }),
    gunDoc(`${PUB}:push-day`, 'workout', {
      total_duration_minutes: 45,
      exercise: ['did:arweave:EX1', 'did:arweave:EX2', 'did:arweave:EX3', `did:gun:${PUB}:squat`],
      exercise_amount: [3, 3, 2, 4],
    }),
    gunDoc(`${PUB}:week-1`, 'workoutSchedule', {
      scheduled_date: 1730505600,
      workout: [`did:gun:${PUB}:push-day`],
    }),
    gunDoc(`${PUB}:monday-meals`, 'mealPlan', { meal_date: 1730505600, meal_reference: ['did:arweave:REC1'] }),
    gunDoc(`${PUB}:hello`, 'post', { articleText: 'Hello from the legacy node', webUrl: 'https://example.com' }),
    // Invalid: a list of names holding a number (the legacy text mapping took it), and a pre-0.8 record.
    gunDoc(`${PUB}:broken`, 'workout', { exercise_name: 5, exercise: ['did:arweave:EX1'] }),
    {
      ...arweaveDoc('OLD1', 'post', { articleText: 'old' }),
      oip: { ...(arweaveDoc('OLD1', 'post', {}).oip as Doc), ver: '0.7.2' },
    },
  ];
  return docs.map((doc) => {
    const oip = doc['oip'] as Doc;
    return { id: String(oip['did'] ?? oip['didTx']), doc };
  });
}

export const INVALID_DIDS = [`did:gun:${PUB}:broken`, 'did:arweave:OLD1'];

export function templateDocs(): Array<{ id: string; doc: Doc }> {
  const t = (tx: string, name: string, fields: Doc) => ({
    id: `did:arweave:${tx}`,
    doc: {
      data: {
        TxId: tx,
        creator: 'devonAddr',
        creatorSig: 'sig',
        template: name,
        fields: JSON.stringify(fields),
        fieldsInTemplate: Object.fromEntries(
          Object.keys(fields)
            .filter((k) => !k.startsWith('index_'))
            .map((k, i) => [k, { type: fields[k], index: i }]),
        ),
        fieldsInTemplateCount: Object.keys(fields).filter((k) => !k.startsWith('index_')).length,
      },
      oip: {
        did: `did:arweave:${tx}`,
        didTx: `did:arweave:${tx}`,
        inArweaveBlock: 1_400_000,
        indexedAt: '2024-01-01T00:00:00.000Z',
        recordStatus: 'original',
        ver: '0.8.0',
        creator: CREATOR,
      },
    },
  });
  return [
    t('tpl-exercise', 'exercise', { instructions: 'repeated string', index_instructions: 0 }),
    t('tpl-recipe', 'recipe', { ingredient: 'repeated dref', index_ingredient: 0 }),
  ];
}

export function creatorDocs(): Array<{ id: string; doc: Doc }> {
  return [
    {
      id: 'did:arweave:devonReg',
      doc: {
        data: { name: 'Devon', surname: 'James', language: 'en', description: 'founder', youtube: 'devonyt' },
        oip: {
          recordType: 'creatorRegistration',
          did: 'did:arweave:devonReg',
          didTx: 'did:arweave:devonReg',
          inArweaveBlock: 1_300_000,
          indexedAt: '2023-05-01T00:00:00.000Z',
          ver: '0.8.0',
          signature: 'sig',
          creator: CREATOR,
        },
      },
    },
  ];
}

export function organizationDocs(): Array<{ id: string; doc: Doc }> {
  const facts = {
    orgHandle: 'fitnessally8',
    orgPublicKey: 'org-pk',
    adminPublicKeys: ['pk-devon'],
    membershipPolicy: 'Auto-Enroll App Users',
    metadata: null,
  };
  return [
    {
      id: 'did:arweave:org1',
      doc: {
        data: {
          ...facts,
          name: 'FitnessAlly',
          description: 'the app',
          date: 1700000000,
          language: 'en',
          nsfw: false,
          webUrl: 'https://fitnessally.io',
        },
        oip: {
          recordType: 'organization',
          did: 'did:arweave:org1',
          didTx: 'did:arweave:org1',
          inArweaveBlock: 1_450_000,
          indexedAt: '2024-02-01T00:00:00.000Z',
          ver: '0.8.0',
          signature: 'sig',
          organization: facts,
          creator: CREATOR,
        },
      },
    },
  ];
}

export interface LegacyNode {
  /** The legacy node's Elasticsearch. */
  url: string;
  /** The indices' names, by legacy name. */
  names: Record<LegacyIndexKind, string>;
  /** The flags naming them for `oip migrate records`. */
  flags: string[];
  /** Indexes documents (refreshed). */
  put(kind: LegacyIndexKind, docs: Array<{ id: string; doc: Doc }>): Promise<void>;
  drop(): Promise<void>;
}

/** The four legacy indices, empty, under names of the test's own. */
export async function createLegacyNode(label: string): Promise<LegacyNode> {
  const tag = `oip-test-legacy-${label}-${randomUUID().slice(0, 8)}`;
  const names = {
    records: `${tag}-records`,
    templates: `${tag}-templates`,
    creatorregistrations: `${tag}-creatorregistrations`,
    organizations: `${tag}-organizations`,
  };
  const url = legacyElasticsearchUrl!;
  const admin = new Client({ node: url });
  for (const kind of Object.keys(names) as LegacyIndexKind[]) {
    const { settings, mappings } = legacyIndexBody(kind);
    await admin.indices.create({ index: names[kind], settings, mappings: mappings as never });
  }
  return {
    url,
    names,
    flags: [
      '--index',
      names.records,
      '--templates-index',
      names.templates,
      '--creators-index',
      names.creatorregistrations,
      '--organizations-index',
      names.organizations,
    ],
    async put(kind, docs) {
      for (let i = 0; i < docs.length; i += 1000) {
        const operations = docs
          .slice(i, i + 1000)
          .flatMap(({ id, doc }) => [{ index: { _index: names[kind], _id: id } }, doc]);
        const res = await admin.bulk({ operations, refresh: false });
        if (res.errors) {
          const bad = res.items.find((i) => i.index?.error !== undefined);
          throw new Error(`legacy fixture bulk refused: ${JSON.stringify(bad)}`);
        }
      }
      await admin.indices.refresh({ index: names[kind] });
    },
    async drop() {
      await admin.indices.delete({ index: Object.values(names).join(',') }, { ignore: [404] });
      await admin.close();
    },
  };
}
