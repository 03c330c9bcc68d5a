// The signatures seen inside the HMAC window, to refuse a replay of a valid signed write.
// In memory: right for one gun-proxy process. Several replicas behind one address would each
// accept a replay once; they would need a shared set (Redis `SET sig 1 NX PX <window>`).
import { LRUCache } from 'lru-cache';

export interface ReplayGuardOptions {
  /** Most signatures remembered at once. */
  max: number;
  /** How long a signature is remembered (the timestamp window: older ones are refused anyway). */
  ttlMs: number;
}

export class ReplayGuard {
  readonly #seen: LRUCache<string, true>;
  readonly #max: number;

  constructor(opts: ReplayGuardOptions) {
    this.#max = opts.max;
    this.#seen = new LRUCache({ max: opts.max, ttl: opts.ttlMs, ttlAutopurge: false });
  }

  get size(): number {
    return this.#seen.size;
  }

  /**
   * Records `signature`: 'replayed' when it was seen inside the window, 'full' when the set holds
   * `max` signatures still inside it (forgetting one would let it be replayed, so the write is refused).
   */
  claim(signature: string): 'ok' | 'replayed' | 'full' {
    if (this.#seen.has(signature)) return 'replayed';
    if (this.#seen.size >= this.#max) {
      this.#seen.purgeStale();
      if (this.#seen.size >= this.#max) return 'full';
    }
    this.#seen.set(signature, true);
    return 'ok';
  }
}
