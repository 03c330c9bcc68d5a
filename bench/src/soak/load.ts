import { setMaxListeners } from 'node:events';
import { Pool } from 'undici';
import type { LoadMix } from './scenarios.js';

const PUBLISHER = '10adc0ffee02';
/** Souls written are reused round-robin, so the proxy's storage reaches a plateau. */
const PUT_POOL = 2_000;
const BIG_NAME = 'x'.repeat(256 * 1024);

export interface LoadStats {
  sent: number;
  byStatus: Record<string, number>;
  /** Requests abandoned on purpose (abort op). */
  aborted: number;
  /** Transport errors other than the deliberate aborts. */
  errors: number;
}

type Op = keyof LoadMix;

function picker(mix: LoadMix): () => Op {
  const entries = (Object.entries(mix) as Array<[Op, number]>).filter(([, w]) => w > 0);
  const total = entries.reduce((a, [, w]) => a + w, 0);
  return () => {
    let r = Math.random() * total;
    for (const [op, w] of entries) if ((r -= w) < 0) return op;
    return entries[0]![0];
  };
}

/**
 * Closed-loop load against gun-proxy: `concurrency` loops over one bounded undici pool, paced to
 * about `rps` requests per second in total. Stops when `signal` aborts.
 */
export async function runLoad(
  baseUrl: string,
  mix: LoadMix,
  opts: { concurrency: number; rps: number; signal: AbortSignal },
): Promise<LoadStats> {
  const pool = new Pool(baseUrl, { connections: opts.concurrency, keepAliveTimeout: 10_000 });
  // Each loop waits on the signal at most once at a time: the bound is the concurrency.
  setMaxListeners(opts.concurrency + 10, opts.signal);
  const stats: LoadStats = { sent: 0, byStatus: {}, aborted: 0, errors: 0 };
  const pick = picker(mix);
  const periodMs = (opts.concurrency / opts.rps) * 1000;
  let seq = 0;
  const written: number[] = [];

  async function once(op: Op): Promise<void> {
    const n = seq++;
    let path = '/get?soul=';
    let method: 'GET' | 'POST' = 'GET';
    let body: string | undefined;
    let signal: AbortSignal | undefined;
    switch (op) {
      case 'put': {
        const i = n % PUT_POOL;
        method = 'POST';
        path = '/put';
        body = JSON.stringify({
          soul: `${PUBLISHER}:load-${i}`,
          data: {
            data: {
              basic: { name: `load ${i}`, date: Math.floor(Date.now() / 1000) },
              post: { articleText: 'x'.repeat(1_000 + (n % 2_000)) },
            },
            oip: {
              ver: '0.8.0',
              recordType: 'post',
              creator: { publicKey: 'pk-load', didAddress: 'did:arweave:load' },
            },
          },
        });
        if (written.length < PUT_POOL) written.push(i);
        break;
      }
      case 'getHit':
        path += encodeURIComponent(`${PUBLISHER}:load-${written.length ? written[n % written.length] : 0}`);
        break;
      case 'getMiss':
        // A new soul each time: negative caches in the proxy must stay bounded.
        path += encodeURIComponent(`${PUBLISHER}:missing-${n}`);
        break;
      case 'list':
        path = `/list?publisherHash=${PUBLISHER}&limit=50`;
        break;
      case 'abort':
        // A 256 KB put abandoned after 2 ms: the proxy sees the socket die mid-body.
        method = 'POST';
        path = '/put';
        body = JSON.stringify({
          soul: `${PUBLISHER}:aborted-${n % PUT_POOL}`,
          data: { data: { basic: { name: BIG_NAME } }, oip: { ver: '0.8.0', recordType: 'post' } },
        });
        signal = AbortSignal.timeout(2);
        break;
    }
    stats.sent++;
    try {
      const res = await pool.request({
        method,
        path,
        body,
        headers: body ? { 'content-type': 'application/json' } : {},
        signal,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      await res.body.dump();
      stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1;
    } catch {
      if (op === 'abort') stats.aborted++;
      else stats.errors++;
    }
  }

  async function loop(): Promise<void> {
    while (!opts.signal.aborted) {
      const started = Date.now();
      await once(pick());
      const wait = periodMs - (Date.now() - started);
      if (wait > 0 && !opts.signal.aborted) {
        await new Promise<void>((resolve) => {
          // The listener is removed on every path: one per wait would pile up over a 24 h run.
          const onAbort = () => {
            clearTimeout(t);
            resolve();
          };
          const t = setTimeout(() => {
            opts.signal.removeEventListener('abort', onAbort);
            resolve();
          }, wait);
          opts.signal.addEventListener('abort', onAbort, { once: true });
        });
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: opts.concurrency }, loop));
  } finally {
    await pool.close();
  }
  return stats;
}
