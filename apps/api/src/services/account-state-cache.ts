// The current state of the accounts behind verified tokens (exists? admin?), read through a
// bounded LRU with a short TTL: one store read per account per TTL however many requests it makes,
// concurrent misses share one read, and an account deleted or demoted by the operator's CLI (another
// process, same store) is seen as such within the TTL. Misses are cached too (a deleted account
// stays refused); failed reads are not (the request fails, the next one asks again).
import { LRUCache } from 'lru-cache';
import type { AccountState } from '@oip/service-kit/auth';

export interface AccountStateCacheOptions<S extends AccountState = AccountState> {
  /** The store read: the account's state, or null when there is no account with this id. */
  lookup: (userId: string) => Promise<S | null>;
  /** How long a read answers for, ms; 0 reads the store on every request. */
  ttlMs: number;
  /** Most accounts remembered (least recently used go first). */
  max: number;
  /** Clock for the TTL (tests). @defaultValue performance */
  perf?: { now(): number };
}

interface Entry<S> {
  state: S | null;
}

export class AccountStateCache<S extends AccountState = AccountState> {
  readonly #lookup: AccountStateCacheOptions<S>['lookup'];
  readonly #cache: LRUCache<string, Entry<S>> | null;

  constructor(options: AccountStateCacheOptions<S>) {
    this.#lookup = options.lookup;
    this.#cache =
      options.ttlMs <= 0
        ? null
        : new LRUCache<string, Entry<S>>({
            max: options.max,
            ttl: options.ttlMs,
            // An entry past its TTL is never answered, not even while its refresh is in flight.
            allowStale: false,
            // Read the clock on every lookup instead of caching it for a millisecond.
            ttlResolution: 0,
            ...(options.perf ? { perf: options.perf } : {}),
            fetchMethod: async (userId) => ({ state: await this.#lookup(userId) }),
          });
  }

  /** The account's state now (as of at most ttlMs ago); rejects when the store cannot answer. */
  async get(userId: string): Promise<S | null> {
    if (this.#cache === null) return this.#lookup(userId);
    const entry = await this.#cache.fetch(userId);
    return entry?.state ?? null;
  }

  /** Drops what is remembered of an account (a change made in this process). */
  forget(userId: string): void {
    this.#cache?.delete(userId);
  }

  /** Accounts remembered now. */
  get size(): number {
    return this.#cache?.size ?? 0;
  }
}
