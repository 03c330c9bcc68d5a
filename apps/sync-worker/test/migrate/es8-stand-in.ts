// A loopback stand-in for a legacy node's Elasticsearch 7.x / 8.x: the real node of
// ELASTICSEARCH_URL behind it, refusing what those versions refuse, the 9.x client's
// `compatible-with=9` media types (400 media_type_header_exception). Every request's media types
// are kept in `seen`. close() stops it.
import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface EsStandIn {
  url: string;
  seen: string[];
  close(): Promise<void>;
}

export async function startEs8StandIn(upstream: string): Promise<EsStandIn> {
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const types = `${req.headers['accept'] ?? ''} ${req.headers['content-type'] ?? ''}`;
      seen.push(types);
      const head = { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' };
      if (types.includes('compatible-with=9')) {
        res.writeHead(400, head);
        res.end(
          JSON.stringify({
            error: { type: 'media_type_header_exception', reason: 'Invalid media-type value on headers [Accept]' },
            status: 400,
          }),
        );
        return;
      }
      const body = Buffer.concat(chunks);
      fetch(`${upstream.replace(/\/$/, '')}${req.url}`, {
        method: req.method!,
        headers: { 'content-type': 'application/json' },
        ...(body.length > 0 ? { body } : {}),
      })
        .then(async (up) => {
          res.writeHead(up.status, head);
          res.end(Buffer.from(await up.arrayBuffer()));
        })
        .catch(() => res.destroy());
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
