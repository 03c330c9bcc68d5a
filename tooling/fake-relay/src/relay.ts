// A legacy-compatible GUN relay (paths, status codes and bodies of gun-relay-server) on loopback,
// with scripted faults and request counting, for tests and benchmarks. Not for production.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ActiveFault, type Fault, matches } from './faults.js';
import { type RelayMode, RelayStore } from './store.js';

export interface FakeRelayOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 0 (any free port) */
  port?: number;
  /**
   * 'legacy' behaves as a real legacy relay (GUN behind gun-relay-server) where ours differs:
   * nested objects put are stored as child nodes and `/get` answers them as links
   * `{ "#": "<soul>/<key>" }` (registry index entries written the legacy way, a record's `meta`,
   * an encrypted record's `data`), GUN's `_` metadata comes along, arrays in a put are refused
   * with a 500 as GUN refuses them, misses wait (`missDelayMs`) before the 404, and `/get`
   * ignores `limit`/`after` (no paging, no `next`). Publish into it with LegacyPublisher.
   * @defaultValue 'default'
   */
  mode?: RelayMode;
  /**
   * Delay before a miss answers 404, like the legacy relay's wait for peers (up to 3 s). Keep it
   * small in tests. @defaultValue 0, or 3000 in legacy mode
   */
  missDelayMs?: number;
  /** Bound on stored souls. @defaultValue 200_000 */
  maxSouls?: number;
  /** Bound on request bodies. @defaultValue 5 MiB */
  maxBodyBytes?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  soul: string | undefined;
  status: number;
}

export interface FakeRelay {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly store: RelayStore;
  readonly mode: RelayMode;
  /** Requests received since start or the last `resetCounts()`. */
  readonly requestCount: number;
  /** Requests per path (`/get`, `/put`, …). */
  countByPath(path: string): number;
  /** Requests naming this soul. */
  countBySoul(soul: string): number;
  /** The last 1,000 requests. */
  log(): readonly RequestLogEntry[];
  /** Sockets currently open to the relay. */
  openConnections(): number;
  addFault(fault: Fault): void;
  clearFaults(): void;
  resetCounts(): void;
  close(): Promise<void>;
}

const LOG_MAX = 1000;
const SOUL_COUNT_MAX = 100_000;

