// Discovery on a schedule: the discovery queue, its BullMQ job scheduler (one pass every
// syncIntervalMs, shared by every worker on the prefix) and the worker that runs the passes one
// at a time. The state watch asks it whether the scheduler still exists and recreates it after a
// Redis state loss. The legacy follow passes (migrate/follow-pass.ts) run on one of their own,
// with their queue, scheduler id and job name (`pass`).
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { DISCOVERY_SCHEDULER_ID, DISCOVER_JOB_OPTIONS, JobNames, SYNC_DISCOVERY_QUEUE } from '@oip/queue-contracts';
import type { ErrorLogLimiter } from '../health/rate-limited-log.js';

export interface DiscoverySchedulerOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** The discover job's processor (processors/discover.ts). */
  process(job: Job): Promise<unknown>;
  intervalMs: number;
  /** The record jobs' lock; a pass gets at least a minute. */
  lockDurationMs: number;
  logger: Logger;
  errors: ErrorLogLimiter;
  /** Another kind of pass on a queue of its own. @defaultValue discovery's queue, scheduler id and job */
  pass?: { queue: string; schedulerId: string; jobName: string; label: string };
}

export class DiscoveryScheduler {
  readonly #o: DiscoverySchedulerOptions;
  readonly #queue: Queue;
  readonly #worker: Worker;
  readonly #pass: NonNullable<DiscoverySchedulerOptions['pass']>;

  constructor(o: DiscoverySchedulerOptions) {
    this.#o = o;
    const pass = (this.#pass = o.pass ?? {
      queue: SYNC_DISCOVERY_QUEUE,
      schedulerId: DISCOVERY_SCHEDULER_ID,
      jobName: JobNames.DISCOVER,
      label: 'discovery',
    });
    this.#queue = new Queue(pass.queue, { connection: o.connection, prefix: o.prefix });
    this.#queue.on('error', (err) => o.errors.error(`${pass.label}-queue`, err, `${pass.label} queue error`));
    this.#worker = new Worker(pass.queue, o.process, {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: 1,
      lockDuration: Math.max(o.lockDurationMs, 60_000),
      autorun: false,
    });
    this.#worker.on('error', (err) => o.errors.error(`${pass.label}-worker`, err, `${pass.label} worker error`));
  }

  async exists(): Promise<boolean> {
    return (await this.#queue.getJobScheduler(this.#pass.schedulerId)) != null;
  }

  /** Creates (or keeps) the scheduler; `startNow` makes its first run due at once. */
  async create(startNow = true): Promise<void> {
    const every = this.#o.intervalMs;
    await this.#queue.upsertJobScheduler(
      this.#pass.schedulerId,
      startNow ? { every } : { every, startDate: Date.now() + every },
      { name: this.#pass.jobName, data: {}, opts: DISCOVER_JOB_OPTIONS },
    );
  }

  /**
   * Starts running passes and schedules them. Upserting an existing scheduler keeps its next run
   * (up to a whole interval away), so on an existing prefix the first pass at start is a one-off
   * job. Its id is per start second, so workers started together add one pass, not one each.
   */
  async start(discoverOnStart: boolean): Promise<void> {
    // Asked before the worker runs: an existing scheduler means a restart on this prefix.
    const existed = await this.exists();
    // One pass at a time across every worker on the prefix (each worker's concurrency 1 alone
    // would let N workers run N passes at once); the api's forced passes rely on it too.
    await this.#queue.setGlobalConcurrency(1);
    void this.#worker
      .run()
      .catch((err: unknown) => this.#o.logger.error({ err }, `${this.#pass.label} worker stopped`));
    await this.create(discoverOnStart);
    if (existed && discoverOnStart) {
      await this.#queue.add(
        this.#pass.jobName,
        {},
        { ...DISCOVER_JOB_OPTIONS, jobId: `${this.#pass.jobName}-start-${Math.floor(Date.now() / 1000)}` },
      );
    }
  }

  /** Lets a running pass finish (or, with `force`, abandons it), then stops the worker. */
  closeWorker(force = false): Promise<void> {
    return this.#worker.close(force);
  }

  /** Closes the queue (after closeWorker). */
  closeQueue(): Promise<void> {
    return this.#queue.close();
  }
}
