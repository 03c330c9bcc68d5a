import { LRUCache } from 'lru-cache';

/** Bounds of the not-found cache. */
export interface NegativeCacheOptions {
  /** Entries kept at most (least recently used evicted first). @defaultValue 10000 */
  max?: number;
  /** How long a not-found answer is trusted. @defaultValue 3600000 (1 h) */
  ttlMs?: number;
}

export interface NegativeCacheStats {
  size: number;
  max: number;
  hits: number;
  misses: number;
  evictions: number;
  expirations: number;
}

/** Remembers keys the relay answered "not found" for, so a repeat costs no request. */
export class NegativeCache {
  readonly #lru: LRUCache<string, true>;
  #hits = 0;
  #misses = 0;
  #evictions = 0;
  #expirations = 0;

  constructor(opts: NegativeCacheOptions = {}) {
    this.#lru = new LRUCache<string, true>({
      max: Math.max(1, opts.max ?? 10_000),
      ttl: Math.max(1, opts.ttlMs ?? 3_600_000),
      // No timers: expiry is checked on read, so the cache never holds the event loop open.
      ttlAutopurge: false,
      updateAgeOnGet: false,
      dispose: (_v, _k, reason) => {
        if (reason === 'evict') this.#evictions++;
        else if (reason === 'expire') this.#expirations++;
      },
    });
  }

  /** True (and counted as a hit) when `key` is a remembered miss. */
  has(key: string): boolean {
    const hit = this.#lru.get(key) === true;
    if (hit) this.#hits++;
    else this.#misses++;
    return hit;
  }

  add(key: string): void {
    this.#lru.set(key, true);
  }

  delete(key: string): void {
    this.#lru.delete(key);
  }

  clear(): void {
    this.#lru.clear();
  }

  stats(): NegativeCacheStats {
    return {
      size: this.#lru.size,
      max: this.#lru.max,
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
      expirations: this.#expirations,
    };
  }
}
