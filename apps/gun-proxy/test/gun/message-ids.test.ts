// GUN acknowledges each key of a put under `<message id><key counter>` and keeps those ids in its
// dedup table (9 s and more). Our own message ids must never take that form, or the receiving
// peer drops a later put as "already seen": with ids made of a prefix and a growing base-36
// counter, message 36·n + k was dropped whenever message n (with more than k keys) had arrived
// shortly before — 25 of 200 records published in one burst never reached the peer (test-e2e
// two-nodes). This file runs in its own process, so our counter starts at 0 here.
import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { nextMessageId } from '../../src/gun/peer-asks.js';
import { http, useProxies } from '../helpers.js';

const start = useProxies();

describe('message ids of our puts and gets', () => {
  it('replicates every one of 300 puts made in one burst by a fresh peer', async () => {
    const a = await start();
    const b = await start({ peers: [a.wsUrl] });
    await until(() => b.app.gunPeer.connectedPeers() > 0 && a.app.gunPeer.connectedPeers() > 0, {
      what: 'A and B peered',
      timeoutMs: 10_000,
    });
    // Ten keys a node: each put's acks use ids <id>0 … <id>9 on the receiving peer.
    const node = (i: number) => Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`k${k}`, `${i}-${k}`]));
    const souls = Array.from({ length: 300 }, (_, i) => `burst:${i}`);
    for (let i = 0; i < souls.length; i += 20) {
      const answers = await Promise.all(
        souls.slice(i, i + 20).map((soul, j) => http(a.url, 'POST', '/put', { soul, data: node(i + j) })),
      );
      expect(answers.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    }
    const missing = () => souls.filter((s) => b.app.gunPeer.store.readNode(s) === undefined);
    await until(() => missing().length === 0, { what: 'every message to arrive', timeoutMs: 10_000 });
    expect(missing()).toEqual([]);
  }, 60_000);

  it('are all of one length, so none is another id followed by a key counter', () => {
    const ids = Array.from({ length: 50_000 }, () => nextMessageId());
    const seen = new Set(ids);
    expect(seen.size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.length)).size).toBe(1);
    const clashes = ids.filter((id) => Array.from({ length: 100 }, (_, k) => `${id}${k}`).some((ack) => seen.has(ack)));
    expect(clashes).toEqual([]);
  });
});
