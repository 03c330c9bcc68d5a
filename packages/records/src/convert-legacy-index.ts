// A document of a legacy node's Elasticsearch indices in our record's shape (`oip migrate records`).
//
// `records`: `{ data, oip }` as legacy's indexRecord wrote it (helpers/elasticsearch.js:912-960):
// data an object of categories, its JSON-string arrays turned back into arrays on the way in
// (processRecordForElasticsearch, :869-910; documents written before that still hold the strings,
// restored here the same way), then the validation synced records get. GUN records carry
// `oip.storage: 'gun'`; Arweave records carry none (processNewRecord, :6596-6617), nor, for the
// oldest ones, an `oip.did`: the document id is the DID, and the storage is the DID's method, so
// `source=arweave` finds them here. The creator is nested, as convertRecord nests it.
//
// `templates`, `creatorregistrations`, `organizations`: records of type template,
// creatorRegistration and organization, in the shapes the api's registry views read
// (apps/api/src/services/registry-views.ts): a template keeps legacy's flat data (TxId, template,
// fields as a JSON string, creator, creatorSig, enum `<field>Values`) without fieldsInTemplate and
// its count, which the view derives from `fields`; a creator registration's flat data becomes
// `basic` (name, language) and a `creatorRegistration` category (the rest); an organization's
// becomes `basic` (name, description, date, language, nsfw, webUrl) and an `organization`
// category (handle, keys, policy, metadata, addresses).
//
// Nothing here reads a clock: the same document always converts to the same record, so a rerun
// of the migration writes what a first run wrote. A document without a readable indexedAt gets
// its basic.date, else the epoch.
import { isObject } from './is-object.js';
import type { OipRecord, RecordData } from './oip-record.js';
import { restoreGunArrays } from './restore-arrays.js';
import { validateRecord, type SchemaFailure } from './validate-record.js';

/** The legacy indices a migration reads, each holding one kind of document. */
export type LegacyIndexKind = 'records' | 'templates' | 'creatorregistrations' | 'organizations';

/** The record type each registry index's documents become. */
export const LEGACY_REGISTRY_TYPES = {
  templates: 'template',
  creatorregistrations: 'creatorRegistration',
  organizations: 'organization',
} as const;

export type LegacyIndexOutcome =
  | { ok: true; record: OipRecord }
  /** Not a record this node stores: the first bad path in `message`, the first few in `failures`. */
  | { ok: false; message: string; failures: SchemaFailure[]; recordType: string; did: string | null };

type Obj = Record<string, unknown>;

const EPOCH = new Date(0).toISOString();

function failed(failures: SchemaFailure[], recordType: string, did: string | null): LegacyIndexOutcome {
  const first = failures[0]!;
  return { ok: false, message: `/${first.path.replace(/\./g, '/')}: ${first.rule}`, failures, recordType, did };
}

const isDid = (v: unknown): v is string => typeof v === 'string' && /^did:[a-z0-9]+:./.test(v) && v.length <= 512;

/** `oip.did`, else `oip.didTx`, else the document id (legacy's _id is the DID). */
function didOf(oip: Obj, docId: string): string | null {
  if (isDid(oip['did'])) return oip['did'];
  if (isDid(oip['didTx'])) return oip['didTx'];
  return isDid(docId) ? docId : null;
}

/** The record's time: its indexedAt when it parses, else basic.date (unix seconds), else the epoch. */
function indexedAtOf(oip: Obj, data: Obj): string {
  const at = oip['indexedAt'];
  if (typeof at === 'string' && at !== '' && Number.isFinite(Date.parse(at))) return at;
  const date = isObject(data['basic']) ? data['basic']['date'] : undefined;
  if (typeof date === 'number' && Number.isFinite(date) && Math.abs(date) < 8.64e12) {
    return new Date(date * 1000).toISOString();
  }
  return EPOCH;
}

/** The oip block as the store holds it: did/didTx/storage set, creator nested, the time kept. */
function oipBlock(oip: Obj, data: Obj, did: string, recordType: string): OipRecord['oip'] {
  const out: Obj = { ...oip };
  const nested = isObject(oip['creator']) ? oip['creator'] : {};
  const creator: Obj = { ...nested };
  if (creator['publicKey'] === undefined && oip['creator_publicKey'] !== undefined)
    creator['publicKey'] = oip['creator_publicKey'];
  if (creator['didAddress'] === undefined && oip['creator_didAddress'] !== undefined)
    creator['didAddress'] = oip['creator_didAddress'];
  delete out['creator_publicKey'];
  delete out['creator_didAddress'];
  const storage = typeof oip['storage'] === 'string' && oip['storage'] !== '' ? oip['storage'] : did.split(':')[1]!;
  return {
    ...out,
    ver: typeof oip['ver'] === 'string' ? oip['ver'] : '',
    recordType,
    did,
    didTx: isDid(oip['didTx']) ? oip['didTx'] : did,
    storage,
    indexedAt: indexedAtOf(oip, data),
    creator: creator as OipRecord['oip']['creator'],
  };
}

