// Watches the Redis the worker's state lives in, so that /health and /metrics never wait on it
// and a Redis that came back empty is noticed and repaired:
//
// - Connection status: up while both connections are `ready` and the last check answered.
//   /health and /metrics read counters through here: a fresh read with a short timeout while
//   up, the last-known values at once while down.
// - State loss: an epoch key (`<prefix>:sync:epoch`, a random id) is written at start. A check
//   every `intervalMs` (and at once on reconnect) finds it missing (Redis restarted empty, or
//   flushed) or replaced (another worker found it missing first): the state is lost. The watch
//   counts the loss, calls `onLoss` (the worker recreates the discovery scheduler) and turns on
//   repair mode until a discovery pass that started after the loss has finished and nothing is
//   in flight. The scheduler itself is checked on every tick too.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RedisConnection, SyncCounters, SyncState } from '@oip/sync-state';
import { withDeadline } from '@oip/service-kit';
import { RedisNotReadyError, RedisTimeoutError } from '../errors.js';

export interface StateLoss {
  /** When the last loss was noticed, epoch ms. */
  at: number;
  /** Losses noticed by this process. */
  count: number;
  /** `check` (noticed while running) or `start` (empty state but records in the store). */
  reason: 'check' | 'start';
}

export interface StateWatchOptions {
  /** Connections whose status decides up/down (the first runs the checks). Borrowed. */
  connections: readonly [RedisConnection, ...RedisConnection[]];
  state: SyncState;
  prefix: string;
  logger: Logger;
  /** @defaultValue 5000 */
  intervalMs?: number;
  /** Longest wait for one Redis read on the health paths. @defaultValue 500 */
  readTimeoutMs?: number;
  /** Records in the store, asked once at start to tell a first start from a lost state. */
  storeCount(): Promise<number>;
  scheduler: { exists(): Promise<boolean>; create(): Promise<void> };
  /** Called after a loss is counted (the scheduler is recreated by the watch itself). */
  onLoss?(loss: StateLoss): void;
  now?: () => number;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return withDeadline(p, ms, () => new RedisTimeoutError(ms));
}

export class StateWatch {
  readonly keys: { epoch: string; lastPass: string };
  readonly #o: Required<Omit<StateWatchOptions, 'onLoss'>> & Pick<StateWatchOptions, 'onLoss'>;
  #epoch: string | null = null;
  #last: SyncCounters | null = null;
  #lastAt: number | null = null;
  #checkFailed = false;
  #loss: StateLoss | null = null;
  #repairSince: number | null = null;
  #timer: NodeJS.Timeout | null = null;
  #ticking: Promise<void> | null = null;
  #reading: Promise<SyncCounters | null> | null = null;
  #closed = false;
  readonly #onReady = () => void this.tick();

  constructor(opts: StateWatchOptions) {
    this.#o = { intervalMs: 5000, readTimeoutMs: 500, now: Date.now, ...opts };
    // Beside SyncState's keys, under the same (on a cluster, hash-tagged) prefix: one slot, so MGET works.
    const base = `${opts.prefix}:sync`;
    this.keys = { epoch: `${base}:epoch`, lastPass: `${base}:last-pass` };
  }

