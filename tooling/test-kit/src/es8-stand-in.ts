// A loopback stand-in for an Elasticsearch 8.x node in front of a real node (any version): it
// refuses what 8.x refuses from the 9.x client, the `compatible-with=9` media types (400
// media_type_header_exception, "Accept version must be either version 8 or 7, but found 9"), and
// passes every other request on in plain JSON. The real 7.17 takes those media types, so this is
// how a test shows a legacy client speaks plain JSON. Each request's media types go into `seen`.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Es8StandIn {
  readonly url: string;
  /** `accept` and `content-type` of each request, in arrival order. */
  readonly seen: string[];
  /** How many requests were refused for their media types. */
  readonly refused: () => number;
  close(): Promise<void>;
}

const HEAD = { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' };

export async function startEs8StandIn(upstream: string): Promise<Es8StandIn> {
  const base = upstream.replace(/\/+$/u, '');
  const seen: string[] = [];
  let refused = 0;
  const pass = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    fetch(`${base}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers: { 'content-type': 'application/json' },
      ...(body.length > 0 ? { body } : {}),
      signal: AbortSignal.timeout(30_000),
    })
      .then(async (up) => {
        res.writeHead(up.status, HEAD);
        res.end(Buffer.from(await up.arrayBuffer()));
      })
      .catch(() => res.destroy());
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const types = `${req.headers['accept'] ?? ''} | ${req.headers['content-type'] ?? ''}`;
      seen.push(types);
      if (!types.includes('compatible-with=9')) return pass(req, res, Buffer.concat(chunks));
      refused++;
      res.writeHead(400, HEAD);
      res.end(
        JSON.stringify({
          error: {
            type: 'media_type_header_exception',
            reason: 'Invalid media-type value on headers [Accept, Content-Type]',
          },
          status: 400,
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