export async function startFakeRelay(options: FakeRelayOptions = {}): Promise<FakeRelay> {
  const mode = options.mode ?? 'default';
  const store = new RelayStore(options.maxSouls ?? 200_000, mode);
  const missDelayMs = options.missDelayMs ?? (mode === 'legacy' ? 3000 : 0);
  const maxBody = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const faults: ActiveFault[] = [];
  const byPath = new Map<string, number>();
  const bySoul = new Map<string, number>();
  const log: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let total = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function record(method: string, path: string, soul: string | undefined, status: number): void {
    total++;
    byPath.set(path, (byPath.get(path) ?? 0) + 1);
    if (soul !== undefined && (bySoul.has(soul) || bySoul.size < SOUL_COUNT_MAX))
      bySoul.set(soul, (bySoul.get(soul) ?? 0) + 1);
    log.push({ method, path, soul, status });
    if (log.length > LOG_MAX) log.shift();
  }

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'access-control-allow-origin': '*',
      ...headers,
    });
    res.end(text);
  }

  async function readBody(req: http.IncomingMessage): Promise<string | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBody) return null;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function applyFault(
    fault: ActiveFault,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<number | null> {
    fault.remaining--;
    if (fault.delayMs) await wait(fault.delayMs);
    if (fault.reset) {
      req.socket.destroy();
      return 0;
    }
    if (fault.hang) return -1;
    if (fault.garbage) {
      send(res, 200, '{"success": true, "data": {not json');
      return 200;
    }
    if (fault.bytes !== undefined) {
      const pad = Math.max(0, fault.bytes - 40);
      const head = '{"success":true,"data":{"pad":"';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': head.length + pad + 3 });
      res.write(head);
      const block = Buffer.alloc(64 * 1024, 'x');
      let left = pad;
      while (left > 0 && !res.destroyed) {
        const n = Math.min(left, block.length);
        if (!res.write(block.subarray(0, n))) await new Promise<void>((r) => res.once('drain', r).once('close', r));
        left -= n;
      }
      if (!res.destroyed) res.end('"}}');
      return 200;
    }
    if (fault.status !== undefined) {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      send(res, fault.status, fault.body ?? { error: `injected ${fault.status}` }, headers);
      return fault.status;
    }
    return null; // delay-only fault: carry on normally
  }

  async function route(
    method: string,
    path: string,
    url: URL,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    bodyText: string | null,
  ): Promise<number> {
    let body: Record<string, unknown> = {};
    if (method === 'POST') {
      if (bodyText === null) {
        send(res, 413, { error: 'Payload too large' });
        return 413;
      }
      try {
        body = JSON.parse(bodyText || '{}') as Record<string, unknown>;
      } catch {
        send(res, 400, { error: 'Invalid JSON' });
        return 400;
      }
    }
    if (method === 'POST' && path === '/put') {
      const soul = body.soul;
      const data = body.data;
      if (typeof soul !== 'string' || !soul || typeof data !== 'object' || data === null) {
        send(res, 400, { error: 'soul and data required' });
        return 400;
      }
      try {
        store.put(soul, data as Record<string, unknown>);
      } catch (err) {
        send(res, 500, { error: (err as Error).message });
        return 500;
      }
      send(res, 200, { success: true, soul });
      return 200;
    }
    if (method === 'GET' && path === '/get') {
      const soul = url.searchParams.get('soul');
      if (!soul) {
        send(res, 400, { error: 'Soul parameter required' });
        return 400;
      }
      const node = store.get(soul);
      if (!node) {
        if (missDelayMs) await wait(missDelayMs);
        send(res, 404, { error: 'Not found' });
        return 404;
      }
      send(res, 200, { success: true, data: node });
      return 200;
    }
    if (method === 'GET' && path === '/list') {
      const ph = url.searchParams.get('publisherHash');
      if (!ph) {
        send(res, 400, { error: 'publisherHash parameter required' });
        return 400;
      }
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const records = store.list(ph, url.searchParams.get('recordType') ?? undefined, limit, offset);
      send(res, 200, { success: true, records });
      return 200;
    }
    if (method === 'POST' && path === '/media/manifest') {
      const id = (body.media as Record<string, unknown> | undefined)?.id;
      if (typeof id !== 'string' || !id) {
        send(res, 400, { error: 'mediaId required in manifest' });
        return 400;
      }
      store.put(`media:${id}`, { manifest: JSON.stringify(body) });
      send(res, 200, { success: true, mediaId: id, soul: `media:${id}` });
      return 200;
    }
    if (method === 'GET' && path === '/media/manifest') {
      const id = url.searchParams.get('mediaId');
      if (!id) {
        send(res, 400, { error: 'mediaId parameter required' });
        return 400;
      }
      const node = store.get(`media:${id}`);
      if (!node || typeof node.manifest !== 'string') {
        send(res, 404, { error: 'Manifest not found' });
        return 404;
      }
      send(res, 200, JSON.parse(node.manifest) as unknown);
      return 200;
    }
    if (method === 'POST' && path === '/media/presence') {
      const { mediaId, peerId } = body;
      if (typeof mediaId !== 'string' || typeof peerId !== 'string' || !mediaId || !peerId) {
        send(res, 400, { error: 'mediaId and peerId required' });
        return 400;
      }
      const now = Date.now();
      store.put(`media:${mediaId}:peers:${peerId}`, {
        peerId,
        protocols: JSON.stringify(body.protocols ?? {}),
        endpoints: JSON.stringify(body.endpoints ?? {}),
        lastSeen: now,
        timestamp: now,
      });
      send(res, 200, { success: true, mediaId, peerId });
      return 200;
    }
    if (method === 'GET' && path === '/peers/status') {
      send(res, 200, {
        configuredPeers: [],
        peerCount: 0,
        allowedDomains: [],
        isolationMode: 'isolated',
        multicastDisabled: true,
        axeDisabled: true,
        timestamp: new Date().toISOString(),
      });
      return 200;
    }
    send(res, 404, { error: 'Not found' });
    return 404;
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://relay.invalid');
      const path = url.pathname;
      if (method === 'OPTIONS') {
        send(res, 200, '');
        return;
      }
      const bodyText = method === 'POST' ? await readBody(req) : '';
      let soul = url.searchParams.get('soul') ?? undefined;
      if (soul === undefined && bodyText) {
        try {
          const s = (JSON.parse(bodyText) as { soul?: unknown }).soul;
          if (typeof s === 'string') soul = s;
        } catch {
          // not JSON: the route answers 400
        }
      }
      const fault = faults.find((f) => matches(f, path, soul));
      if (fault) {
        const status = await applyFault(fault, req, res);
        if (status !== null) {
          record(method, path, soul, status);
          return;
        }
      }
      const status = await route(method, path, url, req, res, bodyText);
      record(method, path, soul, status);
    })().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: (err as Error).message });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    store,
    mode,
    get requestCount() {
      return total;
    },
    countByPath: (p) => byPath.get(p) ?? 0,
    countBySoul: (s) => bySoul.get(s) ?? 0,
    log: () => log,
    openConnections: () => sockets.size,
    addFault(fault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    resetCounts() {
      total = 0;
      byPath.clear();
      bySoul.clear();
      log.length = 0;
    },
    async close() {
      faults.length = 0;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