  /** Writes or reads the epoch (Redis must answer here: the worker is starting) and starts the checks. */
  async start(): Promise<void> {
    const redis = this.#o.connections[0];
    const mine = randomUUID();
    const created = (await redis.set(this.keys.epoch, mine, 'NX')) === 'OK';
    this.#epoch = created ? mine : await redis.get(this.keys.epoch);
    if (created && (await redis.exists(this.#o.state.keys.counters, this.#o.state.keys.state)) === 0) {
      // A fresh prefix with records already in the store: Redis lost our state while no worker ran.
      const stored = await this.#o.storeCount().catch(() => 0);
      if (stored > 0) this.#noteLoss('start');
    }
    await this.#refresh().catch(() => {});
    for (const c of this.#o.connections) c.on('ready', this.#onReady);
    this.#timer = setInterval(() => void this.tick(), this.#o.intervalMs);
    this.#timer.unref();
  }

  /** Both connections ready and the last check answered. */
  redisUp(): boolean {
    return !this.#checkFailed && this.#o.connections.every((c) => c.status === 'ready');
  }

  stateLost(): StateLoss | null {
    return this.#loss ? { ...this.#loss } : null;
  }

  /** True from a loss until a pass started after it has finished with nothing in flight. */
  repairing(): boolean {
    return this.#repairSince !== null;
  }

  /** When the cached counters were read (epoch ms), null before the first read. */
  countersAt(): number | null {
    return this.#lastAt;
  }

  /** Fresh counters when Redis answers within the read timeout, else the last known (or null). */
  async counters(): Promise<SyncCounters | null> {
    if (!this.redisUp()) return this.#last;
    this.#reading ??= withTimeout(this.#o.state.counters(), this.#o.readTimeoutMs)
      .then(
        (c) => this.#keep(c),
        () => this.#last,
      )
      .finally(() => (this.#reading = null));
    return this.#reading;
  }

  /** Marks a finished discovery pass (any worker's), for the end of repair mode. */
  async passFinished(startedAt: number): Promise<void> {
    await this.#o.connections[0].set(this.keys.lastPass, String(startedAt));
  }

  /** One check; never throws, never overlaps. */
  tick(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#ticking ??= this.#check()
      .then(
        () => {
          this.#checkFailed = false;
        },
        (err: unknown) => {
          this.#checkFailed = true;
          this.#o.logger.debug({ err }, 'state check failed');
        },
      )
      .finally(() => {
        this.#ticking = null;
      });
    return this.#ticking;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    for (const c of this.#o.connections) c.off('ready', this.#onReady);
  }

  async #check(): Promise<void> {
    // Skip while a connection is not ready: the command would wait in ioredis's offline queue.
    if (!this.#o.connections.every((c) => c.status === 'ready')) throw new RedisNotReadyError();
    const redis = this.#o.connections[0];
    const t = this.#o.readTimeoutMs * 2;
    const [epoch, lastPass] = await withTimeout(redis.mget(this.keys.epoch, this.keys.lastPass), t);
    if (epoch !== this.#epoch) {
      if (epoch === null) await withTimeout(redis.set(this.keys.epoch, randomUUID(), 'NX'), t);
      this.#epoch = epoch ?? (await withTimeout(redis.get(this.keys.epoch), t));
      this.#noteLoss('check');
    }
    if (!(await withTimeout(this.#o.scheduler.exists(), t))) {
      this.#o.logger.warn('discovery scheduler missing: recreating it');
      await withTimeout(this.#o.scheduler.create(), t);
    }
    const c = await this.#refresh();
    if (this.#repairSince !== null && c.inflight <= 0 && Number(lastPass ?? 0) >= this.#repairSince) {
      this.#o.logger.info({ since: this.#repairSince }, 'state repaired: repair mode off');
      this.#repairSince = null;
    }
  }

  async #refresh(): Promise<SyncCounters> {
    return this.#keep(await withTimeout(this.#o.state.counters(), this.#o.readTimeoutMs * 2));
  }

  #keep(c: SyncCounters): SyncCounters {
    this.#last = c;
    this.#lastAt = this.#o.now();
    return c;
  }

  #noteLoss(reason: StateLoss['reason']): void {
    const at = this.#o.now();
    this.#loss = { at, count: (this.#loss?.count ?? 0) + 1, reason };
    this.#repairSince = at;
    this.#o.logger.warn(
      { reason, count: this.#loss.count },
      'sync state lost (Redis restarted empty or flushed): recreating the scheduler, repairing from the store',
    );
    this.#o.onLoss?.(this.stateLost()!);
  }
}
