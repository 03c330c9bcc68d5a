// Cross-process record state and counters in Redis. Nothing here lives in process memory:
// every worker sharing a queue prefix sees the same states and counters.
//
// Bounds: the state hash holds one small field per record DID ever discovered (the same order
// as the registry indexes and the store); deleted DIDs leave it. The deleted set mirrors the
// deletion registry. The failing hash holds only records currently between retries; the relook
// hash only records gone as not found that may still be looked at again (bounded looks).
import type { RedisConnection } from './redis-connection.js';
import { membersAmong } from './members-among.js';
import { CLAIM_SCRIPT, FINISH_SCRIPT, MARK_DELETED_SCRIPT, REPLAY_SCRIPT } from './lua.js';

/** `degraded`: indexed with its conflicting fields set aside (SYNC_ON_MAPPING_CONFLICT=degrade). */
export type RecordState = 'queued' | 'indexed' | 'gone' | 'dead' | 'degraded';

export interface StateEntry {
  state: RecordState;
  version: string;
  replay: number;
}

export type ClaimOutcome =
  | { kind: 'new' }
  | { kind: 'dedup' }
  | { kind: 'requeue'; replay: number }
  | { kind: 'relook'; replay: number }
  | { kind: 'deleted' };

/**
 * How a record the relay answered 404 for is looked at again on later passes instead of being
 * written off: at most `maxRelooks` times, the k-th look `backoffMs * 2^(k-1)` after the last 404.
 */
export interface RelookPolicy {
  /** @defaultValue 5 */
  maxRelooks: number;
  /** @defaultValue 60000 */
  backoffMs: number;
}

export const DEFAULT_RELOOK: RelookPolicy = { maxRelooks: 5, backoffMs: 60_000 };

/** Counters as stored; `dead:<code>` and `gone:<reason>` break the totals down. */
export interface SyncCounters {
  discovered: number;
  queued: number;
  indexed: number;
  gone: number;
  dead: number;
  /** Records indexed degraded (conflicting fields set aside); a replay that stores one whole counts it indexed. */
  degraded: number;
  deduplicated: number;
  inflight: number;
  retries: number;
  replayed: number;
  deleted: number;
  /** Records gone as not found that were queued again for another look. */
  relooked: number;
  deadByCode: Record<string, number>;
  goneByReason: Record<string, number>;
  /** Deletion entries not applied (bad or foreign signatures, unsigned deletions of signed records), once per DID. */
  deletionsRefused: number;
  deletionsRefusedBy: Record<string, number>;
}

// Every key of one state shares `<prefix>:sync:` (on a cluster the prefix carries a hash tag), so
// each script's KEYS and each MULTI below stay in one slot.
type ScriptedRedis = RedisConnection & {
  oipSyncClaim2(k1: string, k2: string, k3: string, k4: string, ...args: string[]): Promise<string[]>;
  oipSyncFinish2(k1: string, k2: string, k3: string, k4: string, k5: string, ...args: string[]): Promise<number>;
  oipSyncReplay(k1: string, k2: string, ...args: string[]): Promise<number>;
  oipSyncMarkDeleted2(k1: string, k2: string, k3: string, k4: string, ...args: string[]): Promise<number>;
};

const CLAIM_CHUNK = 500;

export function encodeState(e: StateEntry): string {
  return `${e.state}|${e.version}|${e.replay}`;
}

export function decodeState(v: string | null | undefined): StateEntry | null {
  if (!v) return null;
  const [state, version, replay] = v.split('|');
  if (!state || version === undefined) return null;
  return { state: state as RecordState, version, replay: Number(replay ?? 0) };
}

export class SyncState {
  readonly #redis: ScriptedRedis;
  readonly keys: { state: string; counters: string; deleted: string; failing: string; relook: string };
  readonly relook: RelookPolicy;

  /** `redis` is borrowed: the caller closes it. */
  constructor(redis: RedisConnection, prefix: string, opts: { relook?: Partial<RelookPolicy> } = {}) {
    this.#redis = redis as ScriptedRedis;
    this.relook = { ...DEFAULT_RELOOK, ...opts.relook };
    const base = `${prefix}:sync`;
    this.keys = {
      state: `${base}:state`,
      counters: `${base}:counters`,
      deleted: `${base}:deleted`,
      failing: `${base}:failing`,
      relook: `${base}:relook`,
    };
    // v2 names: the scripts' key lists grew (relook); a connection that defined v1 keeps both.
    if (!('oipSyncClaim2' in redis)) {
      redis.defineCommand('oipSyncClaim2', { numberOfKeys: 4, lua: CLAIM_SCRIPT });
      redis.defineCommand('oipSyncFinish2', { numberOfKeys: 5, lua: FINISH_SCRIPT });
      redis.defineCommand('oipSyncReplay', { numberOfKeys: 2, lua: REPLAY_SCRIPT });
      redis.defineCommand('oipSyncMarkDeleted2', { numberOfKeys: 4, lua: MARK_DELETED_SCRIPT });
    }
  }

