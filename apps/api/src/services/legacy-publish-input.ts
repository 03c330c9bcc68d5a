// newRecord's inputs as legacy took them (routes/records.js:137-160, helpers/templateHelper.js
// publishToGun 919-1000): storage from the body or the query (`blockchain` as its fallback),
// localId from the query or the body, accessControl from the body or the query; an accessControl
// without owner_public_key gets the publisher's key as owner_public_key and created_by
// (templateHelper.js:940-944), so the publisher can read their own private record.
// Differs on purpose: storage defaults to gun (legacy: arweave, which this node does not write);
// storage / blockchain / localId in the body are publish options, not kept in the record's data
// (legacy published them inside it); a category field sent as null (legacy's `|| null` for an empty
// list) is left out instead of stored as null.
import { InvalidQueryError } from '../errors.js';
import { isObject } from '@oip/records';

type Obj = Record<string, unknown>;

/** The body keys that are publish options, not record data. */
const OPTION_KEYS: ReadonlySet<string> = new Set(['storage', 'blockchain', 'localId']);

export interface NewRecordQueryInput {
  storage?: string | undefined;
  blockchain?: string | undefined;
  localId?: string | undefined;
  /** A JSON object (legacy read `req.query.accessControl` when the body had none). */
  accessControl?: string | undefined;
}

export interface LegacyPublishInput {
  storage: string;
  /** undefined: none given; otherwise what was given (not necessarily a string: the publisher checks it). */
  localId: unknown;
  data: Obj;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function legacyPublishInput(query: NewRecordQueryInput, body: Obj, publisherKey: string): LegacyPublishInput {
  const storage =
    text(body['storage']) ?? text(query.storage) ?? text(body['blockchain']) ?? text(query.blockchain) ?? 'gun';
  const localId = query.localId ?? body['localId'];
  const data: Obj = {};
  for (const [key, value] of Object.entries(body)) {
    if (OPTION_KEYS.has(key)) continue;
    // Categories keep their non-null fields; a top-level value that is not a category passes as sent (the rules judge it).
    data[key] = isObject(value) ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) : value;
  }
  let accessControl = data['accessControl'];
  if (accessControl === undefined && query.accessControl !== undefined) {
    try {
      accessControl = JSON.parse(query.accessControl) as unknown;
    } catch {
      throw new InvalidQueryError('accessControl', 'must be a JSON object');
    }
    if (!isObject(accessControl)) throw new InvalidQueryError('accessControl', 'must be a JSON object');
  }
  if (isObject(accessControl)) {
    data['accessControl'] =
      accessControl['owner_public_key'] === undefined
        ? { ...accessControl, owner_public_key: publisherKey, created_by: publisherKey }
        : accessControl;
  }
  return { storage, localId: localId === undefined || localId === '' ? undefined : localId, data };
}
