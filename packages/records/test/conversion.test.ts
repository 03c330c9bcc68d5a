// One conversion both ways. A record a legacy node published (arrays as JSON text, `oip` as JSON
// text, `meta` behind a GUN link, the creator nested) read through the sync-worker's steps and
// through convertGunRecord, which the api's relay lookups use, comes out the same; and our own
// record, published as the legacy GUN node and read back, is the record we published.
import { afterEach, describe, expect, it } from 'vitest';
import { LegacyPublisher, startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  convertGunRecord,
  convertRecord,
  hasLink,
  recordForPublish,
  recordFromNode,
  resolveLinks,
  restoreRecord,
  validateRecord,
} from '../src/index.js';
import { httpLinkSource } from './helpers/http-link-source.js';

let relay: FakeRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

const NOW = new Date('2025-01-02T03:04:05.000Z');

describe('a legacy-published record', () => {
  it('converts the same through the sync steps and through convertGunRecord, field for field', async () => {
    relay = await startFakeRelay({ mode: 'legacy', missDelayMs: 5 });
    const publisher = new LegacyPublisher({ baseUrl: relay.url, publicKey: 'legacy-publisher-key' });
    const { soul, did } = await publisher.publish({
      localId: 'leg-day',
      recordType: 'workout',
      indexedAt: '2024-11-02T10:00:00.000Z',
      data: {
        basic: { name: 'Leg day', date: 1730505600, tagItems: ['strength', 'legs'] },
        workout: { total_duration_minutes: 50, exercise: ['did:gun:647f79c2a338:squat'], exercise_amount: [5, 3] },
      },
    });
    const src = httpLinkSource(relay.url);
    const node = recordFromNode((await src.getSoul(soul))!);
    expect(hasLink(node)).toBe(true); // meta arrives as a link

    // The sync-worker's steps (processors/sync-record.ts), the trust step aside.
    const resolved = await resolveLinks(node, src);
    const restored = restoreRecord(resolved);
    expect(validateRecord(restored)).toEqual({ ok: true });
    const bySync = convertRecord(restored, did, NOW);

    const byRelay = convertGunRecord(await resolveLinks(node, src), did, NOW);
    expect(byRelay).toEqual({ ok: true, record: bySync, restored });
    expect(bySync).toEqual({
      data: {
        basic: { name: 'Leg day', date: 1730505600, tagItems: ['strength', 'legs'] },
        workout: { total_duration_minutes: 50, exercise: ['did:gun:647f79c2a338:squat'], exercise_amount: [5, 3] },
      },
      oip: {
        ver: '0.8.0',
        recordType: 'workout',
        did,
        didTx: did,
        storage: 'gun',
        indexedAt: '2024-11-02T10:00:00.000Z',
        syncedAt: NOW.toISOString(),
        signature: 'legacy-test-signature',
        creator: { didAddress: 'did:arweave:legacy-publisher', publicKey: 'legacy-publisher-key' },
      },
      meta: { created: expect.any(Number), localId: 'leg-day', encrypted: false },
    });
  });

  it('is refused the same way when it is not a record this node indexes', () => {
    const out = convertGunRecord({ data: { basic: { name: 'x' } }, oip: { ver: '0.7.0', recordType: 'post' } }, 'd');
    expect(out).toMatchObject({ ok: false, failures: [{ path: 'oip.ver' }] });
  });
});

describe('our record as the legacy GUN node, and back', () => {
  it('reads back, through the relay layout (data and oip as JSON text), as the record the store indexed', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const jwk = privateKey.export({ format: 'jwk' });
    const privateKeyHex = Buffer.from(jwk.d!, 'base64url').toString('hex').padStart(64, '0');
    const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-33).toString('hex');
    const soul = 'abcabcabcabc:our-1';
    const data = { basic: { name: 'Ours', tagItems: ['a'] }, workout: { exercise: ['did:gun:647f79c2a338:s'] } };
    const { wire, record } = recordForPublish({
      soul,
      recordType: 'workout',
      data,
      publisher: { publicKey, handle: 'devon' },
      localId: 'our-1',
      now: NOW.getTime(),
      privateKeyHex,
    });
    expect(record.oip).toMatchObject({ did: `did:gun:${soul}`, storage: 'gun', indexedAt: NOW.toISOString() });
    const node = recordFromNode({ data: JSON.stringify(wire.data), oip: JSON.stringify(wire.oip), meta: wire.meta });
    const back = convertGunRecord(node, `did:gun:${soul}`, new Date(NOW.getTime() + 60_000));
    expect(back).toEqual({
      ok: true,
      restored: expect.objectContaining({ data: record.data }),
      record: {
        data: record.data,
        oip: { ...record.oip, syncedAt: new Date(NOW.getTime() + 60_000).toISOString() },
        meta: { created: NOW.getTime(), localId: 'our-1', encrypted: false },
      },
    });
  });
});
