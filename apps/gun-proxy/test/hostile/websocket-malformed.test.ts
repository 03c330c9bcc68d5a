// Garbage on /gun: bad JSON, non-objects, deep nesting, non-GUN values, oversized frames. The
// process stays up, /metrics answers, the socket that sent valid messages still works.
import { afterEach, describe, expect, it } from 'vitest';
import { http, useProxies } from '../helpers.js';
import { connectRaw, expectPrototypeUntouched, putRaw, useRawPeers } from './websocket-helpers.js';

const start = useProxies();
useRawPeers();
afterEach(() => expectPrototypeUntouched());

describe('websocket: malformed input', () => {
  it('bad JSON, non-objects, deep nesting and non-GUN values write nothing and break nothing', async () => {
    const p = await start();
    const peer = await connectRaw(p.wsUrl);
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const deepObj = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    for (const raw of ['{', '[', 'null', '5', '"x"', '[1,"x",null]', '[["[", 1]]', deep, deepObj, `[${deepObj}]`])
      peer.send(raw);
    const s = Date.now();
    peer.send(`{"#":"deep-put","put":{"d:1":{"_":{"#":"d:1",">":{"v":${s}}},"v":${deepObj}}}}`);
    peer.send(`{"#":"arr-put","put":{"d:2":{"_":{"#":"d:2",">":{"v":${s}}},"v":[1,2]}}}`);
    peer.send(`{"#":"nostate","put":{"d:3":{"_":{"#":"d:3",">":{}},"v":"no state"}}}`);
    peer.send(`{"#":"badstate","put":{"d:4":{"_":{"#":"d:4",">":{"v":"soon"}},"v":"x"}}}`);
    peer.send(`{"#":"nometa","put":{"d:5":{"v":"x"}}}`);
    peer.send(`{"#":"notnode","put":{"d:6":"x"}}`);
    peer.send(`{"#":"putstr","put":"x"}`);
    // a valid put on the same socket still lands
    peer.send(putRaw('fine:1', { v: 'ok' }, { id: 'fine-1' }));
    await peer.waitFor((m) => m['@'] === 'fine-1');
    expect(p.app.gunPeer.store.readNode('fine:1')).toMatchObject({ v: 'ok' });
    for (const soul of ['d:1', 'd:2', 'd:3', 'd:4', 'd:5', 'd:6'])
      expect(p.app.gunPeer.store.readNode(soul)).toBeUndefined();
    const metrics = await http(p.url, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(String(metrics.body)).toMatch(/^oip_gunproxy_ws_dropped_messages_total\{reason="malformed"\} 7$/m);
    expect((await http(p.url, 'GET', '/health')).status).toBe(200);
  });

  it('a frame over the message cap closes that socket only', async () => {
    const p = await start({ maxPeerMessageBytes: 64 * 1024 });
    const big = await connectRaw(p.wsUrl);
    const other = await connectRaw(p.wsUrl);
    const closed = new Promise<number>((resolve) => big.ws.once('close', (code) => resolve(code)));
    big.send(putRaw('big:1', { v: 'x'.repeat(70 * 1024) }));
    expect(await closed).toBe(1009);
    other.send(putRaw('small:1', { v: 'ok' }, { id: 'small-1' }));
    await other.waitFor((m) => m['@'] === 'small-1');
    expect(p.app.gunPeer.store.readNode('big:1')).toBeUndefined();
    expect(p.app.gunPeer.store.readNode('small:1')).toMatchObject({ v: 'ok' });
    expect((await http(p.url, 'GET', '/metrics')).status).toBe(200);
  });
});
