// A configured peer that goes away for longer than GUN's first re-dial (2 s) is dialled again
// until it is back: GUN itself dropped such a peer from its list at the failed re-dial and never
// tried again (test-e2e two-nodes: a node's gun-proxy SIGKILLed and restarted 8 s later was never
// reached by its peer's outbound socket again).
import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { http, sleep, useProxies } from '../helpers.js';

const start = useProxies();

describe('outbound peer reconnection', () => {
  it('dials a configured peer again after it was down for several re-dial periods, and replicates to it', async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);
    const b = await start({ peers: [first.wsUrl] });
    await until(() => b.app.gunPeer.connectedPeers() > 0, { what: 'B connected to its peer', timeoutMs: 10_000 });
    await first.close();
    await until(() => b.app.gunPeer.connectedPeers() === 0, { what: 'B disconnected', timeoutMs: 10_000 });
    expect(b.app.gunPeer.connectedPeers()).toBe(0);
    // Down for three re-dial periods: the first re-dials fail.
    await sleep(6_500);
    const again = await start({ port });
    await until(() => b.app.gunPeer.connectedPeers() > 0 && again.app.gunPeer.inboundPeers() > 0, {
      what: 'B reconnected to the restarted peer',
      timeoutMs: 10_000,
    });
    // One socket: the re-dials that failed left nothing behind, and no second dial went out.
    await sleep(2_500);
    expect([again.app.gunPeer.inboundPeers(), b.app.gunPeer.connectedPeers()]).toEqual([1, 1]);
    // Still the one configured peer, and it carries writes again.
    expect(Object.keys(b.app.gunPeer.root.opt.peers)).toEqual([first.wsUrl]);
    expect((await http(b.url, 'POST', '/put', { soul: 'after:reconnect', data: { v: 1 } })).status).toBe(200);
    expect(
      await until(() => again.app.gunPeer.store.readNode('after:reconnect'), {
        what: 'the put after the reconnect on the restarted peer',
      }),
    ).toMatchObject({ v: 1 });
  }, 40_000);

  it('stops dialling once peering is closed', async () => {
    const a = await start();
    const b = await start({ peers: [a.wsUrl] });
    await until(() => b.app.gunPeer.connectedPeers() > 0, { what: 'B connected to its peer', timeoutMs: 10_000 });
    await b.app.gunPeer.closePeering();
    expect(Object.keys(b.app.gunPeer.root.opt.peers)).toEqual([]);
    await sleep(2_500);
    expect(a.app.gunPeer.inboundPeers()).toBe(0);
    expect(Object.keys(b.app.gunPeer.root.opt.peers)).toEqual([]);
  }, 20_000);
});
