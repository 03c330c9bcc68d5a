// Reads one index of a legacy node's Elasticsearch in pages, with bounded memory whatever its
// size: a point in time and search_after, one page being processed and at most one more in flight.
//
// Pages are sorted by `oip.didTx` (legacy maps it `keyword`; an index dynamic mapping made has
// `oip.didTx.keyword`), so a run that was killed resumes from the last DID it wrote: the query
// then asks for DIDs from that one on (the last page is read again and found unchanged) plus the
// documents without a didTx, which sort last. An index with neither field is read in index order
// and a resumed run starts it again (idempotent, only slower).
import type { createEsClient } from '@oip/record-store';

type EsClient = ReturnType<typeof createEsClient>;

export interface LegacyHit {
  id: string;
  source: unknown;
}

export interface LegacyPage {
  hits: LegacyHit[];
  /** The sort value of the page's last document with a DID: where a resumed run starts. */
  resumeFrom: string | null;
}

/** How long the point in time lives between two pages. */
const KEEP_ALIVE = '5m';

/** What a page's hit carries that the readers use. */
export interface RawHit {
  _id?: string;
  _source?: unknown;
  sort?: unknown[];
}

type Mapping = Record<string, { mappings?: { properties?: Record<string, unknown> } }>;

function fieldAt(props: Record<string, unknown> | undefined, path: string[]): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = { properties: props };
  for (const name of path) {
    const next: unknown = (node?.['properties'] as Record<string, unknown> | undefined)?.[name];
    node = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : undefined;
  }
  return node;
}

/**
 * The hits of `query` in `sort` order (which ends with `_shard_doc`), `size` a page, through a
 * point in time and search_after: the page being processed and at most the next one in memory.
 */
export async function* pitPages(
  client: EsClient,
  index: string,
  size: number,
  sort: unknown[],
  query: Record<string, unknown>,
): AsyncGenerator<RawHit[]> {
  let pit = (await client.openPointInTime({ index, keep_alive: KEEP_ALIVE })).id;
  const fetch = async (after: unknown[] | undefined): Promise<RawHit[]> => {
    const res = await client.search({
      pit: { id: pit, keep_alive: KEEP_ALIVE },
      size,
      sort: sort as never,
      query: query as never,
      track_total_hits: false,
      ...(after === undefined ? {} : { search_after: after as never }),
    });
    if (res.pit_id !== undefined) pit = res.pit_id;
    return res.hits.hits as RawHit[];
  };
  let next: Promise<RawHit[]> | null = fetch(undefined);
  try {
    while (next !== null) {
      const hits: RawHit[] = await next;
      const last = hits[hits.length - 1];
      next = hits.length < size || last === undefined ? null : fetch(last.sort);
      // A prefetch the consumer never awaits (it stopped early) must not become unhandled.
      next?.catch(() => {});
      if (hits.length > 0) yield hits;
    }
  } finally {
    await client.closePointInTime({ id: pit }).catch(() => {});
  }
}

export class LegacyIndexReader {
  readonly #client: EsClient;
  readonly #index: string;
  readonly #size: number;

  constructor(client: EsClient, index: string, size: number) {
    this.#client = client;
    this.#index = index;
    this.#size = size;
  }

  async exists(): Promise<boolean> {
    return (await this.#client.indices.exists({ index: this.#index })) === true;
  }

  /** The keyword field pages are sorted by, or null when the index has none for the DID. */
  async sortField(): Promise<string | null> {
    const res = (await this.#client.indices.getMapping({ index: this.#index })) as Mapping;
    const props = Object.values(res)[0]?.mappings?.properties;
    const didTx = fieldAt(props, ['oip', 'didTx']);
    if (didTx?.['type'] === 'keyword') return 'oip.didTx';
    const sub = (didTx?.['fields'] as Record<string, { type?: string }> | undefined)?.['keyword'];
    return sub?.type === 'keyword' ? 'oip.didTx.keyword' : null;
  }

  #query(field: string | null, from: string | null): Record<string, unknown> {
    if (field === null || from === null) return { match_all: {} };
    return {
      bool: {
        should: [{ range: { [field]: { gte: from } } }, { bool: { must_not: { exists: { field } } } }],
        minimum_should_match: 1,
      },
    };
  }

  /** These documents by id, in one request: the ones found, and the ids the index no longer holds. */
  async byIds(ids: readonly string[]): Promise<{ hits: LegacyHit[]; missing: string[] }> {
    const hits: LegacyHit[] = [];
    const missing: string[] = [];
    if (ids.length === 0) return { hits, missing };
    const res = await this.#client.mget({ index: this.#index, ids: [...ids] });
    for (const doc of res.docs) {
      if ('found' in doc && doc.found) hits.push({ id: doc._id, source: doc._source });
      else if (!('error' in doc)) missing.push(doc._id);
      else throw new Error(`reading ${doc._id} from ${this.#index}: ${JSON.stringify(doc.error).slice(0, 200)}`);
    }
    return { hits, missing };
  }

  /** Documents a run starting at `from` reads. */
  async count(field: string | null, from: string | null): Promise<number> {
    const res = await this.#client.count({ index: this.#index, query: this.#query(field, from) as never });
    return res.count;
  }

  /** The pages from `from` (null: the start), one fetched ahead of the one being processed. */
  async *pages(field: string | null, from: string | null): AsyncGenerator<LegacyPage> {
    const sort = [...(field === null ? [] : [{ [field]: { order: 'asc', missing: '_last' } }]), { _shard_doc: 'asc' }];
    let resumeFrom = from;
    for await (const hits of pitPages(this.#client, this.#index, this.#size, sort, this.#query(field, from))) {
      const page: LegacyHit[] = [];
      for (const h of hits) {
        page.push({ id: h._id ?? '', source: h._source });
        const v = field === null ? undefined : h.sort?.[0];
        if (typeof v === 'string') resumeFrom = v;
      }
      if (page.length > 0) yield { hits: page, resumeFrom: field === null ? null : resumeFrom };
    }
  }
}
