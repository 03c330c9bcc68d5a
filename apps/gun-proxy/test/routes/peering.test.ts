import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { http, sampleRecord, useProxies } from '../helpers.js';

const start = useProxies();

describe('two gun-proxies peered over websocket on loopback', () => {
  it('replicates a put from one to the other within a few seconds', async () => {
    const a = await start();
    const b = await start({ peers: [a.wsUrl] });
    const status = await until(
      async () => {
        const s = await http(b.url, 'GET', '/peers/status');
        return (s.body as { connectedPeers: number }).connectedPeers > 0 ? s : undefined;
      },
      { what: 'B connected to A on /peers/status' },
    );
    expect(status.body).toMatchObject({
      configuredPeers: [a.wsUrl],
      peerCount: 1,
      connectedPeers: 1,
      isolationMode: 'multi-node',
      multicastDisabled: true,
      axeDisabled: true,
    });

    const soul = '647f79c2a338:replicated-1';
    const record = sampleRecord(soul);
    expect((await http(a.url, 'POST', '/put', { soul, data: record })).status).toBe(200);
    // B's own store (not a peer lookup) holds it, in both directions of the link.
    const onB = await until(() => b.app.gunPeer.store.readNode(soul), { what: 'the node replicated to B' });
    expect(onB).toBeDefined();
    expect((await http(b.url, 'GET', `/get?soul=${soul}`)).body).toEqual({ success: true, data: record });

    const back = '647f79c2a338:replicated-2';
    expect((await http(b.url, 'POST', '/put', { soul: back, data: { hello: 'from b' } })).status).toBe(200);
    expect(
      await until(() => a.app.gunPeer.store.readNode(back), { what: 'the node replicated back to A' }),
    ).toMatchObject({ hello: 'from b' });
  });

  it('answers /get for a soul only a peer holds by asking the peer', async () => {
    const a = await start();
    // Written on A before B exists, so it never replicated to B.
    expect(
      (
        await http(a.url, 'POST', '/put', {
          soul: 'oip:registry:index:image',
          data: { 'x:1': { soul: 'x:1', nodeId: 'n', timestamp: 1 } },
        })
      ).status,
    ).toBe(200);
    // Catch-up on connect would fetch the index first (test/gun/catch-up.test.ts): off, so the ask on a miss is what answers.
    const b = await start({ peers: [a.wsUrl], getMissWaitMs: 2000, catchUp: false });
    await until(() => b.app.gunPeer.connectedPeers() > 0, { what: 'B connected to its peer' });
    expect(b.app.gunPeer.store.readNode('oip:registry:index:image')).toBeUndefined();
    const res = await http(b.url, 'GET', '/get?soul=oip:registry:index:image');
    expect(res.status).toBe(200);
    expect((res.body as { data: Record<string, unknown> }).data).toHaveProperty(['x:1']);
  });

  it('never dials a peer that is not configured and allowlisted', async () => {
    await expect(start({ peers: ['ws://evil.example.org:8765/gun'] })).rejects.toThrow(/allowlist/);
    const a = await start();
    const b = await start({ peers: [a.wsUrl] });
    await until(() => b.app.gunPeer.connectedPeers() > 0, { what: 'B connected to its peer' });
    const mesh = b.app.gunPeer.root.opt.mesh!;
    const fromA = Object.values(b.app.gunPeer.root.opt.peers)[0]!;
    // A DAM "mob" message from a peer asks us to dial the peers it names: ignored.
    mesh.hear(JSON.stringify({ dam: 'mob', peers: { 'ws://127.0.0.2:9/gun': {} }, '#': 'mob1' }), fromA);
    // Even GUN's own dial path refuses a URL that is not configured.
    mesh.hi({ id: 'ws://127.0.0.3:9/gun', url: 'ws://127.0.0.3:9/gun' });
    expect(Object.keys(b.app.gunPeer.root.opt.peers)).toEqual([a.wsUrl]);
  });
});
