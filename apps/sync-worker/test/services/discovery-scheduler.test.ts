// Two workers' discovery schedulers on one prefix run one pass at a time between them: the
// discovery queue's global concurrency is 1, not only each worker's own.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { DISCOVER_JOB_OPTIONS, JobNames, SYNC_DISCOVERY_QUEUE } from '@oip/queue-contracts';
import { DiscoveryScheduler } from '../../src/services/discovery-scheduler.js';
import { createErrorLogLimiter } from '../../src/health/rate-limited-log.js';
import { REDIS_URL, silent } from '../helpers/env.js';

const connection = { url: REDIS_URL };
const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

describe('DiscoveryScheduler', () => {
  it('runs one pass at a time across two workers on the prefix', async () => {
    const prefix = `test-disc-sched-${randomUUID()}`;
    let running = 0;
    let most = 0;
    let done = 0;
    const process = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 300));
      running--;
      done++;
    };
    const make = () =>
      new DiscoveryScheduler({
        connection,
        prefix,
        process,
        intervalMs: 3_600_000,
        lockDurationMs: 60_000,
        logger: silent,
        errors: createErrorLogLimiter(silent),
      });
    const a = make();
    const b = make();
    for (const s of [a, b]) {
      open.push(async () => {
        await s.closeWorker(true);
        await s.closeQueue();
      });
    }
    await a.start(false);
    await b.start(false);
    const queue = new Queue(SYNC_DISCOVERY_QUEUE, { connection, prefix });
    open.push(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });
    expect(await queue.getGlobalConcurrency()).toBe(1);
    await queue.addBulk(
      Array.from({ length: 4 }, (_, i) => ({
        name: JobNames.DISCOVER,
        data: {},
        opts: { ...DISCOVER_JOB_OPTIONS, jobId: `p${i}` },
      })),
    );
    const deadline = Date.now() + 20_000;
    while (done < 4) {
      if (Date.now() > deadline) throw new Error(`only ${done} of 4 passes ran within 20 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(most).toBe(1);
  });
});
