// Child process of the relay-get benchmark: one gun-proxy (Fastify) and one bare node:http server
// answering `/get?soul=` from the same RelayService (same GUN peer, same SQLite store), seeded with
// records. Prints one JSON line `{ proxyUrl, bareUrl, souls }` on stdout; exits on SIGTERM.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { gunProxyDist } from './proxy-process.js';
import { recordOf, soulOf } from './records.js';

interface RelayLike {
  put(soul: string, data: Record<string, unknown>): Promise<void>;
  get(soul: string): Promise<Record<string, unknown> | undefined>;
}
interface StartedLike {
  url: string;
  app: { relay: RelayLike };
  close(): Promise<void>;
}

const records = Number(process.argv[2] ?? 2000);
const publishers = 200;
const mod = (await import(pathToFileURL(gunProxyDist('testing.js')).href)) as {
  startGunProxy(o: object): Promise<StartedLike>;
};
const proxy = await mod.startGunProxy({ logLevel: 'warn' });
const relay = proxy.app.relay;
for (let i = 0; i < records; i += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, records - i) }, (_, k) =>
      relay.put(soulOf(i + k, publishers), recordOf(i + k, publishers)),
    ),
  );
}

// The bare baseline: same lookup, same body shapes, no framework.
const bare = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const soul = url.searchParams.get('soul');
  const send = (status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  if (url.pathname !== '/get' || !soul) return send(400, { error: 'Soul parameter required' });
  relay.get(soul).then(
    (data) => (data ? send(200, { success: true, data }) : send(404, { error: 'Not found' })),
    () => send(500, { error: 'Internal error' }),
  );
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
console.log(JSON.stringify({ proxyUrl: proxy.url, bareUrl, souls: records, publishers }));

process.once('SIGTERM', () => {
  bare.closeAllConnections();
  bare.close();
  void proxy.close().then(() => process.exit(0));
});
