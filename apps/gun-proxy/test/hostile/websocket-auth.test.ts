// Write auth on the GUN websocket. With token or HMAC auth on, only peers presenting a credential
// on the upgrade request (or the peers we dial ourselves) may write through /gun; with auth off,
// legacy relays peer freely as before.
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import WebSocket from 'ws';
import { loadGun } from '../../src/gun/load-gun.js';
import { http, sampleRecord, useProxies, type Res } from '../helpers.js';
import {
  bareGun,
  closeBareGuns,
  connectRaw,
  putRaw,
  refusedStatus,
  useRawPeers,
  type RawPeer,
} from './websocket-helpers.js';

const start = useProxies();
useRawPeers();
afterEach(() => closeBareGuns());

const TOKEN = 'http-write-token-of-32-characters';
const PEER_TOKEN = 'peer-token-for-relay-one-0123456789';

/** A put from an authenticated socket, acknowledged: writes sent before it were handled by then. */
async function ackedPut(peer: RawPeer, soul: string, values: Record<string, unknown>): Promise<void> {
  const id = `acked-${soul}-${Date.now()}`;
  peer.send(putRaw(soul, values, { id }));
  await peer.waitFor((m) => m['@'] === id);
}

const putHttp = (url: string, soul: string, data: unknown, token?: string): Promise<Res> =>
  http(url, 'POST', '/put', { soul, data }, token ? { authorization: `Bearer ${token}` } : {});

