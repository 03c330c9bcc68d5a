import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryIndexSoul } from '@oip/records';
import { GunClient } from '../src/index.js';
import { clientFor, sampleRecord } from './helpers.js';

let relay: FakeRelay;
let client: GunClient;
beforeEach(async () => {
  relay = await startFakeRelay();
  client = clientFor(relay.url);
});
afterEach(async () => {
  await client.close();
  await relay.close();
});

describe('legacy relay API', () => {
  it('round-trips a record: data and oip come back as objects', async () => {
    const { did } = await client.putRecord('647f79c2a338:morning-push', {
      ...sampleRecord,
      meta: { created: 1, localId: 'morning-push', encrypted: false },
    });
    expect(did).toBe('did:gun:647f79c2a338:morning-push');
    // The relay holds JSON strings, as the legacy relay does.
    expect(typeof relay.store.get('647f79c2a338:morning-push')).toBe('object');
    const rec = await client.getRecord('647f79c2a338:morning-push');
    expect(rec?.data).toEqual(sampleRecord.data);
    expect(rec?.oip).toEqual(sampleRecord.oip);
    expect(rec?.meta).toMatchObject({ localId: 'morning-push' });
  });

  it('lists a publisher with paging and a recordType filter', async () => {
    for (let i = 0; i < 5; i++) await client.putRecord(`647f79c2a338:w${i}`, sampleRecord);
    await client.putRecord('647f79c2a338:p0', { ...sampleRecord, oip: { ...sampleRecord.oip, recordType: 'post' } });
    const all = await client.list({ publisherHash: '647f79c2a338', recordType: 'workout', limit: 3, offset: 3 });
    expect(all.map((r) => r.soul)).toEqual(['647f79c2a338:w3', '647f79c2a338:w4']);
    expect(all[0]?.recordType).toBe('workout');
  });

  it('registers records in the registry index by merging, and reads them back', async () => {
    await Promise.all(
      ['aaaaaaaaaaaa:1', 'bbbbbbbbbbbb:2', 'cccccccccccc:3'].map((soul) =>
        client.registerRecord({
          soul,
          recordType: 'recipe',
          creatorPubKey: 'pk',
          nodeId: '0123456789abcdef',
          timestamp: 5,
        }),
      ),
    );
    const entries = await client.getRegistryIndex('recipe');
    expect(entries.map((e) => e.soul).sort()).toEqual(['aaaaaaaaaaaa:1', 'bbbbbbbbbbbb:2', 'cccccccccccc:3']);
    expect(entries[0]).toMatchObject({ nodeId: '0123456789abcdef', timestamp: 5 });
    expect(await client.getSoul('oip:registry:nodes:0123456789abcdef:aaaaaaaaaaaa:1')).toMatchObject({
      did: 'did:gun:aaaaaaaaaaaa:1',
      oipVersion: '0.8.0',
    });
  });

  it('reads index entries that are GUN refs or carry metadata keys', async () => {
    relay.store.put(registryIndexSoul('post'), {
      _: { '#': 'x' },
      'abc:1': { '#': 'oip:registry:index:post/abc:1' },
      'abc:2': { soul: 'abc:2', nodeId: 'n', timestamp: '7' },
    });
    const entries = await client.getRegistryIndex('post');
    expect(entries).toEqual([{ soul: 'abc:1' }, { soul: 'abc:2', nodeId: 'n', timestamp: 7 }]);
  });

  it('marks and lists deletions', async () => {
    await client.markDeleted('did:gun:abc:1', 'pk');
    expect((await client.getDeletedRecords()).map((d) => d.did)).toEqual(['did:gun:abc:1']);
  });

  it('puts and gets media manifests and presence; reports peers', async () => {
    const id = 'a'.repeat(64);
    expect(await client.getMediaManifest(id)).toBeNull();
    await client.putMediaManifest({ media: { id }, name: 'clip.mp4' });
    expect(await client.getMediaManifest(id)).toMatchObject({ media: { id }, name: 'clip.mp4' });
    expect(await client.putMediaPresence({ mediaId: id, peerId: 'p1', protocols: { http: true } })).toMatchObject({
      success: true,
    });
    expect(await client.peersStatus()).toMatchObject({ multicastDisabled: true, axeDisabled: true });
  });

  it('refuses invalid souls without a request', async () => {
    await expect(client.getSoul('bad\u0000soul')).rejects.toMatchObject({ code: 'GUN_ERR_INVALID_ARGUMENT' });
    await expect(client.getSoul('')).rejects.toMatchObject({ code: 'GUN_ERR_INVALID_ARGUMENT' });
    expect(relay.requestCount).toBe(0);
  });
});

describe('transport', () => {
  it('uses the path prefix of a legacy /gun-relay URL and sends the bearer token on writes only', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('http://node.test:3005');
    pool.intercept({ path: '/gun-relay/get?soul=a%3A1', method: 'GET' }).reply(200, { success: true, data: { x: 1 } });
    pool
      .intercept({ path: '/gun-relay/put', method: 'POST', headers: { authorization: 'Bearer t0k' } })
      .reply(200, { success: true, soul: 'a:1' });
    const c = new GunClient({ baseUrl: 'http://node.test:3005/gun-relay', dispatcher: agent, authToken: 't0k' });
    expect(await c.getSoul('a:1')).toEqual({ x: 1 });
    await c.putSoul('a:1', { x: 2 });
    agent.assertNoPendingInterceptors();
    await c.close();
    await agent.close();
  });

  it('rejects calls after close with GUN_ERR_CLOSED', async () => {
    await client.close();
    await expect(client.getSoul('a:1')).rejects.toMatchObject({ code: 'GUN_ERR_CLOSED' });
  });
});
