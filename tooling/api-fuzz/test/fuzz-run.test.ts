// runFuzz against a real loopback server that fails one way on purpose: a 500 when a query value
// holds a NUL. Same seed, same requests; every request answered; the failure found, replayed
// alone and shrunk to a small request that still fails the same way.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuzzSender, runFuzz, type FuzzRequest } from '../src/index.js';
import { hostileString } from '../src/hostile-values.js';

let server: Server;
let sender: FuzzSender;

beforeAll(async () => {
  server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    req.resume();
    const nul = [...q.values()].some((v) => v.includes('\u0000'));
    res
      .writeHead(nul ? 500 : 200, { 'content-type': 'application/json' })
      .end(JSON.stringify(nul ? { error: { code: 'T_INTERNAL' } } : { ok: true }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const empty = { did: [], deletable: [], media: [], creator: [], pubkey: [], email: [], soul: [], handle: [] };
  sender = new FuzzSender(
    {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      fixtures: empty,
      tokens: { user: 'u', admin: 'a', deleted: 'd' },
    },
    { connections: 4 },
  );
});

afterAll(async () => {
  await sender.close();
  await new Promise((r) => server.close(r));
});

const arbitrary: fc.Arbitrary<FuzzRequest> = fc
  .record({
    a: fc.string({ maxLength: 6 }),
    b: fc.oneof({ weight: 6, arbitrary: fc.string({ maxLength: 6 }) }, hostileString),
    pad: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  })
  .map(({ a, b, pad }) => ({
    route: 'GET /t',
    kind: 'valid',
    method: 'GET',
    segments: ['t', ...pad],
    query: [
      ['a', a],
      ['b', b],
    ],
    identity: 'anonymous',
    headers: {},
  }));

describe('runFuzz', () => {
  it('sends exactly the requests asked for, finds the 500s and shrinks one to a small request failing the same way', async () => {
    const report = await runFuzz({ arbitrary, send: (r) => sender.send(r), seed: 42, requests: 600, concurrency: 4 });
    expect(report.sent).toBe(600);
    expect(report.byStatus.get(0) ?? 0).toBe(0);
    expect(report.failureCount).toBeGreaterThan(0);
    expect(report.failureCount).toBe(report.byStatus.get(500));
    const [s] = report.shrunk;
    expect(s?.outcome?.status).toBe(500);
    const b = s!.shrunk!.query.find(([k]) => k === 'b')![1];
    expect(b).toContain('\u0000');
    expect(b.length).toBeLessThanOrEqual(3);
    expect(s!.shrunk!.segments).toEqual(['t']);
  });

  it('generates the same requests from the same seed', async () => {
    const seen: string[][] = [[], []];
    for (const i of [0, 1]) {
      await runFuzz({
        arbitrary,
        send: async (r) => (seen[i]!.push(JSON.stringify(r)), { status: 200, ms: 0 }),
        seed: 9,
        requests: 50,
        concurrency: 1,
      });
    }
    expect(seen[0]).toEqual(seen[1]);
  });
});
