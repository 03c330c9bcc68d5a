// Hostile GUN wire messages on /gun (auth off, as a legacy relay peers): reserved names in souls,
// keys, links, message ids and handlers must not reach GUN, whose graph, dedup table and event
// tags are plain objects. The rest of each message still works.
import { afterEach, describe, expect, it } from 'vitest';
import { http, useProxies } from '../helpers.js';
import { connectRaw, expectPrototypeUntouched, putRaw, useRawPeers, type RawPeer } from './websocket-helpers.js';

const start = useProxies();
useRawPeers();
afterEach(() => expectPrototypeUntouched());

const RESERVED = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'prototype', 'valueOf'];

/** Sends a good put after the hostile ones and waits for its ack: the hostile ones were handled by then. */
async function barrier(peer: RawPeer, soul: string): Promise<void> {
  const id = `barrier-${soul}`;
  peer.send(putRaw(soul, { ok: 'yes' }, { id }));
  await peer.waitFor((m) => m['@'] === id);
}

async function droppedMetric(url: string, reason: string): Promise<number> {
  const res = await http(url, 'GET', '/metrics');
  expect(res.status).toBe(200);
  const m = new RegExp(`^oip_gunproxy_ws_dropped_messages_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(
    String(res.body),
  );
  return m ? Number(m[1]) : 0;
}

describe('websocket: reserved names never reach GUN', () => {
  it('a put with soul __proto__ (or constructor, toString, ...) stores nothing and pollutes nothing', async () => {
    const p = await start();
    const peer = await connectRaw(p.wsUrl);
    for (const soul of RESERVED) peer.send(putRaw(soul, { _x: 'polluted', a: 'polluted' }));
    // the same soul inside a batch, GUN's other framing
    peer.send(`[${putRaw('__proto__', { b: 'polluted' })},${putRaw('batch:ok', { b: 'kept' })}]`);
    await barrier(peer, 'after:1');
    expectPrototypeUntouched();
    for (const soul of RESERVED) expect(p.app.gunPeer.store.readNode(soul)).toBeUndefined();
    expect(p.app.gunPeer.store.readNode('batch:ok')).toMatchObject({ b: 'kept' });
    expect(await droppedMetric(p.url, 'reserved-name')).toBe(RESERVED.length + 1);
    expect((await http(p.url, 'GET', '/health')).status).toBe(200);
  });

  it('other souls of the same message are stored; reserved keys and links to reserved souls are dropped', async () => {
    const p = await start();
    const peer = await connectRaw(p.wsUrl);
    const s = Date.now();
    const id = 'mixed-1';
    peer.send(
      `{"#":"${id}","put":{` +
        `"__proto__":{"_":{"#":"__proto__",">":{"a":${s}}},"a":"polluted"},` +
        `"good:1":{"_":{"#":"good:1",">":{"__proto__":${s},"constructor":${s},"toString":${s},"b":${s},"link":${s},"bad":${s}}},` +
        `"__proto__":{"polluted":true},"constructor":"x","toString":"y","b":"kept","link":{"#":"good:2"},"bad":{"#":"__proto__"}}}}`,
    );
    await peer.waitFor((m) => m['@'] === id);
    await barrier(peer, 'after:2');
    expectPrototypeUntouched();
    const node = p.app.gunPeer.store.readNode('good:1');
    expect(node).toBeDefined();
    expect(Object.keys(node!).sort()).toEqual(['_', 'b', 'link']);
    expect(node).toMatchObject({ b: 'kept', link: { '#': 'good:2' } });
    expect(p.app.gunPeer.store.readNode('__proto__')).toBeUndefined();
  });

  it('reserved message ids, acks, pids, handlers and gets are dropped; the socket keeps working', async () => {
    const p = await start();
    const peer = await connectRaw(p.wsUrl);
    for (const name of RESERVED) {
      peer.send(putRaw(`id:${name}`, { v: 1 }, { id: name }));
      peer.send(`{"@":${JSON.stringify(name)},"ok":{"@":1}}`);
      peer.send(`{"#":"dam-${name}","dam":${JSON.stringify(name)}}`);
      peer.send(`{"#":"pid-${name}","dam":"?","pid":${JSON.stringify(name)}}`);
      peer.send(`{"#":"get-${name}","get":{"#":${JSON.stringify(name)}}}`);
      peer.send(`{"#":"getkey-${name}","get":{"#":"good:1",".":${JSON.stringify(name)}}}`);
      peer.send(`{"#":"yo-${name}","><":"${name},x","get":{"#":"none:1"}}`);
    }
    await barrier(peer, 'after:3');
    expectPrototypeUntouched();
    for (const name of RESERVED) expect(p.app.gunPeer.store.readNode(`id:${name}`)).toBeUndefined();
    expect(p.app.gunPeer.store.readNode('after:3')).toMatchObject({ ok: 'yes' });
    // 6 names × 7 shapes: 6 dropped, the `><` one cleaned (and counted too)
    expect(await droppedMetric(p.url, 'reserved-name')).toBe(RESERVED.length * 7);
  });
});