  /** Claims discovered entries; one outcome per entry, in order. `now` decides which 404ed records are due a relook. */
  async claim(entries: ReadonlyArray<{ did: string; version: string }>, now = Date.now()): Promise<ClaimOutcome[]> {
    const out: ClaimOutcome[] = [];
    for (let i = 0; i < entries.length; i += CLAIM_CHUNK) {
      const chunk = entries.slice(i, i + CLAIM_CHUNK);
      const args = [
        String(chunk.length),
        String(now),
        String(this.relook.backoffMs),
        String(this.relook.maxRelooks),
        ...chunk.flatMap((e) => [e.did, e.version]),
      ];
      const res = await this.#redis.oipSyncClaim2(
        this.keys.state,
        this.keys.counters,
        this.keys.deleted,
        this.keys.relook,
        ...args,
      );
      for (const r of res) {
        if (r.startsWith('requeue:')) out.push({ kind: 'requeue', replay: Number(r.slice(8)) });
        else if (r.startsWith('relook:')) out.push({ kind: 'relook', replay: Number(r.slice(7)) });
        else out.push({ kind: r as 'new' | 'dedup' | 'deleted' });
      }
    }
    return out;
  }

  /**
   * Moves a record from queued (at `version`/`replay`) to its final state. Returns 'finished',
   * 'deleted' (deleted meanwhile, counted as gone) or 'stale' (nothing counted).
   */
  async finish(
    did: string,
    version: string,
    replay: number,
    next: Exclude<RecordState, 'queued'>,
    detail?: string,
    now = Date.now(),
  ): Promise<'finished' | 'deleted' | 'stale'> {
    const counter = next === 'dead' ? 'dead' : next;
    const extra = detail ? `${counter}:${detail}` : '';
    const expected = encodeState({ state: 'queued', version, replay });
    const r = await this.#redis.oipSyncFinish2(
      this.keys.state,
      this.keys.counters,
      this.keys.deleted,
      this.keys.failing,
      this.keys.relook,
      did,
      expected,
      next,
      counter,
      extra,
      String(now),
      String(this.relook.maxRelooks),
    );
    return r === 1 ? 'finished' : r === 2 ? 'deleted' : 'stale';
  }

  /** Puts a dead or degraded record back in flight; the new replay number, or null when it is neither at `version`. */
  async replay(did: string, version: string): Promise<number | null> {
    const n = await this.#redis.oipSyncReplay(this.keys.state, this.keys.counters, did, version);
    return n < 0 ? null : n;
  }

  async markDeleted(dids: readonly string[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < dids.length; i += CLAIM_CHUNK) {
      added += await this.#redis.oipSyncMarkDeleted2(
        this.keys.state,
        this.keys.counters,
        this.keys.deleted,
        this.keys.relook,
        ...dids.slice(i, i + CLAIM_CHUNK),
      );
    }
    return added;
  }

  /** Which of these DIDs are already marked deleted. */
  deletedAmong(dids: readonly string[]): Promise<Set<string>> {
    return membersAmong(this.#redis, this.keys.deleted, dids);
  }

  async isDeleted(did: string): Promise<boolean> {
    return (await this.#redis.sismember(this.keys.deleted, did)) === 1;
  }

  async get(did: string): Promise<StateEntry | null> {
    return decodeState(await this.#redis.hget(this.keys.state, did));
  }

  /** Counts a retry and remembers when this record first failed; returns that time (epoch ms). */
  async noteRetry(did: string, now: number): Promise<number> {
    const [, , first] = (await this.#redis
      .multi()
      .hincrby(this.keys.counters, 'retries', 1)
      .hsetnx(this.keys.failing, did, String(now))
      .hget(this.keys.failing, did)
      .exec()) as Array<[Error | null, unknown]>;
    return Number(first?.[1] ?? now);
  }

  /** First failure time of a record currently failing, or `now`. */
  async firstFailure(did: string, now: number): Promise<number> {
    const v = await this.#redis.hget(this.keys.failing, did);
    return v ? Number(v) : now;
  }

  async counters(): Promise<SyncCounters> {
    const h = await this.#redis.hgetall(this.keys.counters);
    const n = (k: string) => Number(h[k] ?? 0);
    const by = (prefix: string) =>
      Object.fromEntries(
        Object.entries(h)
          .filter(([k]) => k.startsWith(prefix))
          .map(([k, v]) => [k.slice(prefix.length), Number(v)]),
      );
    return {
      discovered: n('discovered'),
      queued: n('queued'),
      indexed: n('indexed'),
      gone: n('gone'),
      dead: n('dead'),
      degraded: n('degraded'),
      deduplicated: n('deduplicated'),
      inflight: n('inflight'),
      retries: n('retries'),
      replayed: n('replayed'),
      deleted: n('deleted'),
      relooked: n('relooked'),
      deadByCode: by('dead:'),
      goneByReason: by('gone:'),
      deletionsRefused: n('deletions_refused'),
      deletionsRefusedBy: by('deletions_refused:'),
    };
  }

  /** Removes every key of this state (tests, `oip dlq` never calls it). */
  async destroy(): Promise<void> {
    await this.#redis.del(this.keys.state, this.keys.counters, this.keys.deleted, this.keys.failing, this.keys.relook);
  }
}

/** discovered = indexed + gone + dead + degraded + deduplicated + inflight. */
export function invariantHolds(c: SyncCounters): boolean {
  return c.discovered === c.indexed + c.gone + c.dead + c.degraded + c.deduplicated + c.inflight;
}
