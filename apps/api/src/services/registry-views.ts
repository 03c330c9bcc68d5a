// The legacy node kept templates, organizations and creator registrations in indices of their own
// (helpers/elasticsearch.js: `templates`, `organizations`, `creatorregistrations`) and served their
// documents from there. This node keeps them as records of type `template`, `organization` and
// `creatorRegistration` in the one store; these functions give such a record the document shape
// legacy's routes answered with, so the legacy clients read the same fields.
import type { OipRecord } from '@oip/record-store';
import { isObject } from '@oip/records';

type Obj = Record<string, unknown>;
const objectAt = (o: Obj, key: string): Obj => (isObject(o[key]) ? o[key] : {});
const str = (...vs: unknown[]): string | undefined => vs.find((v): v is string => typeof v === 'string' && v !== '');

/** `oip.inArweaveBlock` as a number (GUN records have none: 0). */
export function blockOf(record: OipRecord): number {
  const b = record.oip.inArweaveBlock;
  return typeof b === 'number' && Number.isFinite(b) ? b : 0;
}

/** The highest `inArweaveBlock` of the records (legacy's latestArweaveBlockInDB / max...BlockInDB), 0 when none. */
export function maxBlock(records: readonly OipRecord[]): number {
  return records.reduce((m, r) => Math.max(m, blockOf(r)), 0);
}

/** The template's name: legacy's `data.template`, or the name inside a `template` category, or basic.name. */
export function templateName(record: OipRecord): string | undefined {
  const data = record.data as Obj;
  const cat = objectAt(data, 'template');
  return str(data['template'], cat['name'], objectAt(data, 'basic')['name']);
}

/** The template's field list: legacy's `data.fields` (a JSON string), or a `fields` object in a `template` category. */
function templateFields(record: OipRecord): Obj {
  const data = record.data as Obj;
  const raw = data['fields'] ?? objectAt(data, 'template')['fields'];
  if (isObject(raw)) return raw;
  if (typeof raw !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * A template as legacy's GET /api/templates lists it (routes/templates.js:94-146): `fields` as a
 * JSON string, `fieldsInTemplate` (each `index_<name>` key gives `{type, index}` and, for an enum,
 * its values) and its count; `data.creator` / `creatorSig` moved to `oip.creator`.
 */
export function legacyTemplate(record: OipRecord): Obj {
  const fields = templateFields(record);
  const data: Obj = { ...(record.data as Obj) };
  const fieldsInTemplate: Obj = Object.create(null) as Obj;
  for (const key of Object.keys(fields)) {
    if (!key.startsWith('index_')) continue;
    const name = key.slice('index_'.length);
    const entry: Obj = { type: fields[name], index: fields[key] };
    if (fields[name] === 'enum') {
      const values = fields[`${name}Values`] ?? data[`${name}Values`];
      if (values !== undefined) entry['enumValues'] = values;
    }
    fieldsInTemplate[name] = entry;
  }
  const creator: Obj = { ...objectAt(record.oip as Obj, 'creator') };
  if (typeof data['creator'] === 'string') creator['didAddress'] = data['creator'];
  if (data['creatorSig'] !== undefined) creator['creatorSig'] = data['creatorSig'];
  delete data['creator'];
  delete data['creatorSig'];
  const name = templateName(record);
  return {
    ...record,
    data: {
      ...data,
      ...(name !== undefined && typeof data['template'] !== 'string' ? { template: name } : {}),
      fields: JSON.stringify(fields),
      fieldsInTemplate: { ...fieldsInTemplate },
      fieldsInTemplateCount: Object.keys(fieldsInTemplate).length,
    },
    oip: { ...record.oip, creator },
  };
}

/** The organization's own category: legacy published it snake_case, indexed camelCase. */
function orgCategory(record: OipRecord): Obj {
  return objectAt(record.data as Obj, 'organization');
}

/** The organization's handle (data.orgHandle as legacy indexed it, or org_handle as published). */
export function orgHandleOf(record: OipRecord): string | undefined {
  const data = record.data as Obj;
  const org = orgCategory(record);
  return str(
    data['orgHandle'],
    org['orgHandle'],
    org['org_handle'],
    objectAt(record.oip as Obj, 'organization')['orgHandle'],
  );
}

/**
 * An organization as legacy's `organizations` index held it (helpers/elasticsearch.js:5085-5125):
 * `data` flat (orgHandle, name, description, date, language, nsfw, webUrl, orgPublicKey,
 * adminPublicKeys, membershipPolicy, metadata) and the same facts under `oip.organization`.
 */
export function legacyOrganization(record: OipRecord): Obj {
  const data = record.data as Obj;
  const org = orgCategory(record);
  const basic = objectAt(data, 'basic');
  const pick = (camel: string, snake: string) => org[camel] ?? org[snake] ?? data[camel];
  const facts = {
    orgHandle: orgHandleOf(record) ?? null,
    orgPublicKey: pick('orgPublicKey', 'org_public_key') ?? null,
    adminPublicKeys: pick('adminPublicKeys', 'admin_public_keys') ?? null,
    membershipPolicy: pick('membershipPolicy', 'membership_policy') ?? null,
    metadata: pick('metadata', 'metadata') ?? null,
  };
  return {
    data: {
      ...facts,
      name: basic['name'] ?? data['name'] ?? null,
      description: basic['description'] ?? data['description'] ?? null,
      date: basic['date'] ?? data['date'] ?? null,
      language: basic['language'] ?? data['language'] ?? null,
      nsfw: basic['nsfw'] ?? data['nsfw'] ?? null,
      webUrl: basic['webUrl'] ?? pick('webUrl', 'web_url') ?? null,
    },
    oip: { ...record.oip, recordType: 'organization', organization: facts },
  };
}

/**
 * A creator registration as legacy's `creatorregistrations` index held it
 * (helpers/elasticsearch.js:5270-5290): `data` with name, surname and language beside the
 * registration's own fields, and `oip.creator` naming the handle, address and key.
 */
export function legacyCreator(record: OipRecord): Obj {
  const data = record.data as Obj;
  const reg = objectAt(data, 'creatorRegistration');
  const basic = objectAt(data, 'basic');
  const creator = objectAt(record.oip as Obj, 'creator');
  return {
    data: {
      ...reg,
      name: basic['name'] ?? reg['name'] ?? '',
      surname: reg['surname'] ?? '',
      language: basic['language'] ?? '',
    },
    oip: {
      ...record.oip,
      recordType: 'creatorRegistration',
      creator: {
        ...creator,
        creatorHandle: str(reg['handle'], reg['creatorHandle'], creator['creatorHandle']) ?? null,
        didAddress:
          str(creator['didAddress'], reg['address'] ? `did:arweave:${String(reg['address'])}` : undefined) ?? null,
        didTx: str(record.oip.didTx, record.oip.did) ?? null,
        publicKey: str(reg['publicKey'], creator['publicKey']) ?? null,
      },
    },
  };
}
