// Sync throughput: records/s from discovery to "nothing in flight", through the real pipeline
// (BullMQ on the real Redis, relay reads over loopback HTTP, validation, conversion, SQLite),
// with the store micro-batcher on and off. The worker runs in this process; the fake legacy
// relay in a child process, as a relay is a separate service.
import { type Benchmark, printResult, printTable } from '../benchmark.js';
import { startRelayProcess } from '../sync/relay-process.js';
import { startFixtureWorker } from '../sync/sync-fixture.js';

const GOAL_RECORDS_PER_S = 1000;

interface Run {
  mode: string;
  seconds: number;
  rate: number;
  indexed: number;
  discoveryMs: number;
  /** CPU time of this process (worker + bench) per record, ms: independent of other load on the box. */
  cpuMsPerRecord: number;
}

async function runOnce(relayUrl: string, records: number, mode: string, overrides: Record<string, unknown>): Promise<Run> {
  const fx = await startFixtureWorker(relayUrl, overrides);
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await fx.worker.discoverNow();
    const c = await fx.worker.waitIdle(Math.max(60_000, records * 20));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (c.indexed !== records) throw new Error(`${mode}: indexed ${c.indexed} of ${records}`);
    return { mode, seconds, rate: records / seconds, indexed: c.indexed, discoveryMs: report.durationMs, cpuMsPerRecord: (cpu.user + cpu.system) / 1000 / records };
  } finally {
    await fx.close();
  }
}

export const benchmark: Benchmark = {
  name: 'sync-throughput',
  description: 'records/s through the sync worker (SQLite store), store batching on vs off',
  async run(flags) {
    const records = Number(flags.records ?? 20_000);
    const concurrency = Number(flags.concurrency ?? 100);
    const batchSize = Number(flags['batch-size'] ?? 50);
    const batchMs = Number(flags['batch-ms'] ?? 10);
    const relay = await startRelayProcess(records, 'none');
    try {
      const on = await runOnce(relay.url, records, `batching on (${batchSize} docs / ${batchMs} ms)`, { concurrency, batchSize, batchMs });
      const off = flags['skip-unbatched'] === 'true' ? null : await runOnce(relay.url, records, 'batching off (1 doc per write)', { concurrency, batchSize: 1, batchMs: 0 });
      console.log(`sync-throughput: ${records} records, worker concurrency ${concurrency}, fake legacy relay (child process) + Redis + SQLite on loopback\n`);
      printTable(
        ['mode', 'records', 'seconds', 'records/s', 'worker CPU ms/record', 'discovery ms'],
        [on, off].filter((r): r is Run => r !== null).map((r) => [r.mode, r.indexed, r.seconds.toFixed(2), Math.round(r.rate), r.cpuMsPerRecord.toFixed(3), r.discoveryMs]),
      );
      console.log(
        `\nbaseline: batching off in the same run. legacy (seed 000/003): no throughput figure; it re-fetched and\n` +
          `re-indexed every discovered record on every cycle, one ES request per record.`,
      );
      printResult(
        'sync-throughput',
        {
          records,
          records_per_s: Math.round(on.rate),
          cpu_ms_per_record: on.cpuMsPerRecord.toFixed(3),
          ...(off ? { unbatched_records_per_s: Math.round(off.rate), speedup: (on.rate / off.rate).toFixed(2) } : {}),
        },
        on.rate >= GOAL_RECORDS_PER_S,
      );
    } finally {
      await relay.close();
    }
  },
};
