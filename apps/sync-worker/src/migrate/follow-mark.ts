// The follow passes' high-water mark: the latest `oip.indexedAt` (epoch ms) of the legacy
// documents a pass has queued, in Redis under the worker's prefix, one per followed source, so
// every worker on the prefix (and a restarted one) goes on from where the last pass got to.
import { didKey } from '@oip/queue-contracts';
import type { RedisConnection } from '@oip/sync-state';

export interface FollowMarkValue {
  /** The latest indexedAt queued, in epoch ms. */
  at: number;
  /** When a pass last moved it (epoch ms). */
  savedAt: number;
}

export class FollowMark {
  readonly #redis: RedisConnection;
  readonly #key: string;

  /** `source`: the followed index as a dead letter names it (`legacy-es:<url>/<index>`). */
  constructor(redis: RedisConnection, prefix: string, source: string) {
    this.#redis = redis;
    this.#key = `${prefix}:migrate-follow:mark:${didKey(source)}`;
  }

  async load(): Promise<FollowMarkValue | null> {
    const raw = await this.#redis.get(this.#key);
    if (raw === null) return null;
    const v = JSON.parse(raw) as Partial<FollowMarkValue>;
    return typeof v.at === 'number' && Number.isFinite(v.at) ? { at: v.at, savedAt: Number(v.savedAt ?? 0) } : null;
  }

  async save(at: number, now: number): Promise<void> {
    await this.#redis.set(this.#key, JSON.stringify({ at, savedAt: now } satisfies FollowMarkValue));
  }
}
