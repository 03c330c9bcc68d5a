// Reads the documents of a legacy records index indexed (or written again) since a time, in pages
// in `oip.indexedAt` order. Legacy sets `oip.indexedAt` to the time of the write every time it
// writes a record, new or updated (helpers/elasticsearch.js: processNewRecord :6596-6617 and the
// delete messages build the record with `indexedAt: new Date().toISOString()`, and indexRecord
// :912-960 writes it whole, also over an existing document), so it is the field that moves on
// every write. Pages through a point in time on (indexedAt, _shard_doc) (legacy-reader.ts
// pitPages). Documents without an indexedAt are not followed (`oip migrate records` reads them).
import type { LegacyClient } from '../processors/migrate-record.js';
import { pitPages } from './legacy-reader.js';

/** The legacy field that moves on every write (a `date` in legacy's mapping). */
export const FOLLOW_FIELD = 'oip.indexedAt';

export interface FollowHit {
  id: string;
  source: unknown;
  /** The document's indexedAt, in epoch ms. */
  at: number;
}

export interface FollowQuery {
  /** Documents indexed at or after this (epoch ms); null: all of them. */
  from: number | null;
  /** Leave out the documents legacy marked `oip.storage: gun` (the pass checks the DID as well). */
  arweaveOnly: boolean;
}

function queryOf(q: FollowQuery): Record<string, unknown> {
  const filter: unknown[] = [{ exists: { field: FOLLOW_FIELD } }];
  if (q.from !== null) filter.push({ range: { [FOLLOW_FIELD]: { gte: q.from, format: 'epoch_millis' } } });
  return { bool: { filter, ...(q.arweaveOnly ? { must_not: [{ match: { 'oip.storage': 'gun' } }] } : {}) } };
}

/** The pages of documents `q` asks for, oldest indexedAt first. */
export async function* changedSince(
  client: LegacyClient,
  index: string,
  size: number,
  q: FollowQuery,
): AsyncGenerator<FollowHit[]> {
  const sort = [{ [FOLLOW_FIELD]: { order: 'asc' } }, { _shard_doc: 'asc' }];
  for await (const hits of pitPages(client, index, size, sort, queryOf(q))) {
    const page: FollowHit[] = [];
    for (const h of hits) {
      const at = Number(h.sort?.[0]);
      if (Number.isFinite(at)) page.push({ id: h._id ?? '', source: h._source, at });
    }
    if (page.length > 0) yield page;
  }
}
