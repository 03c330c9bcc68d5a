// The bare-queue ceiling of the sync pipeline: BullMQ alone on the same Redis, with trivial jobs
// (the processor returns at once), the sync worker's concurrency, job count, payload shape, job
// options and bulk-add chunk. Whatever the worker adds per record (relay read, validation,
// conversion, store write, state script) shows as the distance from this figure.
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { JobNames, purgePrefix, syncRecordJobId, syncRecordJobOptions } from '@oip/queue-contracts';
import { REDIS_URL } from './sync-fixture.js';

/** Jobs per addBulk call, as discovery adds them. */
const ADD_CHUNK = 1000;

export interface CeilingRun {
  jobs: number;
  seconds: number;
  jobsPerS: number;
  /** CPU of this process (producer + worker) per job, ms. */
  cpuMsPerJob: number;
  /** CPU of the Redis server per job, ms (the server is shared: other clients count too). */
  redisCpuMsPerJob: number | null;
}

/** Redis server CPU so far (user + sys), ms; null when INFO has no cpu section. */
export async function redisCpuMs(redis: Redis): Promise<number | null> {
  const info = await redis.info('cpu');
  const user = /used_cpu_user:([\d.]+)/.exec(info)?.[1];
  const sys = /used_cpu_sys:([\d.]+)/.exec(info)?.[1];
  return user && sys ? (Number(user) + Number(sys)) * 1000 : null;
}

/** Adds `jobs` trivial jobs while a worker of `concurrency` consumes them; timed to the last completion. */
export async function runQueueCeiling(
  jobs: number,
  concurrency: number,
  timeoutMs = Math.max(60_000, jobs * 5),
): Promise<CeilingRun> {
  const prefix = `bench-ceiling-${randomUUID().slice(0, 8)}`;
  const queueName = `ceiling-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const connection = redis as unknown as ConnectionOptions;
  const queue = new Queue(queueName, { connection, prefix });
  let done = 0;
  let finish: () => void = () => {};
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const worker = new Worker(queueName, async () => undefined, { connection, prefix, concurrency, autorun: false });
  worker.on('error', () => {});
  worker.on('completed', () => {
    if (++done === jobs) finish();
  });
  const opts = syncRecordJobOptions();
  try {
    const redis0 = await redisCpuMs(redis);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    void worker.run();
    for (let i = 0; i < jobs; i += ADD_CHUNK) {
      const chunk = [];
      for (let j = i; j < Math.min(jobs, i + ADD_CHUNK); j++) {
        // The sync-record payload's shape and size; a deterministic id per job, as discovery gives.
        const did = `did:gun:bench-ceiling:${j}`;
        chunk.push({
          name: JobNames.SYNC_RECORD,
          data: {
            did,
            soul: `bench:${j}`,
            recordType: 'workout',
            version: '1730505600000',
            relay: 'http://127.0.0.1:1',
            discoveredAt: Date.now(),
          },
          opts: { ...opts, jobId: syncRecordJobId(did, '1730505600000') },
        });
      }
      await queue.addBulk(chunk);
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`bare queue: ${done} of ${jobs} jobs done after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([allDone, timedOut]);
    } finally {
      clearTimeout(timer);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const redis1 = await redisCpuMs(redis);
    return {
      jobs,
      seconds,
      jobsPerS: jobs / seconds,
      cpuMsPerJob: (cpu.user + cpu.system) / 1000 / jobs,
      redisCpuMsPerJob: redis0 !== null && redis1 !== null ? (redis1 - redis0) / jobs : null,
    };
  } finally {
    await worker.close(true);
    await queue.close();
    await purgePrefix(redis, prefix);
    await redis.quit();
  }
}
