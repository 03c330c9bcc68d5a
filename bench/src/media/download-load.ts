// Closed-loop downloads on raw keep-alive sockets: each connection GETs the path, counts the body
// bytes of the answer (Content-Length framed) without keeping them, and asks again until the
// deadline. A client this thin costs the same on both sides, so the ratio is the servers'.
// abortedRangeReads(): requests that read the first bytes of a range and cut the connection.
import net from 'node:net';

export interface DownloadResult {
  requests: number;
  bytes: number;
  seconds: number;
  /** Body bytes per second. */
  bytesPerSecond: number;
  statuses: Record<number, number>;
}

const HEADER_END = Buffer.from('\r\n\r\n');

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** One connection's loop; resolves with its counts at the deadline. */
async function connectionLoop(port: number, path: string, deadline: number, out: DownloadResult): Promise<void> {
  const socket = await connect(port);
  socket.setNoDelay(true);
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  await new Promise<void>((resolve, reject) => {
    let head: Buffer | null = Buffer.alloc(0);
    let remaining = 0;
    const next = (): void => {
      if (performance.now() >= deadline) {
        socket.destroy();
        resolve();
        return;
      }
      head = Buffer.alloc(0);
      socket.write(request);
    };
    socket.on('data', (chunk: Buffer) => {
      let body = chunk;
      if (head !== null) {
        const all = head.length ? Buffer.concat([head, chunk]) : chunk;
        const at = all.indexOf(HEADER_END);
        if (at < 0) {
          head = all;
          return;
        }
        const text = all.subarray(0, at).toString('latin1');
        const status = Number(text.slice(9, 12));
        out.statuses[status] = (out.statuses[status] ?? 0) + 1;
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
        if (!length) {
          socket.destroy();
          reject(new Error(`answer without Content-Length: ${text.split('\r\n')[0]}`));
          return;
        }
        remaining = Number(length[1]);
        head = null;
        body = all.subarray(at + 4);
      }
      remaining -= body.length;
      out.bytes += body.length;
      if (remaining <= 0) {
        out.requests++;
        next();
      }
    });
    socket.once('error', reject);
    socket.once('close', () => resolve());
    next();
  });
}

/** `connections` keep-alive connections downloading `path` for `seconds`. */
export async function runDownloads(
  port: number,
  path: string,
  seconds: number,
  connections: number,
): Promise<DownloadResult> {
  const out: DownloadResult = { requests: 0, bytes: 0, seconds: 0, bytesPerSecond: 0, statuses: {} };
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, () => connectionLoop(port, path, deadline, out)));
  out.seconds = (performance.now() - t0) / 1000;
  out.bytesPerSecond = out.bytes / out.seconds;
  return out;
}

/** `total` GETs with a Range from a varying offset, each cut once its first body bytes arrive. */
export async function abortedRangeReads(
  port: number,
  path: string,
  total: number,
  size: number,
  concurrency = 50,
): Promise<number> {
  let next = 0;
  let cut = 0;
  const one = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('no body within 5 s'));
      }, 5000);
      let seen: Buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        seen = seen.length ? Buffer.concat([seen, chunk]) : chunk;
        const at = seen.indexOf(HEADER_END);
        if (at >= 0 && seen.length > at + 4) {
          clearTimeout(timer);
          socket.destroy();
          cut++;
          resolve();
        }
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      const start = Math.floor((i * 7_919_993) % Math.max(1, size - 1));
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=${start}-\r\n\r\n`);
    });
  const worker = async (): Promise<void> => {
    for (let i = next++; i < total; i = next++) await one(i);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return cut;
}
