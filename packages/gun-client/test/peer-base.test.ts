// GUN_PEERS entries name websockets; the relay API behind one is a node's /gun-relay proxy or
// the bare relay, and resolvePeerBase asks which.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { GunErrorCodes, peerBaseCandidates, peerWithoutCredentials, resolvePeerBase } from '../src/index.js';
import { useFakeRelay } from './helpers.js';

describe('peerBaseCandidates', () => {
  it('maps ws peers to /gun-relay then the bare origin, and keeps http bases', () => {
    expect(peerBaseCandidates('ws://h:8765/gun')).toEqual(['http://h:8765/gun-relay', 'http://h:8765']);
    expect(peerBaseCandidates('wss://h.example/gun/')).toEqual(['https://h.example/gun-relay', 'https://h.example']);
    expect(peerBaseCandidates('http://h:3005/gun-relay/')).toEqual(['http://h:3005/gun-relay']);
  });

  it('drops the write token, fragment and user info a GUN_PEERS entry may carry', () => {
    expect(peerBaseCandidates('ws://h:8765/gun?token=abc')).toEqual(['http://h:8765/gun-relay', 'http://h:8765']);
    expect(peerBaseCandidates('wss://u:p@h.example/gun#frag')).toEqual([
      'https://h.example/gun-relay',
      'https://h.example',
    ]);
    expect(peerWithoutCredentials('ws://u:p@h:8765/gun?token=abc')).toBe('ws://h:8765/gun');
    expect(peerWithoutCredentials('http://h:3005/gun-relay')).toBe('http://h:3005/gun-relay');
  });
});

describe('resolvePeerBase', () => {
  const fx = useFakeRelay();

  it('picks the bare relay when /gun-relay is not served there', async () => {
    const port = new URL(fx.relay.url).port;
    const r = await resolvePeerBase(`ws://127.0.0.1:${port}/gun`);
    expect(r.base).toBe(`http://127.0.0.1:${port}`);
    expect(r.tried).toEqual([{ base: `http://127.0.0.1:${port}/gun-relay`, code: 'NOT_RELAY_API' }]);
  });

  it('picks a node proxy at /gun-relay first', async () => {
    const server = http.createServer((req, res) => {
      const ok = req.url?.startsWith('/gun-relay/get');
      res.writeHead(ok ? 400 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: ok ? 'Soul parameter required' : 'Not found' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await resolvePeerBase(`ws://127.0.0.1:${port}/gun`);
      expect(r).toEqual({ peer: `ws://127.0.0.1:${port}/gun`, base: `http://127.0.0.1:${port}/gun-relay`, tried: [] });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('returns no base, with each failure, for a peer that serves neither', async () => {
    const r = await resolvePeerBase('ws://127.0.0.1:1/gun', { connectTimeoutMs: 500 });
    expect(r.base).toBeNull();
    expect(r.tried.map((t) => t.code)).toEqual([GunErrorCodes.CONNECTION, GunErrorCodes.CONNECTION]);
  });
});
