// GET /api/templates (+ /:name), /api/organizations (+ /:id) and /api/creators over the api's real
// HTTP port on a real SQLite store, from records of type template / organization /
// creatorRegistration, in the legacy answer shapes (file and line beside each row).
import { describe, expect, it } from 'vitest';
import type { OipRecord } from '@oip/record-store';
import { call, listen } from '../account-http.js';
import { rec, useApi } from '../helpers.js';

const start = useApi();

/** A legacy document as the routes answer it. */
type Doc = { data: Record<string, unknown>; oip: Record<string, unknown> & { creator: Record<string, unknown> } };

/** A template as legacy indexed it (data.template, data.fields a JSON string, data.creator). */
function template(soul: string, name: string, block: number, fields: Record<string, unknown>): OipRecord {
  const r = rec(soul, 'template');
  return {
    data: {
      TxId: soul,
      template: name,
      fields: JSON.stringify(fields),
      creator: `did:arweave:${name}-maker`,
      creatorSig: 'sig',
    },
    oip: { ...r.oip, inArweaveBlock: block },
  } as unknown as OipRecord;
}

const EXERCISE_FIELDS = {
  exercise_name: 'string',
  index_exercise_name: 0,
  exercise_type: 'enum',
  index_exercise_type: 1,
  exercise_typeValues: [{ code: 'main', name: 'Main' }],
  muscleGroups: 'repeated string',
  index_muscleGroups: 2,
};
const TEMPLATES = [
  template('t:exercise', 'exercise', 1500, EXERCISE_FIELDS),
  template('t:recipe', 'recipe', 1700, { ingredient: 'repeated dref', index_ingredient: 0 }),
  template('t:workout', 'workout', 1600, {}),
];

const org = (soul: string, handle: string, block: number, extra: Record<string, unknown> = {}): OipRecord => {
  const r = rec(soul, 'organization', {
    org_handle: handle,
    org_public_key: `pk-${handle}`,
    admin_public_keys: [`admin-${handle}`],
    membership_policy: 'Open Join',
    ...extra,
  });
  return {
    ...r,
    data: { ...r.data, basic: { ...(r.data['basic'] as object), webUrl: `https://${handle}.example` } },
    oip: { ...r.oip, inArweaveBlock: block },
  };
};
const ORGS = [org('o:fit', 'fitnessally8', 900), org('o:run', 'runners3', 950), org('o:old', 'oldclub1', 10)];

const creator = (soul: string, handle: string) =>
  rec(soul, 'creatorRegistration', { handle, publicKey: `pk-${handle}`, surname: 'Doe' }, { name: `Name ${handle}` });
const CREATORS = [creator('c:devon', 'devon1'), creator('c:amy', 'amy2')];

async function base(records: OipRecord[]) {
  const { app } = await start(records);
  return listen(app);
}