describe('websocket write auth', () => {
  it('auth off: any socket peers and writes (legacy behaviour)', async () => {
    const p = await start();
    const peer = await connectRaw(p.wsUrl);
    await ackedPut(peer, 'open:1', { v: 'stored' });
    expect(p.app.gunPeer.store.readNode('open:1')).toMatchObject({ v: 'stored' });
  });

  it('token mode: the upgrade needs the token or a peer token, as a Bearer header or ?token=', async () => {
    const p = await start({ authMode: 'token', authToken: TOKEN, peerTokens: [PEER_TOKEN] });
    expect(await refusedStatus(p.wsUrl)).toBe(401);
    expect(await refusedStatus(p.wsUrl, { authorization: 'Bearer wrong-token-wrong-token' })).toBe(401);
    expect(await refusedStatus(`${p.wsUrl}?token=wrong-token-wrong-token`)).toBe(401);
    expect(p.app.gunPeer.inboundPeers()).toBe(0);

    const byHeader = await connectRaw(p.wsUrl, { authorization: `Bearer ${TOKEN}` });
    await ackedPut(byHeader, 'auth:header', { v: 1 });
    const byQuery = await connectRaw(`${p.wsUrl}?token=${encodeURIComponent(PEER_TOKEN)}`);
    await ackedPut(byQuery, 'auth:query', { v: 2 });
    expect(p.app.gunPeer.store.readNode('auth:header')).toMatchObject({ v: 1 });
    expect(p.app.gunPeer.store.readNode('auth:query')).toMatchObject({ v: 2 });
  });

  it('hmac mode: the HMAC secret is not a peer credential, peer tokens are', async () => {
    const p = await start({ authMode: 'hmac', authToken: TOKEN, peerTokens: [PEER_TOKEN] });
    expect(await refusedStatus(p.wsUrl, { authorization: `Bearer ${TOKEN}` })).toBe(401);
    expect(await refusedStatus(`${p.wsUrl}?token=${TOKEN}`)).toBe(401);
    const peer = await connectRaw(p.wsUrl, { authorization: `Bearer ${PEER_TOKEN}` });
    await ackedPut(peer, 'hmac:peer', { v: 3 });
    expect(p.app.gunPeer.store.readNode('hmac:peer')).toMatchObject({ v: 3 });
  });

  it('an accepted unauthenticated socket (anonymous reads on) reads but cannot store, overwrite or add registry entries', async () => {
    const p = await start({ authMode: 'token', authToken: TOKEN, wsAnonymousReads: true });
    const soul = 'abc123def456:rec-1';
    const record = sampleRecord(soul);
    expect((await putHttp(p.url, soul, record, TOKEN)).status).toBe(200);
    const before = await http(p.url, 'GET', `/get?soul=${soul}`);
    expect(before.status).toBe(200);

    const anon = await connectRaw(p.wsUrl);
    const later = Date.now() + 1000;
    anon.send(putRaw('anon:new', { v: 'evil' }));
    anon.send(putRaw(soul, { data: '{"evil":true}', oip: '{"evil":true}' }, { state: later }));
    anon.send(putRaw('oip:registry:index:image', { 'evil:1': { '#': 'evil:1' } }));
    anon.send(putRaw('evil:1', { nodeId: 'evil', timestamp: 1 }));
    // The same socket can read: a get is answered with the stored record.
    anon.send(`{"#":"anon-get","get":{"#":${JSON.stringify(soul)}}}`);
    const answer = await anon.waitFor((m) => m['@'] === 'anon-get');
    expect((answer.put as Record<string, unknown>)[soul]).toBeDefined();

    // An authenticated socket's acknowledged put orders after the anonymous ones.
    await ackedPut(await connectRaw(p.wsUrl, { authorization: `Bearer ${TOKEN}` }), 'auth:ok', { v: 1 });
    expect(p.app.gunPeer.store.readNode('auth:ok')).toMatchObject({ v: 1 });
    expect(p.app.gunPeer.store.readNode('anon:new')).toBeUndefined();
    expect(p.app.gunPeer.store.readNode('evil:1')).toBeUndefined();
    expect(p.app.gunPeer.store.readNode('oip:registry:index:image')).toBeUndefined();
    const after = await http(p.url, 'GET', `/get?soul=${soul}`);
    expect(after).toMatchObject({ status: 200, body: before.body });
    const metrics = await http(p.url, 'GET', '/metrics');
    expect(String(metrics.body)).toMatch(
      /^oip_gunproxy_ws_dropped_messages_total\{reason="unauthenticated-write"\} 4$/m,
    );
  });

  it('a relay dialling us with ?token= in its peer URL replicates both ways; without it, nothing', async () => {
    const a = await start({ authMode: 'token', authToken: TOKEN, peerTokens: [PEER_TOKEN] });
    const withToken = await start({ peers: [`${a.wsUrl}?token=${PEER_TOKEN}`] });
    const without = await start({ peers: [a.wsUrl] });
    await until(() => a.app.gunPeer.inboundPeers() === 1 && withToken.app.gunPeer.connectedPeers() === 1, {
      what: 'the token peer',
    });

    expect((await putHttp(withToken.url, 'rel:1', { v: 'from-peer' })).status).toBe(200);
    await until(() => a.app.gunPeer.store.readNode('rel:1'), { what: 'replication to A' });
    expect((await putHttp(a.url, 'rel:2', { v: 'from-a' }, TOKEN)).status).toBe(200);
    await until(() => withToken.app.gunPeer.store.readNode('rel:2'), { what: 'replication from A' });

    expect((await putHttp(without.url, 'rel:3', { v: 'no-token' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(without.app.gunPeer.connectedPeers()).toBe(0);
    expect(a.app.gunPeer.inboundPeers()).toBe(1);
    expect(a.app.gunPeer.store.readNode('rel:3')).toBeUndefined();
  });

  it('peers we dial ourselves are trusted: writes they send us are stored with auth on', async () => {
    const legacy = await start();
    const a = await start({ authMode: 'token', authToken: TOKEN, peers: [legacy.wsUrl] });
    await until(() => legacy.app.gunPeer.inboundPeers() === 1 && a.app.gunPeer.connectedPeers() === 1, {
      what: 'our outbound peer',
    });
    // A write on the relay we dial reaches us over our own outbound socket.
    expect((await putHttp(legacy.url, 'out:1', { v: 'from-relay' })).status).toBe(200);
    await until(() => a.app.gunPeer.store.readNode('out:1'), { what: 'replication over our outbound socket' });
  });

  it('a bare GUN client (gun package, chain API) writes with ?token= in its peer URL, and not without', async () => {
    const p = await start({ authMode: 'token', authToken: TOKEN, peerTokens: [PEER_TOKEN] });
    const Gun = loadGun();
    bareGun(Gun, WebSocket, `${p.wsUrl}?token=${PEER_TOKEN}`).get('bare:1').put({ v: 'with-token' });
    bareGun(Gun, WebSocket, p.wsUrl).get('bare:2').put({ v: 'without' });
    await until(() => p.app.gunPeer.store.readNode('bare:1'), { what: "the bare client's put" });
    expect(p.app.gunPeer.store.readNode('bare:1')).toMatchObject({ v: 'with-token' });
    await new Promise((r) => setTimeout(r, 300));
    expect(p.app.gunPeer.inboundPeers()).toBe(1);
    expect(p.app.gunPeer.store.readNode('bare:2')).toBeUndefined();
  });
});
