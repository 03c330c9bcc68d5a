// The BullMQ worker of `sync-record` jobs: runs the record processor with the configured
// concurrency, locks and capped backoff, can be paused (memory pressure), and dead-letters the
// jobs BullMQ fails without running the processor (stalled past the limit).
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { SYNC_RECORDS_QUEUE, cappedExponentialBackoff } from '@oip/queue-contracts';
import type { ErrorLogLimiter } from '../health/rate-limited-log.js';
import type { UnprocessedJobs } from './unprocessed-jobs.js';

export interface RecordWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** The record job's processor (processors/sync-record.ts). */
  process(job: Job): Promise<unknown>;
  /** Dead-letters jobs that stalled past the limit (the worker's 'failed' event). */
  unprocessed: Pick<UnprocessedJobs, 'onFailed'>;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  backoffCapMs: number;
  logger: Logger;
  errors: ErrorLogLimiter;
}

export class RecordWorker {
  readonly #worker: Worker;
  readonly #logger: Logger;
  /** Closed while paused: a job fetched after the pause waits here. */
  #gate: { promise: Promise<void>; open(): void } | null = null;

  constructor(o: RecordWorkerOptions) {
    this.#logger = o.logger;
    this.#worker = new Worker(
      SYNC_RECORDS_QUEUE,
      async (job: Job) => {
        // pause() does not stop a fetch already waiting on Redis: a job it brings in after the
        // pause waits here (its lock kept alive by BullMQ) until resume() or close().
        while (this.#gate) await this.#gate.promise;
        return o.process(job);
      },
      {
        connection: o.connection,
        prefix: o.prefix,
        concurrency: o.concurrency,
        lockDuration: o.lockDurationMs,
        stalledInterval: o.stalledIntervalMs,
        maxStalledCount: o.maxStalledCount,
        settings: { backoffStrategy: cappedExponentialBackoff(o.backoffCapMs) },
        autorun: false,
      },
    );
    this.#worker.on('error', (err) => o.errors.error('record-worker', err, 'record worker error'));
    // A job that stalled more than maxStalledCount times fails without running our processor:
    // dead-letter it here so it does not stay "in flight" for ever.
    this.#worker.on('failed', (job: Job | undefined, err: Error) => {
      void o.unprocessed
        .onFailed(job, err)
        .catch((e: unknown) => o.logger.error({ err: e, jobId: job?.id }, 'could not dead-letter stalled job'));
    });
  }

  /** Starts taking jobs. */
  run(): void {
    void this.#worker.run().catch((err: unknown) => this.#logger.error({ err }, 'record worker stopped'));
  }

  /** Stops taking jobs; jobs already fetched wait at the gate. */
  async pause(): Promise<void> {
    let open = () => {};
    this.#gate ??= { promise: new Promise<void>((r) => (open = r)), open: () => open() };
    await this.#worker.pause(true);
  }

  async resume(): Promise<void> {
    this.#openGate();
    await this.#worker.resume();
  }

  /** Lets the active jobs finish (or, with `force`, abandons them to be retried), then closes. */
  async close(force = false): Promise<void> {
    this.#openGate();
    await this.#worker.close(force);
  }

  #openGate(): void {
    this.#gate?.open();
    this.#gate = null;
  }
}