describe('GET /api/templates (templates.js:9-283)', () => {
  // value → templates (in order) → envelope
  const rows: Array<{ name: string; query: string; names: string[] }> = [
    // templates.js:18-24 and getTemplatesInDB (elasticsearch.js:969): every template, store order (newest block first)
    { name: 'no filter', query: '', names: ['recipe', 'workout', 'exercise'] },
    // templates.js:52-55: templateName, case-insensitive substring
    { name: 'templateName', query: '?templateName=EXER', names: ['exercise'] },
    // templates.js:45-49: didTx equality on oip.did || oip.didTx
    { name: 'didTx', query: '?didTx=did:gun:t:workout', names: ['workout'] },
    // templates.js:38-41: creatorDidAddress on oip.creator.didAddress (legacy's data.creator, moved at 135-140)
    { name: 'creatorDidAddress', query: '?creatorDidAddress=did:arweave:recipe-maker', names: ['recipe'] },
    // templates.js:80-91: sortBy inArweaveBlock asc / desc
    { name: 'sortBy asc', query: '?sortBy=inArweaveBlock:asc', names: ['exercise', 'workout', 'recipe'] },
    { name: 'sortBy desc', query: '?sortBy=inArweaveBlock:desc', names: ['recipe', 'workout', 'exercise'] },
    // templates.js:81-82: another sort field is ignored
    { name: 'sortBy other field', query: '?sortBy=name:asc', names: ['recipe', 'workout', 'exercise'] },
  ];
  it.each(rows)('$name', async ({ query, names }) => {
    const res = await call(await base(TEMPLATES), `/api/templates${query}`);
    expect(res.status).toBe(200);
    const templates = res.body['templates'] as Array<{ data: { template: string } }>;
    expect(templates.map((t) => t.data.template)).toEqual(names);
    // templates.js:279-280 (legacy's spelling kept)
    expect(res.body).toMatchObject({
      message: 'Templates retreived successfully',
      latestArweaveBlockInDB: 1700,
      totalTemplates: 3,
      searchResults: names.length,
    });
  });

  it('gives each template fieldsInTemplate, its count, enum values, and oip.creator (templates.js:94-146)', async () => {
    const res = await call(await base(TEMPLATES), '/api/templates?templateName=exercise');
    const [t] = res.body['templates'] as Doc[];
    expect(t!.data).toMatchObject({
      template: 'exercise',
      fields: JSON.stringify(EXERCISE_FIELDS),
      fieldsInTemplate: {
        exercise_name: { type: 'string', index: 0 },
        exercise_type: { type: 'enum', index: 1, enumValues: [{ code: 'main', name: 'Main' }] },
        muscleGroups: { type: 'repeated string', index: 2 },
      },
      fieldsInTemplateCount: 3,
    });
    expect(t!.data).not.toHaveProperty('creator');
    expect(t!.data).not.toHaveProperty('creatorSig');
    expect(t!.oip.creator).toMatchObject({ didAddress: 'did:arweave:exercise-maker', creatorSig: 'sig' });
  });

  it('an empty node answers the envelope with no templates', async () => {
    const res = await call(await base([]), '/api/templates');
    expect(res.body).toEqual({
      message: 'Templates retreived successfully',
      latestArweaveBlockInDB: 0,
      totalTemplates: 0,
      searchResults: 0,
      templates: [],
    });
  });

  it.each([
    ['exercise', 200, 'exercise'],
    ['RECIPE', 200, 'recipe'],
    ['exer', 404, null],
    ['constructor', 404, null],
  ])('GET /api/templates/%s → %i (not a legacy route)', async (name, status, found) => {
    const res = await call(await base(TEMPLATES), `/api/templates/${name}`);
    expect(res.status).toBe(status);
    if (found === null) expect((res.body['error'] as { code: string }).code).toBe('API_ERR_ENTRY_NOT_FOUND');
    else expect((res.body['data'] as { template: string }).template).toBe(found);
  });
});

