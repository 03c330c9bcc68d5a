// Test fixtures for workspaces that exercise dead letters on a real Redis (the sync worker's CLI
// tests, this package's own): a DeadLetterService, the SyncState beside it and the records queue
// under one prefix, and dead letters written the way the worker writes them.
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SYNC_RECORDS_QUEUE, purgePrefix, type DeadLetterPayload } from '@oip/queue-contracts';
import { DeadLetterService } from './dead-letter-service.js';
import { SyncState } from './sync-state.js';

export interface DeadLetterFixtureOptions {
  /** Distinguishes the fixture's DIDs: `did:gun:aaaaaaaaaaaa:<tag><n>`. */
  tag: string;
  /** @defaultValue '7' */
  version?: string;
  /** @defaultValue 'workout' */
  recordType?: string;
  /** @defaultValue 1 */
  attempts?: number;
  /** @defaultValue null */
  recordJson?: string | null;
}

export class DeadLetterFixture {
  readonly dlq: DeadLetterService;
  readonly state: SyncState;
  readonly records: Queue;
  readonly #opts: Required<DeadLetterFixtureOptions>;
  #owned = false;

  /** A fixture on its own connection and a fresh prefix; close() removes the prefix's keys and disconnects. */
  static open(redisUrl: string, opts: DeadLetterFixtureOptions): DeadLetterFixture {
    const fx = new DeadLetterFixture(
      new Redis(redisUrl, { maxRetriesPerRequest: null }),
      `t-dlq-${randomUUID().slice(0, 8)}`,
      opts,
    );
    fx.#owned = true;
    return fx;
  }

  constructor(
    readonly connection: Redis,
    readonly prefix: string,
    opts: DeadLetterFixtureOptions,
  ) {
    this.dlq = new DeadLetterService({ connection, prefix });
    this.state = new SyncState(connection, prefix);
    this.records = new Queue(SYNC_RECORDS_QUEUE, { connection, prefix });
    this.#opts = { version: '7', recordType: 'workout', attempts: 1, recordJson: null, ...opts };
  }

  /**
   * Claims, dead-letters and finishes record `n` as dead with `code` (as degraded when
   * `extra.degraded`); `extra` adds reasons or overrides fields. Returns its DID.
   */
  async add(
    n: number,
    code: DeadLetterPayload['code'],
    message = `failed ${n}`,
    recordType = this.#opts.recordType,
    extra: Partial<DeadLetterPayload> = {},
  ): Promise<string> {
    const { tag, version, attempts, recordJson } = this.#opts;
    const did = `did:gun:aaaaaaaaaaaa:${tag}${n}`;
    await this.state.claim([{ did, version }]);
    await this.dlq.write({
      did,
      soul: did.slice(8),
      recordType,
      version,
      sourceRelay: 'http://127.0.0.1:1',
      code,
      message,
      attempts,
      firstFailedAt: 1000,
      lastFailedAt: 2000,
      recordJson,
      recordTruncated: false,
      replays: 0,
      ...extra,
    });
    await this.state.finish(did, version, 0, extra.degraded === true ? 'degraded' : 'dead', code);
    return did;
  }

  /** A mapping-conflict dead letter for record `n` naming `path` (long vs float unless given). */
  addConflict(
    n: number,
    path: string,
    opts: {
      recordType?: string;
      fixedType?: string;
      incomingType?: string;
      sample?: string;
      degraded?: boolean;
      at?: number;
    } = {},
  ): Promise<string> {
    const at = opts.at ?? 2000;
    return this.add(n, 'SYNC_ERR_MAPPING_CONFLICT', `conflict at ${path}`, opts.recordType ?? this.#opts.recordType, {
      reasons: [
        {
          kind: 'mapping_conflict',
          path,
          fixedType: opts.fixedType ?? 'long',
          incomingType: opts.incomingType ?? 'float',
          sample: opts.sample ?? `[${n}.5]`,
        },
      ],
      firstFailedAt: at,
      lastFailedAt: at,
      ...(opts.degraded === true ? { degraded: true } : {}),
    });
  }

  async close(): Promise<void> {
    await this.records.close();
    await this.dlq.close();
    if (!this.#owned) return;
    await purgePrefix(this.connection, this.prefix);
    await this.connection.quit();
  }
}
