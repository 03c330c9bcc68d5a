// The behaviour gun-client relies on, as one suite run against every relay implementation:
// the legacy-compatible fake relay and our gun-proxy.
import { GunClient } from '@oip/gun-client';
import { publisherHash } from '@oip/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface StartedRelay {
  url: string;
  close(): Promise<void>;
  /** Token for writes when the relay requires auth. */
  authToken?: string;
}

const PUB = publisherHash('contract-publisher-key');

function record(name: string, recordType = 'workout') {
  return {
    data: {
      basic: { name, date: 1730505600, tagItems: ['strength', 'push'] },
      [recordType]: { exercise: [`did:gun:${PUB}:bench-press`], total_duration_minutes: 45 },
    },
    oip: {
      ver: '0.8.0',
      recordType,
      creator: { creatorHandle: 'devon', publicKey: 'contract-publisher-key', didAddress: 'did:arweave:creator' },
    },
    meta: { created: 1730505600000, localId: name, encrypted: false },
  };
}

/** Legacy `getAllDeletedDIDs`: index keys that are gun DIDs with the value `true`, nothing else. */
function legacyDeletedDids(index: Record<string, unknown>): string[] {
  return Object.keys(index).filter((key) => key.startsWith('did:gun:') && index[key] === true);
}

export function describeRelayContract(name: string, start: () => Promise<StartedRelay>): void {
  describe(`relay contract: ${name}`, () => {
    let relay: StartedRelay;
    let client: GunClient;
    const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

    beforeAll(async () => {
      relay = await start();
      client = new GunClient({
        baseUrl: relay.url,
        authToken: relay.authToken,
        retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
      });
    });
    afterAll(async () => {
      await client?.close();
      await relay?.close();
    });

    it('round-trips a record with arrays intact (data/oip survive as JSON)', async () => {
      const soul = `${PUB}:rt-${unique}`;
      const rec = record('Morning Push');
      expect(await client.putRecord(soul, rec)).toEqual({ soul, did: `did:gun:${soul}` });
      const got = await client.getRecord(soul);
      expect(got?.data).toEqual(rec.data);
      expect(got?.oip).toEqual(rec.oip);
    });

    it('answers a missing soul with null, once, then from the negative cache', async () => {
      const soul = `${PUB}:missing-${unique}`;
      const before = client.stats().requests;
      expect(await client.getRecord(soul)).toBeNull();
      expect(await client.getRecord(soul)).toBeNull();
      expect(client.stats().requests - before).toBe(1);
      expect(client.stats().retries).toBe(0);
    });

    it('a put makes a remembered miss visible', async () => {
      const soul = `${PUB}:late-${unique}`;
      expect(await client.getRecord(soul)).toBeNull();
      await client.putRecord(soul, record('Late'));
      expect((await client.getRecord(soul))?.oip).toMatchObject({ recordType: 'workout' });
    });

    it('lists a publisher with recordType filter and paging', async () => {
      const ph = publisherHash(`list-${unique}`);
      for (let i = 0; i < 4; i++) await client.putRecord(`${ph}:w${i}`, record(`w${i}`));
      await client.putRecord(`${ph}:p0`, record('p0', 'post'));
      const workouts = await client.list({ publisherHash: ph, recordType: 'workout', limit: 50 });
      expect(workouts.map((r) => r.soul).sort()).toEqual([0, 1, 2, 3].map((i) => `${ph}:w${i}`));
      const page = await client.list({ publisherHash: ph, recordType: 'workout', limit: 2, offset: 2 });
      expect(page).toHaveLength(2);
      const posts = await client.list({ publisherHash: ph, recordType: 'post' });
      expect(posts.map((r) => r.soul)).toEqual([`${ph}:p0`]);
    });

    it('merges concurrent registry registrations without losing entries', async () => {
      const type = `contract${unique}`;
      const souls = Array.from({ length: 8 }, (_, i) => `${PUB}:reg-${i}`);
      await Promise.all(
        souls.map((soul) =>
          client.registerRecord({
            soul,
            recordType: type,
            creatorPubKey: 'pk',
            nodeId: 'abcdef0123456789',
            timestamp: 42,
          }),
        ),
      );
      const entries = await client.getRegistryIndex(type);
      expect(entries.map((e) => e.soul).sort()).toEqual([...souls].sort());
    });

    it('stores deletions and media manifests/presence; reports peers with multicast and AXE off', async () => {
      const did = `did:gun:${PUB}:deleted-${unique}`;
      await client.markDeleted(did, 'pk');
      expect((await client.getDeletedRecords()).map((d) => d.did)).toContain(did);
      // What a legacy node reads from it (its deletion registry's own rules, applied to the wire).
      const index = (await client.getSoul('oip:deleted:records:index')) ?? {};
      expect(legacyDeletedDids(index)).toContain(did);
      const entry = await client.getSoul(`oip:deleted:records:${did}`);
      expect(entry).toMatchObject({ did, deletedBy: 'pk', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      expect(Number.isNaN(Date.parse(String(entry?.timestamp)))).toBe(false);
      const mediaId = (unique + '0'.repeat(64)).slice(0, 64).replace(/[^0-9a-f]/g, 'a');
      await client.putMediaManifest({ media: { id: mediaId }, name: 'clip.mp4' });
      expect(await client.getMediaManifest(mediaId)).toMatchObject({ media: { id: mediaId } });
      expect(await client.putMediaPresence({ mediaId, peerId: 'peer-1', protocols: { http: true } })).toMatchObject({
        success: true,
      });
      expect(await client.peersStatus()).toMatchObject({ multicastDisabled: true, axeDisabled: true });
    });
  });
}
