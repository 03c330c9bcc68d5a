// The SQLite store's ordered walk (ordered-walk.ts): a capped full-text search answered from the
// first cap + 1 matches by record id, when record_block_chunks proves no unseen match can enter
// the page; otherwise the full query. Every answer is checked against the uncapped query.
import { describe, expect, it } from 'vitest';
import type { OipRecord, SearchQuery } from '../src/index.js';
import { makeRecord } from './helpers/records.js';
import { useTempSqliteStore } from './helpers/temp-sqlite-store.js';

const COUNT = 3000;
/** Every 50th record matches "kettlebell": 60 matches spread over three 1,024-id chunks. */
const matches = (i: number): boolean => i % 50 === 7;

/** Record i; `block` null: none. */
function record(i: number, block: number | null = 10_000 + i, extra: Partial<OipRecord['data']> = {}): OipRecord {
  const rec = makeRecord({
    soul: `walk:${String(i).padStart(4, '0')}`,
    name: matches(i) ? `kettlebell ${i}` : `filler ${i}`,
    tags: [matches(i) ? 'Swing' : 'rest', i % 2 === 0 ? 'even' : 'odd'],
    ...(block === null ? {} : { inArweaveBlock: block }),
  });
  Object.assign(rec.data, extra);
  return rec;
}

