// searchResults past the node's count cap (API_RECORDS_TOTAL_CAP): a lower bound marked
// searchResultsRelation 'gte'; exactTotal=true counts every match; the page is the same either way.
import { describe, expect, it } from 'vitest';
import type { OipRecord } from '@oip/record-store';
import { rec, useApi } from '../helpers.js';

const start = useApi();

/** 3,000 records indexed in block order; every 50th (60 in all) is a "kettlebell" workout. */
function corpus(): OipRecord[] {
  return Array.from({ length: 3000 }, (_, i) => {
    const r = rec(
      `cap:${String(i).padStart(4, '0')}`,
      'workout',
      {},
      { name: i % 50 === 7 ? `kettlebell ${i}` : `filler ${i}` },
    );
    r.oip.inArweaveBlock = 10_000 + i;
    return r;
  });
}

const dids = (body: { records: Array<{ oip: { did: string } }> }): string[] => body.records.map((r) => r.oip.did);

describe('GET /api/records searchResults cap', () => {
  it('past the cap: searchResults is the cap with relation gte; exactTotal=true counts all; same page', async () => {
    const { app } = await start(corpus(), { recordsTotalCap: 40 });
    const capped = (await app.inject('/api/records?search=kettlebell&limit=5')).json();
    expect(capped).toMatchObject({
      searchResults: 40,
      searchResultsRelation: 'gte',
      totalPages: 8,
      totalRecords: 3000,
    });
    const exact = (await app.inject('/api/records?search=kettlebell&limit=5&exactTotal=true')).json();
    expect(exact).toMatchObject({ searchResults: 60, searchResultsRelation: 'eq', totalPages: 12 });
    expect(dids(capped)).toEqual(dids(exact));
    expect(dids(capped)[0]).toBe('did:gun:cap:2957');
    // Under the cap the count is exact. (Search is fuzzy as legacy's: '2957' would also find the
    // kettlebells one edit away, 2907, 2457, 957, ...; a one-character term is matched exactly.)
    expect((await app.inject('/api/records?search=kettlebell%207')).json()).toMatchObject({
      searchResults: 1,
      searchResultsRelation: 'eq',
    });
  });

  it('a cap of 0 always counts every match', async () => {
    const { app } = await start(corpus(), { recordsTotalCap: 0 });
    expect((await app.inject('/api/records?search=kettlebell&limit=5')).json()).toMatchObject({
      searchResults: 60,
      searchResultsRelation: 'eq',
    });
  });

  it('a bad exactTotal is a 400 naming it', async () => {
    const { app } = await start([]);
    const res = await app.inject('/api/records?exactTotal=maybe');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'API_ERR_INVALID_QUERY', message: expect.stringContaining('exactTotal') },
    });
  });
});
