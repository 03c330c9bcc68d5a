// Publishing and reading FitnessAlly records through the api. A record's `data` is open in the
// OpenAPI document (each record type has its own categories), so the readers here narrow it.
import { ok, type OipClient, type paths } from '@oip/client';

/** A record as the api answers it. */
export type ApiRecord =
  paths['/api/records']['get']['responses'][200]['content']['application/json']['records'][number];

/** The query parameters of GET /api/records (legacy's: every value a string). */
export type RecordsQuery = NonNullable<paths['/api/records']['get']['parameters']['query']>;

/**
 * Publishes a record of `recordType` signed with the session's key (storage gun). The same
 * `localId` again publishes a new version of the same record (same DID).
 */
export async function publish(
  oip: OipClient,
  recordType: string,
  localId: string,
  data: Record<string, unknown>,
): Promise<{ did: string; record: ApiRecord }> {
  const answer = await ok(
    oip.POST('/api/records/newRecord', { params: { query: { recordType, localId, storage: 'gun' } }, body: data }),
  );
  return { did: answer.did, record: answer.recordToIndex };
}

/** One page of GET /api/records. */
export async function findRecords(oip: OipClient, query: RecordsQuery) {
  return ok(oip.GET('/api/records', { params: { query } }));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `data.<name>` of a record, or an empty object. */
export function categoryOf(record: unknown, name: string): Record<string, unknown> {
  const data = isObject(record) ? record['data'] : undefined;
  const category = isObject(data) ? data[name] : undefined;
  return isObject(category) ? category : {};
}

/** `data.basic.name`, or '(unnamed)'. */
export function nameOf(record: unknown): string {
  const name = categoryOf(record, 'basic')['name'];
  return typeof name === 'string' ? name : '(unnamed)';
}

/** A dref field: resolved records (resolveDepth ≥ 1) or DIDs, as a list. */
export function drefsOf(category: Record<string, unknown>, field: string): unknown[] {
  const v = category[field];
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

/** The record's creator DID address (oip.creator.didAddress). */
export function creatorOf(record: ApiRecord): string {
  const creator = record.oip?.creator;
  const did = isObject(creator) ? creator['didAddress'] : undefined;
  if (typeof did !== 'string') throw new Error('the record names no creator didAddress');
  return did;
}