function recordsDoc(source: Obj, oip: Obj, docId: string): LegacyIndexOutcome {
  const recordType = typeof oip['recordType'] === 'string' ? oip['recordType'] : '';
  const did = didOf(oip, docId);
  if (did === null)
    return failed([{ path: 'oip.did', rule: 'no DID in oip.did, oip.didTx or the id' }], recordType, null);
  const data = isObject(source['data']) ? restoreGunArrays(source['data']) : source['data'];
  const check = validateRecord({ data, oip });
  if (!check.ok) return failed(check.failures, recordType, did);
  const d = data as Obj;
  const record: OipRecord = { data: { ...d } as RecordData, oip: oipBlock(oip, d, did, recordType) };
  if (isObject(source['meta'])) record.meta = source['meta'];
  return { ok: true, record };
}

/** Copies the keys of `from` named in `keys` that hold a value. */
function pick(from: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (from[k] !== undefined && from[k] !== null) out[k] = from[k];
  return out;
}

function omit(from: Obj, keys: readonly string[]): Obj {
  const out: Obj = { ...from };
  for (const k of keys) delete out[k];
  return out;
}

const CREATOR_BASIC = ['name', 'language'] as const;
const ORG_BASIC = ['name', 'description', 'date', 'language', 'nsfw', 'webUrl'] as const;

/** A registry document's data in the shape its view reads; a failure when it cannot be one. */
function registryData(kind: Exclude<LegacyIndexKind, 'records'>, data: Obj): { data: Obj } | SchemaFailure {
  switch (kind) {
    case 'templates':
      if (typeof data['template'] !== 'string' || data['template'] === '')
        return { path: 'data.template', rule: 'a template needs its name' };
      if (typeof data['fields'] !== 'string')
        return { path: 'data.fields', rule: 'a template needs its fields (JSON)' };
      return { data: omit(data, ['fieldsInTemplate', 'fieldsInTemplateCount']) };
    case 'creatorregistrations':
      return { data: { basic: pick(data, CREATOR_BASIC), creatorRegistration: omit(data, CREATOR_BASIC) } };
    case 'organizations':
      if (typeof data['orgHandle'] !== 'string' || data['orgHandle'] === '')
        return { path: 'data.orgHandle', rule: 'an organization needs its handle' };
      return { data: { basic: pick(data, ORG_BASIC), organization: omit(data, ORG_BASIC) } };
  }
}

function registryDoc(
  kind: Exclude<LegacyIndexKind, 'records'>,
  source: Obj,
  oip: Obj,
  docId: string,
): LegacyIndexOutcome {
  const recordType = LEGACY_REGISTRY_TYPES[kind];
  const did = didOf(oip, docId);
  if (did === null)
    return failed([{ path: 'oip.did', rule: 'no DID in oip.did, oip.didTx or the id' }], recordType, null);
  if (!isObject(source['data'])) return failed([{ path: 'data', rule: 'must be an object' }], recordType, did);
  const shaped = registryData(kind, source['data']);
  if (!('data' in shaped)) return failed([shaped], recordType, did);
  const record: OipRecord = { data: shaped.data as RecordData, oip: oipBlock(oip, shaped.data, did, recordType) };
  return { ok: true, record };
}

/**
 * One document of a legacy index (`_source` and `_id`) as our record, or why it cannot be one.
 * The input is not modified.
 */
export function convertLegacyIndexDoc(kind: LegacyIndexKind, source: unknown, docId: string): LegacyIndexOutcome {
  const fallbackType = kind === 'records' ? '' : LEGACY_REGISTRY_TYPES[kind];
  if (!isObject(source)) return failed([{ path: '', rule: 'the document must be an object' }], fallbackType, null);
  const oip = source['oip'];
  if (!isObject(oip))
    return failed([{ path: 'oip', rule: 'must be an object' }], fallbackType, isDid(docId) ? docId : null);
  return kind === 'records' ? recordsDoc(source, oip, docId) : registryDoc(kind, source, oip, docId);
}
