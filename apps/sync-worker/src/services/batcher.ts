// Micro-batcher: callers add one item and await its own result; items are written together
// when `maxItems` are waiting or `maxWaitMs` passed since the first, so the store sees bulk
// writes. Bounded: at most `maxPending` items wait or are being written; more are refused
// (the job retries), so a slow store cannot make this buffer grow.
import { BatchResultsError, BatcherClosedError, BatcherFullError } from '../errors.js';

export interface MicroBatcherOptions<T, R> {
  /** Writes a batch; returns one result per item, in order. A throw rejects every item. */
  flush(items: T[]): Promise<R[]>;
  /** @defaultValue 50 */
  maxItems?: number;
  /** 0 flushes on the next tick of the event loop. @defaultValue 50 */
  maxWaitMs?: number;
  /** @defaultValue 10 × maxItems */
  maxPending?: number;
}

interface Pending<T, R> {
  item: T;
  resolve(r: R): void;
  reject(e: unknown): void;
}

export class MicroBatcher<T, R> {
  readonly #flushFn: (items: T[]) => Promise<R[]>;
  readonly #maxItems: number;
  readonly #maxWaitMs: number;
  readonly #maxPending: number;
  #queue: Array<Pending<T, R>> = [];
  #timer: NodeJS.Timeout | null = null;
  #inFlight = new Set<Promise<void>>();
  #closed = false;
  /** Batches written so far (metrics). */
  batches = 0;

  constructor(opts: MicroBatcherOptions<T, R>) {
    this.#flushFn = opts.flush;
    this.#maxItems = Math.max(1, opts.maxItems ?? 50);
    this.#maxWaitMs = Math.max(0, opts.maxWaitMs ?? 50);
    this.#maxPending = Math.max(this.#maxItems, opts.maxPending ?? this.#maxItems * 10);
  }

  #writingItems = 0;

  /** Items waiting or being written. */
  get pending(): number {
    return this.#queue.length + this.#writingItems;
  }

  add(item: T): Promise<R> {
    if (this.#closed) return Promise.reject(new BatcherClosedError());
    if (this.pending >= this.#maxPending) return Promise.reject(new BatcherFullError(this.#maxPending));
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#queue.length >= this.#maxItems) this.#flushNow();
      else if (!this.#timer) {
        this.#timer = setTimeout(() => this.#flushNow(), this.#maxWaitMs);
      }
    });
  }

  #flushNow(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxItems);
      const p = this.#write(batch).finally(() => this.#inFlight.delete(p));
      this.#inFlight.add(p);
    }
  }

  async #write(batch: Array<Pending<T, R>>): Promise<void> {
    this.batches++;
    this.#writingItems += batch.length;
    try {
      const results = await this.#flushFn(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        const r = results[i];
        if (r === undefined) p.reject(new BatchResultsError(results.length, batch.length));
        else p.resolve(r);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
    } finally {
      this.#writingItems -= batch.length;
    }
  }

  /** Writes what is waiting and waits for every write in progress. */
  async drain(): Promise<void> {
    this.#flushNow();
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /** Refuses new items, then drains. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.drain();
  }
}