describe('GET /api/organizations (organizations.js:20-32, elasticsearch.js:3972-4020)', () => {
  const rows: Array<{ query: string; handles: string[] }> = [
    // organizations.js:23: default 100; newest block first (elasticsearch.js:3981-3983)
    { query: '', handles: ['runners3', 'fitnessally8', 'oldclub1'] },
    { query: '?limit=2', handles: ['runners3', 'fitnessally8'] },
    // parseInt(...) || 100: not a number and 0 mean 100
    { query: '?limit=abc', handles: ['runners3', 'fitnessally8', 'oldclub1'] },
    { query: '?limit=0', handles: ['runners3', 'fitnessally8', 'oldclub1'] },
    // Math.min(…, 1000); a negative limit (legacy: Elasticsearch refused it, 500) reads one
    { query: '?limit=5000', handles: ['runners3', 'fitnessally8', 'oldclub1'] },
    { query: '?limit=-3', handles: ['runners3'] },
  ];
  it.each(rows)('limit $query', async ({ query, handles }) => {
    const res = await call(await base(ORGS), `/api/organizations${query}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['qtyOrganizationsInDB', 'maxArweaveOrgBlockInDB', 'organizationsInDB']);
    expect(res.body).toMatchObject({ qtyOrganizationsInDB: 3, maxArweaveOrgBlockInDB: 950 });
    const orgs = res.body['organizationsInDB'] as Array<{ data: { orgHandle: string } }>;
    expect(orgs.map((o) => o.data.orgHandle)).toEqual(handles);
  });

  it('each organization in the organizations index shape (elasticsearch.js:5085-5110)', async () => {
    const res = await call(await base(ORGS), '/api/organizations?limit=1');
    const [o] = res.body['organizationsInDB'] as Doc[];
    const facts = {
      orgHandle: 'runners3',
      orgPublicKey: 'pk-runners3',
      adminPublicKeys: ['admin-runners3'],
      membershipPolicy: 'Open Join',
      metadata: null,
    };
    expect(o!.data).toEqual({
      ...facts,
      name: 'name of o:run',
      description: '',
      date: expect.any(Number),
      language: 'en',
      nsfw: null,
      webUrl: 'https://runners3.example',
    });
    expect(o!.oip).toMatchObject({ recordType: 'organization', did: 'did:gun:o:run', organization: facts });
  });

  it.each([
    ['did:gun:o:fit', 200, 'fitnessally8'],
    ['oldclub1', 200, 'oldclub1'],
    ['did:gun:c:devon', 404, null],
    ['nobody', 404, null],
  ])('GET /api/organizations/%s → %i (not a legacy route)', async (id, status, handle) => {
    const res = await call(await base([...ORGS, ...CREATORS]), `/api/organizations/${encodeURIComponent(id)}`);
    expect(res.status).toBe(status);
    if (handle === null) expect((res.body['error'] as { code: string }).code).toBe('API_ERR_ENTRY_NOT_FOUND');
    else expect((res.body['data'] as { orgHandle: string }).orgHandle).toBe(handle);
  });

  it('a private organization record is not listed to anonymous callers', async () => {
    const hidden = org('o:hidden', 'secret9', 999, {});
    hidden.data['accessControl'] = { access_level: 'private', owner_public_key: 'pk-owner' };
    const res = await call(await base([...ORGS, hidden]), '/api/organizations');
    expect(res.body['qtyOrganizationsInDB']).toBe(3);
    expect((await call(await base([hidden]), '/api/organizations/did:gun:o:hidden')).status).toBe(404);
  });
});

describe('GET /api/creators (creators.js:20-46, elasticsearch.js:4023-4063)', () => {
  it('answers qtyCreatorsInDB, maxArweaveCreatorRegBlockInDB and creatorsInDB in the index shape', async () => {
    const res = await call(await base([...CREATORS, ...ORGS]), '/api/creators');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['qtyCreatorsInDB', 'maxArweaveCreatorRegBlockInDB', 'creatorsInDB']);
    expect(res.body).toMatchObject({ qtyCreatorsInDB: 2, maxArweaveCreatorRegBlockInDB: 0 });
    const creators = res.body['creatorsInDB'] as Doc[];
    expect(creators.map((c) => c.oip.creator['creatorHandle']).sort()).toEqual(['amy2', 'devon1']);
    const devon = creators.find((c) => c.oip.creator['creatorHandle'] === 'devon1')!;
    // elasticsearch.js:5270-5290: data {name, surname, language}, oip.creator {creatorHandle, didAddress, didTx, publicKey}
    expect(devon.data).toMatchObject({ name: 'Name devon1', surname: 'Doe', language: 'en' });
    expect(devon.oip).toMatchObject({
      recordType: 'creatorRegistration',
      creator: {
        creatorHandle: 'devon1',
        didAddress: 'did:arweave:devon',
        didTx: 'did:gun:c:devon',
        publicKey: 'pk-devon1',
      },
    });
  });

  it('an empty node answers zeros and an empty list', async () => {
    const res = await call(await base([]), '/api/creators');
    expect(res.body).toEqual({ qtyCreatorsInDB: 0, maxArweaveCreatorRegBlockInDB: 0, creatorsInDB: [] });
  });
});
