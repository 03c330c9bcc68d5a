// Seed 003: the legacy ES client ran with the client's default pool (undici, 256 connections,
// 10-minute keep-alive) and sockets grew from 5 to 150+. This drives the same burst of
// concurrent store reads through a client configured like legacy and through our adapter's
// bounded client (maxSockets 10, 30 s keep-alive) against a loopback server posing as ES,
// and counts the sockets each one opens. --store elasticsearch runs the same bursts on a real node
// (elasticsearch/es-sockets-real.ts); goal there (issue 26): ≥ 0.8× the legacy-default client's
// req/s with ≤ 10 % of its sockets.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createElasticsearchRecordStore, createEsClient, type RecordStore } from '@oip/record-store';
import { type Benchmark, numberFlag, printResult, printTable } from '../benchmark.js';
import { runOnRealNode } from '../elasticsearch/es-sockets-real.js';

interface FakeEs {
  server: Server;
  url: string;
  open: Set<Socket>;
  maxOpen: number;
  accepted: number;
}

async function startFakeEs(latencyMs: number): Promise<FakeEs> {
  const fake: FakeEs = { server: createServer(), url: '', open: new Set(), maxOpen: 0, accepted: 0 };
  fake.server.on('connection', (s) => {
    fake.accepted += 1;
    fake.open.add(s);
    fake.maxOpen = Math.max(fake.maxOpen, fake.open.size);
    s.on('close', () => fake.open.delete(s));
  });
  fake.server.on('request', (req, res) => {
    req.resume();
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify({ docs: [] }));
    }, latencyMs);
  });
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', () => r()));
  fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  return fake;
}

async function stopFakeEs(fake: FakeEs): Promise<void> {
  fake.server.closeAllConnections();
  await new Promise<void>((r) => fake.server.close(() => r()));
}

interface Figure {
  maxSockets: number;
  socketsAccepted: number;
  openAfterIdle: number;
  requestsPerSecond: number;
}

/** `rounds` bursts of `concurrency` getMany calls, then 1 s idle. */
async function drive(store: RecordStore, fake: FakeEs, concurrency: number, rounds: number): Promise<Figure> {
  const started = performance.now();
  let done = 0;
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      Array.from({ length: concurrency }, (_, i) => store.getMany([`did:gun:647f79c2a338:r${r}-${i}`])),
    );
    done += concurrency;
  }
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 1000));
  return {
    maxSockets: fake.maxOpen,
    socketsAccepted: fake.accepted,
    openAfterIdle: fake.open.size,
    requestsPerSecond: done / seconds,
  };
}