describe('SQLite ordered walk for capped searches', () => {
  const temp = useTempSqliteStore('oip-walk-');

  async function put(records: OipRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += 500) {
      const res = await temp.store.bulkUpsert(records.slice(i, i + 500));
      expect(res.filter((r) => !r.ok)).toEqual([]);
    }
  }

  /** The capped answer, after checking its page against the uncapped query's. */
  async function capped(query: SearchQuery, totalCap: number) {
    const exact = await temp.store.search(query);
    const answer = await temp.store.search({ ...query, totalCap });
    expect(answer.records.map((r) => r.oip.did)).toEqual(exact.records.map((r) => r.oip.did));
    expect(exact.totalRelation).toBe('eq');
    return { answer, exact };
  }

  it('records indexed in block order: the page and a lower-bound total from the walk', async () => {
    await put(Array.from({ length: COUNT }, (_, i) => record(i)));
    for (const page of [1, 2, 4]) {
      const { answer, exact } = await capped({ search: 'kettlebell', limit: 5, page }, 40);
      expect(exact.total).toBe(60);
      expect({ total: answer.total, rel: answer.totalRelation }).toEqual({ total: 40, rel: 'gte' });
    }
    // Under the cap the walk sees every match: exact.
    expect(await capped({ search: 'kettlebell', limit: 5 }, 60)).toMatchObject({
      answer: { total: 60, totalRelation: 'eq' },
    });
    // A page past the cap: the walk would end on the page's own last record, which it cannot
    // prove, so the full query answers (exact).
    expect((await capped({ search: 'kettlebell', limit: 10, page: 5 }, 20)).answer).toMatchObject({
      total: 60,
      totalRelation: 'eq',
    });
  });

  it('a tags filter without a search walks the tag index the same way', async () => {
    await put(Array.from({ length: COUNT }, (_, i) => record(i)));
    // "swing" is on exactly the 60 kettlebell records; with "odd" (AND) on the 60 of them at odd i.
    for (const [tags, tagsMatchMode, exactTotal] of [
      [['SWING'], 'OR', 60],
      [['swing', 'odd'], 'AND', 60],
      [['swing', 'even'], 'AND', 0],
    ] as const) {
      const { answer, exact } = await capped({ tags: [...tags], tagsMatchMode, limit: 5 }, 40);
      expect(exact.total).toBe(exactTotal);
      expect(answer.totalRelation).toBe(exactTotal > 40 ? 'gte' : 'eq');
    }
    // Tags with a search: the search drives, the tags filter each row.
    expect((await capped({ search: 'kettlebell', tags: ['swing'], limit: 5 }, 40)).answer.totalRelation).toBe('gte');
  });

  it('private records stay out of the page and the count, for the walk too', async () => {
    await put(
      Array.from({ length: COUNT }, (_, i) =>
        record(
          i,
          10_000 + i,
          i === 2957 ? { accessControl: { access_level: 'private', owner_public_key: 'pk-x' } } : {},
        ),
      ),
    );
    const anon = await capped({ search: 'kettlebell', limit: 3, access: { viewerPublicKey: null } }, 40);
    expect(anon.answer.totalRelation).toBe('gte');
    expect(anon.answer.records.map((r) => r.oip.did)).not.toContain('did:gun:walk:2957');
    const owner = await capped({ search: 'kettlebell', limit: 3, access: { viewerPublicKey: 'pk-x' } }, 40);
    expect(owner.answer.records.map((r) => r.oip.did)).toContain('did:gun:walk:2957');
  });

  it('many restricted records: each viewer gets the page and count of the uncapped query, whichever way the walk reads access', async () => {
    // Every third match restricted (private to pk-x or created by pk-y, shared with pk-z, or for
    // the members of org-w); the newest 30 matches too, so the walk needs more than one round;
    // with the filler restricted as well, more restricted records than the id walk reads per
    // round (the joined walk answers).
    const levels = [
      { access_level: 'private', owner_public_key: 'pk-x' },
      { access_level: 'private', created_by: 'pk-y' },
      { access_level: 'shared', owner_public_key: 'pk-x', shared_with: ['pk-z'] },
      { access_level: 'organization', created_by: 'pk-y', shared_with: 'did:arweave:org-w' },
    ];
    const access = (i: number, fillerRestricted: boolean) => {
      const restricted = matches(i) ? i % 3 === 0 || i > 1500 : fillerRestricted;
      return restricted ? { accessControl: levels[Math.floor(i / 50) % levels.length]! } : {};
    };
    const viewers = [
      { viewerPublicKey: null },
      { viewerPublicKey: 'pk-x' },
      { viewerPublicKey: 'pk-y' },
      { viewerPublicKey: 'pk-z' },
      { viewerPublicKey: 'pk-q', viewerOrgDids: ['did:arweave:org-w'] },
    ];
    const firstPages: string[] = [];
    for (const fillerRestricted of [false, true]) {
      await put(Array.from({ length: COUNT }, (_, i) => record(i, 10_000 + i, access(i, fillerRestricted))));
      for (const viewer of viewers) {
        for (const [cap, page] of [
          [10, 1],
          [10, 3],
          [40, 1],
          [200, 2],
        ] as const) {
          for (const query of [{ search: 'kettlebell' }, { tags: ['swing'] }]) {
            const { answer, exact } = await capped({ ...query, limit: 4, page, access: viewer }, cap);
            // Past the cap the store may stop counting (or, when the walk cannot prove the page, count all).
            expect(answer.total).toBe(answer.totalRelation === 'gte' ? cap : exact.total);
            expect(exact.total > cap || answer.totalRelation === 'eq').toBe(true);
            if (cap === 10 && page === 1) firstPages.push(answer.totalRelation);
          }
        }
      }
    }
    // Records in block order, the first page: the walk proves it for every viewer, both layouts.
    expect(firstPages).toEqual(Array.from({ length: 20 }, () => 'gte'));
  });

  it('an old record with the newest block: the chunks bound forbids the walk, the full query answers', async () => {
    await put(Array.from({ length: COUNT }, (_, i) => record(i, i === 107 ? 99_999 : 10_000 + i)));
    const { answer } = await capped({ search: 'kettlebell', limit: 5 }, 40);
    expect(answer.records[0]!.oip.did).toBe('did:gun:walk:0107');
    expect({ total: answer.total, rel: answer.totalRelation }).toEqual({ total: 60, rel: 'eq' });
  });

  it('a block raised by an update raises its chunk bound', async () => {
    await put(Array.from({ length: COUNT }, (_, i) => record(i)));
    expect((await capped({ search: 'kettlebell', limit: 5 }, 40)).answer.totalRelation).toBe('gte');
    await put([record(57, 50_000)]);
    const { answer } = await capped({ search: 'kettlebell', limit: 5 }, 40);
    expect(answer.records[0]!.oip.did).toBe('did:gun:walk:0057');
    expect(answer.totalRelation).toBe('eq');
  });

  it('records without a block on the page: the full query answers', async () => {
    await put(Array.from({ length: COUNT }, (_, i) => record(i, i >= 2000 ? null : 10_000 + i)));
    // 20 matches have no block and sort last; a page reaching them cannot be proven by the walk.
    const { answer } = await capped({ search: 'kettlebell', limit: 10, page: 5 }, 30);
    expect(answer.records.every((r) => r.oip.inArweaveBlock === undefined)).toBe(true);
    expect(answer.totalRelation).toBe('eq');
    // The newest ids carry no block here, so even the first page's blocked records come from
    // ids the chunks cannot separate from the unseen ones: the full query again.
    expect((await capped({ search: 'kettlebell', limit: 10 }, 30)).answer.totalRelation).toBe('eq');
  });

  it('deleting the best match keeps the page exact', async () => {
    await put(Array.from({ length: COUNT }, (_, i) => record(i)));
    expect(await temp.store.delete('did:gun:walk:2957')).toBe(true);
    const { answer } = await capped({ search: 'kettlebell', limit: 5 }, 40);
    expect(answer.records[0]!.oip.did).toBe('did:gun:walk:2907');
    expect(answer.totalRelation).toBe('gte');
  });
});
