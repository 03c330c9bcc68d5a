// What the sync-worker remembers of deletion entries it did not apply (discovery.ts decides):
// refused ones (a bad or foreign signature, or an unsigned deletion of a signed record), counted
// once per DID and by problem, and looked at again only after a pause; and unsigned deletions of
// records this node does not hold, which apply only to an unsigned version that arrives later.
// Bounds: both keys hold at most one field per DID in the relays' deletion registries.
import { membersAmong } from './members-among.js';
import type { RedisConnection } from './redis-connection.js';

const CHUNK = 500;

export class DeletionLedger {
  readonly #redis: RedisConnection;
  readonly keys: { refused: string; unsigned: string; counters: string };

  /** `prefix` as SyncState's (its counters hash is shared). `redis` is borrowed. */
  constructor(redis: RedisConnection, prefix: string) {
    this.#redis = redis;
    const base = `${prefix}:sync`;
    this.keys = {
      refused: `${base}:deletions-refused`,
      unsigned: `${base}:deletions-unsigned`,
      counters: `${base}:counters`,
    };
  }

  /** Records a refused deletion (counted once per DID: `deletions_refused` and `deletions_refused:<problem>`). */
  async refuse(did: string, problem: string, now = Date.now()): Promise<boolean> {
    // HSET answers 1 for a new field; a refusal seen again only moves its time on.
    const added = await this.#redis.hset(this.keys.refused, did, `${now}|${problem}`);
    if (added !== 1) return false;
    await this.#redis
      .multi()
      .hincrby(this.keys.counters, 'deletions_refused', 1)
      .hincrby(this.keys.counters, `deletions_refused:${problem}`, 1)
      .exec();
    return true;
  }

  /** Which of these DIDs were refused less than `pauseMs` ago (not worth fetching again yet). */
  async recentlyRefused(dids: readonly string[], pauseMs: number, now = Date.now()): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < dids.length; i += CHUNK) {
      const chunk = dids.slice(i, i + CHUNK);
      const values = await this.#redis.hmget(this.keys.refused, ...chunk);
      chunk.forEach((did, j) => {
        const at = Number((values[j] ?? '').split('|')[0]);
        if (values[j] && now - at < pauseMs) out.add(did);
      });
    }
    return out;
  }

  /** Forgets a refusal (the deletion was applied after all). */
  async clearRefusal(did: string): Promise<void> {
    await this.#redis.hdel(this.keys.refused, did);
  }

  /** An unsigned deletion of a record not held here. */
  async noteUnsigned(did: string): Promise<void> {
    await this.#redis.sadd(this.keys.unsigned, did);
  }

  unsignedAmong(dids: readonly string[]): Promise<Set<string>> {
    return membersAmong(this.#redis, this.keys.unsigned, dids);
  }

  async hasUnsigned(did: string): Promise<boolean> {
    return (await this.#redis.sismember(this.keys.unsigned, did)) === 1;
  }

  /** Removes this ledger's keys (tests). The counters stay with SyncState's. */
  async destroy(): Promise<void> {
    await this.#redis.del(this.keys.refused, this.keys.unsigned);
  }
}
