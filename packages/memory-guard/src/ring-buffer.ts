import { InvalidOptionsError } from './errors.js';

/**
 * Fixed-capacity FIFO: pushing past capacity overwrites the oldest item, so memory held by
 * the sample history never grows with uptime.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  #items: Array<T | undefined>;
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new InvalidOptionsError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    const end = (this.#start + this.#size) % this.capacity;
    this.#items[end] = item;
    if (this.#size < this.capacity) this.#size++;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(this.#start + i) % this.capacity] as T);
    return out;
  }

  last(): T | undefined {
    if (this.#size === 0) return undefined;
    return this.#items[(this.#start + this.#size - 1) % this.capacity];
  }

  clear(): void {
    this.#items = new Array<T | undefined>(this.capacity);
    this.#start = 0;
    this.#size = 0;
  }
}
