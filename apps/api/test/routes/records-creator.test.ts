import { describe, expect, it } from 'vitest';
import { rec, useApi } from '../helpers.js';

const start = useApi();

function byCreator(soul: string, didAddress: string) {
  const r = rec(soul, 'post');
  r.oip.creator = { creatorHandle: didAddress.slice(-4), didAddress, publicKey: `pk-${didAddress}` };
  return r;
}

describe('GET /api/records/creator/:didAddress', () => {
  it("answers the legacy envelope with only that creator's records, the other parameters applied", async () => {
    const mine = [0, 1, 2].map((i) => byCreator(`aaaaaaaaaaaa:mine-${i}`, 'did:arweave:alice'));
    const theirs = byCreator('aaaaaaaaaaaa:theirs', 'did:arweave:bobby');
    const { app } = await start([...mine, theirs]);
    const res = await app.inject(
      `/api/records/creator/${encodeURIComponent('did:arweave:alice')}?limit=2&sortBy=date:asc`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      message: 'Records retrieved successfully',
      searchResults: 3,
      totalPages: 2,
      pageSize: 2,
    });
    expect(body.records.map((r: { oip: { did: string } }) => r.oip.did)).toEqual([mine[0]!.oip.did, mine[1]!.oip.did]);
    const none = (await app.inject('/api/records/creator/did:arweave:nobody')).json();
    expect([none.searchResults, none.records]).toEqual([0, []]);
  });

  it('is a 400 for an address that is not a DID', async () => {
    const { app } = await start();
    const res = await app.inject('/api/records/creator/alice');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('didAddress');
  });
});
