// GET /api/records/creator/:didAddress as the legacy client reads it (oip-lite helpers/oipClient.js
// getCreatorByAddress → routes/daemon/records.js:379-433 and its v0.8 path searchCreatorByAddress,
// helpers/core/elasticsearch.js:1712-1735), and GET /api/records/recordTypes with legacy's fields
// (oip-arweave-indexer helpers/elasticsearch.js getRecordTypesSummary, 6833-6880), over the real HTTP port.
import { describe, expect, it } from 'vitest';
import type { OipRecord } from '@oip/record-store';
import { call, listen } from '../account-http.js';
import { rec, useApi } from '../helpers.js';

const start = useApi();

function byCreator(
  soul: string,
  recordType: string,
  didAddress: string,
  fields: Record<string, unknown> = {},
): OipRecord {
  const r = rec(soul, recordType, fields);
  r.oip.creator = { creatorHandle: `h-${didAddress.slice(-5)}`, didAddress, publicKey: `pk-${didAddress}` };
  return r;
}

const RECORDS = [
  byCreator('aaaaaaaaaaaa:reg', 'creatorRegistration', 'did:arweave:alice', { handle: 'alice7', publicKey: 'pk-reg' }),
  byCreator('aaaaaaaaaaaa:post', 'post', 'did:arweave:alice'),
  byCreator('bbbbbbbbbbbb:post', 'post', 'did:gun:bbbbbbbbbbbb'),
  (() => {
    const r = byCreator('cccccccccccc:private', 'post', 'did:gun:cccccccccccc');
    r.data['accessControl'] = { access_level: 'private', owner_public_key: 'pk-owner' };
    return r;
  })(),
];

describe('GET /api/records/creator/:didAddress', () => {
  const rows: Array<{ name: string; did: string; status: number; body: Record<string, unknown> }> = [
    // elasticsearch.js:1726-1733: the registration's oip.creator; didTx its registration (ours: the record's DID)
    {
      name: 'a registered creator',
      did: 'did:arweave:alice',
      status: 200,
      body: {
        success: true,
        creator: {
          data: {
            creatorHandle: 'h-alice',
            didAddress: 'did:arweave:alice',
            didTx: 'did:gun:aaaaaaaaaaaa:reg',
            publicKey: 'pk-did:arweave:alice',
          },
        },
      },
    },
    // Not in legacy: a GUN publisher with no registration is found by the records they published.
    {
      name: 'a publisher without registration',
      did: 'did:gun:bbbbbbbbbbbb',
      status: 200,
      body: {
        success: true,
        creator: {
          data: {
            creatorHandle: 'h-bbbbb',
            didAddress: 'did:gun:bbbbbbbbbbbb',
            didTx: null,
            publicKey: 'pk-did:gun:bbbbbbbbbbbb',
          },
        },
      },
    },
    // daemon/records.js:413-418: 404 { success: false, error: 'Creator not found' }
    {
      name: 'an unknown creator',
      did: 'did:arweave:nobody',
      status: 404,
      body: { success: false, error: 'Creator not found', code: 'API_ERR_CREATOR_NOT_FOUND' },
    },
    // Only what the caller may read: a creator known only by a private record is not found.
    {
      name: 'a creator seen only in a private record',
      did: 'did:gun:cccccccccccc',
      status: 404,
      body: { success: false, error: 'Creator not found', code: 'API_ERR_CREATOR_NOT_FOUND' },
    },
  ];
  it.each(rows)('$name → $status', async ({ did, status, body }) => {
    const { app } = await start(RECORDS);
    const res = await call(await listen(app), `/api/records/creator/${encodeURIComponent(did)}`);
    expect([res.status, res.body]).toEqual([status, body]);
  });

  it('is a 400 for an address that is not a DID', async () => {
    const { app } = await start();
    const res = await call(await listen(app), '/api/records/creator/alice');
    expect(res.status).toBe(400);
    expect((res.body['error'] as { message: string }).message).toContain('didAddress');
  });
});

describe('GET /api/records/recordTypes', () => {
  it("answers legacy's message, totalRecords, recordTypeCount and recordTypes by count (6864-6878)", async () => {
    const { app } = await start(RECORDS);
    const res = await call(await listen(app), '/api/records/recordTypes');
    expect([res.status, res.body]).toEqual([
      200,
      {
        message: 'Record types retrieved successfully',
        // the private record is not counted for an anonymous caller
        totalRecords: 3,
        recordTypeCount: 2,
        totalRecordTypes: 2,
        recordTypes: [
          { recordType: 'post', count: 2 },
          { recordType: 'creatorRegistration', count: 1 },
        ],
      },
    ]);
  });

  it('an empty node: zeros and no types', async () => {
    const { app } = await start();
    const res = await call(await listen(app), '/api/records/recordTypes');
    expect(res.body).toMatchObject({ totalRecords: 0, recordTypeCount: 0, recordTypes: [] });
  });
});
