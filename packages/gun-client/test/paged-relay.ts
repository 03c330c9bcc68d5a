// A loopback relay that answers the paged `/get?soul&limit&after` of the shared contract
// (paged-get.md) from a map of nodes, resolving links one level, for gun-client tests that must
// not wait for gun-proxy. Counts requests per path shape.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PagedRelay {
  url: string;
  nodes: Map<string, Record<string, unknown>>;
  /** `page` (with limit), `get` (without), `link` (a child soul read). */
  counts: { page: number; get: number; link: number };
  close(): Promise<void>;
}

const isLink = (v: unknown): v is { '#': string } =>
  typeof v === 'object' && v !== null && typeof (v as { '#'?: unknown })['#'] === 'string';

/** `resolveLinks`: how many links per page are resolved in place (the rest stay links, as past a byte budget). */
export async function startPagedRelay(opts: { resolveLinks?: number } = {}): Promise<PagedRelay> {
  const nodes = new Map<string, Record<string, unknown>>();
  const counts = { page: 0, get: 0, link: 0 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const soul = url.searchParams.get('soul');
    if (url.pathname !== '/get') return send(404, { error: 'Not found' });
    if (!soul) return send(400, { error: 'Soul parameter required' });
    const node = nodes.get(soul);
    if (!node) return send(404, { error: 'Not found' });
    const limit = url.searchParams.get('limit');
    if (limit === null) {
      if (soul.includes('/')) counts.link++;
      else counts.get++;
      return send(200, { success: true, data: node });
    }
    counts.page++;
    const after = url.searchParams.get('after');
    const keys = Object.keys(node)
      .filter((k) => node[k] !== null && (after === null || k > after))
      .sort();
    const taken = keys.slice(0, Number(limit));
    let budget = opts.resolveLinks ?? Number.POSITIVE_INFINITY;
    const data: Record<string, unknown> = {};
    for (const k of taken) {
      const v = node[k];
      if (isLink(v) && budget > 0 && nodes.has(v['#'])) {
        budget--;
        data[k] = nodes.get(v['#']);
      } else data[k] = v;
    }
    send(200, {
      success: true,
      data,
      next: taken.length === Number(limit) && keys.length > taken.length ? (taken.at(-1) ?? null) : null,
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    nodes,
    counts,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
