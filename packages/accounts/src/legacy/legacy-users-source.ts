// Reads a legacy node's `users` index a page at a time: a point in time (so a user written during
// the run neither shows up twice nor shifts the pages) and search_after on `_shard_doc`, so memory
// holds one page whatever the index size. The caller's client, the caller closes it.
import type { Client, estypes } from '@elastic/elasticsearch';

/** One legacy user document: its ES `_id` and `_source`. */
export interface LegacyUserDoc {
  id: string;
  source: unknown;
}

export interface LegacyUsersPageOptions {
  /** The legacy users index. @defaultValue 'users' */
  index?: string;
  /** Documents a page. @defaultValue 200 */
  pageSize?: number;
  /** How long the point in time is kept between pages. @defaultValue '2m' */
  keepAlive?: string;
}

export const DEFAULT_LEGACY_USERS_INDEX = 'users';
const MAX_PAGE_SIZE = 1000;

/** How many documents the index holds (for progress); null when the index is missing. */
export async function countLegacyUsers(client: Client, index = DEFAULT_LEGACY_USERS_INDEX): Promise<number> {
  return (await client.count({ index })).count;
}

/** The documents of the legacy users index, page by page (each page an array, in index order). */
export async function* legacyUserPages(
  client: Client,
  options: LegacyUsersPageOptions = {},
): AsyncGenerator<LegacyUserDoc[], void, undefined> {
  const index = options.index ?? DEFAULT_LEGACY_USERS_INDEX;
  const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(options.pageSize ?? 200)));
  const keepAlive = options.keepAlive ?? '2m';
  let pit = (await client.openPointInTime({ index, keep_alive: keepAlive })).id;
  try {
    let after: estypes.SortResults | undefined;
    for (;;) {
      const res = await client.search({
        pit: { id: pit, keep_alive: keepAlive },
        sort: [{ _shard_doc: 'asc' }],
        size,
        track_total_hits: false,
        ...(after === undefined ? {} : { search_after: after }),
      });
      if (res.pit_id !== undefined) pit = res.pit_id;
      const hits = res.hits.hits;
      if (hits.length === 0) return;
      yield hits.map((h) => ({ id: h._id ?? '', source: h._source }));
      after = hits[hits.length - 1]!.sort;
      if (hits.length < size) return;
    }
  } finally {
    await client.closePointInTime({ id: pit }).catch(() => {});
  }
}
