// Loopback HTTP servers playing a media peer that misbehaves in one way each: a status other than
// 200, a connection reset in the middle of the body, a body shorter than its Content-Length, other
// bytes than the mediaId's, headers that never come. `good` serves the bytes. Closing a peer
// destroys its open connections (the silent one never answers on its own).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type PeerFault = 'status404' | 'status500' | 'reset' | 'short' | 'wrong-hash' | 'silent' | 'good';

export interface FaultPeer {
  fault: PeerFault;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `http://127.0.0.1:<port>` as an allowlist origin. */
  origin: string;
  hits: number;
  close(): Promise<void>;
}

/** A peer that answers every GET per `fault`, with `bytes` as the media it pretends to have. */
export async function startFaultPeer(fault: PeerFault, bytes: Buffer): Promise<FaultPeer> {
  const server = http.createServer((req, res) => {
    peer.hits++;
    const head = { 'content-type': 'application/octet-stream', 'content-length': bytes.length };
    switch (fault) {
      case 'status404':
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Media not found"}');
        return;
      case 'status500':
        // A body long enough not to arrive in one read: it is still streaming when we drop it.
        res.writeHead(500, { 'content-type': 'text/plain' }).end('x'.repeat(256 * 1024));
        return;
      case 'reset':
        res.writeHead(200, head);
        res.write(bytes.subarray(0, bytes.length >> 1), () => setTimeout(() => req.socket.resetAndDestroy(), 20));
        return;
      case 'short':
        res.writeHead(200, head);
        res.write(bytes.subarray(0, bytes.length >> 1), () => setTimeout(() => req.socket.end(), 20));
        return;
      case 'wrong-hash': {
        const other = Buffer.from(bytes);
        other[0] = (other[0] ?? 0) ^ 0xff;
        res.writeHead(200, head).end(other);
        return;
      }
      case 'silent':
        return;
      case 'good':
        res.writeHead(200, head).end(bytes);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const peer: FaultPeer = {
    fault,
    url,
    origin: url,
    hits: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return peer;
}

/** Collects uncaught exceptions and unhandled rejections while `run` runs (none expected). */
export async function uncaughtDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onError = (err: unknown) => seen.push(err);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  try {
    await run();
    // An error emitted on a later tick (undici destroys bodies through setImmediate) still counts.
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  }
  return seen;
}