export const benchmark: Benchmark = {
  name: 'es-sockets',
  description:
    'Seed 003: sockets opened to ES under a burst, legacy-default client vs our bounded pool (fake ES; --store elasticsearch: a real node)',
  async run(flags) {
    if (flags['store'] === 'elasticsearch') return onRealNode(flags);
    if (flags['store'] !== undefined && flags['store'] !== 'fake')
      throw new Error(`--store must be fake or elasticsearch, got "${flags['store']}"`);
    const concurrency = Number(flags['concurrency'] ?? 200);
    const rounds = Number(flags['rounds'] ?? 10);
    const latencyMs = Number(flags['latency'] ?? 20);
    const maxSockets = Number(flags['max-sockets'] ?? 10);

    const legacyFake = await startFakeEs(latencyMs);
    // Legacy: the client's defaults (undici pool of 256 connections, 10-minute keep-alive).
    const legacyClient = createEsClient({
      node: legacyFake.url,
      maxSockets: 256,
      keepAliveTimeoutMs: 600_000,
      maxRetries: 3,
    });
    const legacy = createElasticsearchRecordStore({ client: legacyClient, createIndex: false, guard: false });
    let legacyFig: Figure;
    try {
      legacyFig = await drive(legacy, legacyFake, concurrency, rounds);
    } finally {
      await legacy.close();
      await legacyClient.close();
      await stopFakeEs(legacyFake);
    }

    const oursFake = await startFakeEs(latencyMs);
    const ours = createElasticsearchRecordStore({ node: oursFake.url, maxSockets, createIndex: false, guard: false });
    let oursFig: Figure;
    let openAfterClose: number;
    try {
      oursFig = await drive(ours, oursFake, concurrency, rounds);
      await ours.close();
      await new Promise((r) => setTimeout(r, 100));
      openAfterClose = oursFake.open.size;
    } finally {
      await ours.close();
      await stopFakeEs(oursFake);
    }

    printTable(
      ['measure', 'legacy-default client (same run)', 'ours', 'ratio'],
      [
        [
          'max open sockets',
          legacyFig.maxSockets,
          oursFig.maxSockets,
          `${(legacyFig.maxSockets / Math.max(1, oursFig.maxSockets)).toFixed(1)}x fewer`,
        ],
        ['sockets accepted in total', legacyFig.socketsAccepted, oursFig.socketsAccepted, '-'],
        ['open after 1 s idle', legacyFig.openAfterIdle, oursFig.openAfterIdle, '-'],
        [
          'requests/s',
          legacyFig.requestsPerSecond.toFixed(0),
          oursFig.requestsPerSecond.toFixed(0),
          `${(oursFig.requestsPerSecond / legacyFig.requestsPerSecond).toFixed(2)}x`,
        ],
        ['open after close()', '-', openAfterClose, '-'],
        ['legacy production (seed 003, marked)', '5 -> 150+ in 30 min', `<= ${maxSockets}`, '-'],
      ],
    );
    const goal = oursFig.maxSockets <= maxSockets && openAfterClose === 0 && legacyFig.maxSockets > maxSockets;
    printResult(
      'es-sockets',
      {
        legacy_max_sockets: legacyFig.maxSockets,
        max_sockets: oursFig.maxSockets,
        open_after_close: openAfterClose,
        legacy_rps: legacyFig.requestsPerSecond.toFixed(0),
        rps: oursFig.requestsPerSecond.toFixed(0),
      },
      goal,
    );
  },
};

async function onRealNode(flags: Record<string, string>): Promise<void> {
  const concurrency = Math.round(numberFlag(flags, 'concurrency', 200, 1, 1000));
  const rounds = Math.round(numberFlag(flags, 'rounds', 20, 1, 1000));
  const maxSockets = Math.round(numberFlag(flags, 'max-sockets', 10, 1, 256));
  const r = await runOnRealNode({ concurrency, rounds, maxSockets, heap: flags['heap'] ?? '1g' });
  const rps = (f: { requests: number; seconds: number }) => f.requests / f.seconds;
  const rateRatio = rps(r.ours) / rps(r.legacy);
  const socketShare = r.ours.maxOpen / r.legacy.maxOpen;
  console.log(
    `\n${rounds} bursts of ${concurrency} concurrent getMany (one indexed record each), twice per client (ABBA), on ${r.own ? 'a node of its own' : r.url}`,
  );
  printTable(
    ['measure', 'legacy-default client (same run)', 'ours', 'ours / legacy'],
    [
      ['max open sockets', r.legacy.maxOpen, r.ours.maxOpen, `${(socketShare * 100).toFixed(1)} %`],
      ['sockets opened in total', r.legacy.opened, r.ours.opened, '-'],
      ['open after 1 s idle', r.legacy.openAfterIdle, r.ours.openAfterIdle, '-'],
      ['requests/s', rps(r.legacy).toFixed(0), rps(r.ours).toFixed(0), `${rateRatio.toFixed(2)}x`],
      ['open after close()', '-', r.openAfterClose, '-'],
    ],
  );
  const goal = rateRatio >= 0.8 && socketShare <= 0.1 && r.openAfterClose === 0;
  printResult(
    'es-sockets-real',
    {
      legacy_max_sockets: r.legacy.maxOpen,
      max_sockets: r.ours.maxOpen,
      socket_share: socketShare.toFixed(3),
      legacy_rps: rps(r.legacy).toFixed(0),
      rps: rps(r.ours).toFixed(0),
      rate_ratio: rateRatio.toFixed(2),
      open_after_close: r.openAfterClose,
    },
    goal,
  );
}
