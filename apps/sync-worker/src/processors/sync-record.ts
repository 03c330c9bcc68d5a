// The `sync-record` processor: fetch → validate → convert → batched store write, then a single
// atomic state transition. Permanent failures are dead-lettered and end the job at once
// (UnrecoverableError); transient ones retry with capped backoff until attempts run out, then
// are dead-lettered as exhausted. Nothing retries forever.
import { UnrecoverableError, type Job } from 'bullmq';
import type { GunClient, GunRecordNode } from '@oip/gun-client';
import type { BulkItemResult, OipRecord, RecordStore } from '@oip/record-store';
import {
  DeadLetterCodes,
  SyncRecordPayloadSchema,
  capRecordJson,
  validatePayload,
  type DeadLetterCode,
  type SyncRecordPayload,
} from '@oip/queue-contracts';
import type { Logger } from 'pino';
import type { DeadLetterService } from '@oip/sync-state';
import { StoreTransientError, classifyError } from '../errors.js';
import type { MicroBatcher } from '../services/batcher.js';
import { convertRecord } from '../services/convert-record.js';
import { prepareRecord } from '../services/prepare-record.js';
import type { LinkBounds } from '../services/resolve-links.js';
import { validateRecord } from '../services/validate-record.js';
import type { SyncState } from '@oip/sync-state';

export interface SyncRecordDeps {
  /** One client per relay base URL. */
  relays: ReadonlyMap<string, GunClient>;
  batcher: MicroBatcher<OipRecord, BulkItemResult>;
  store: RecordStore;
  state: SyncState;
  deadLetters: DeadLetterService;
  logger: Logger;
  now?: () => number;
  /** Bounds on GUN links followed per record (resolve-links.ts). @defaultValue 32 links, 1 MiB, 4 levels */
  linkBounds?: LinkBounds;
}

export type SyncRecordOutcome = 'indexed' | 'gone' | 'dead' | 'stale';

/** Thrown once the dead letter is written: BullMQ fails the job without another attempt. */
class DeadLettered extends UnrecoverableError {
  constructor(
    readonly deadLetterCode: DeadLetterCode,
    message: string,
  ) {
    super(`${deadLetterCode}: ${message}`);
  }
}


export function createSyncRecordProcessor(deps: SyncRecordDeps) {
  const now = deps.now ?? Date.now;
  const firstRelay = deps.relays.values().next().value as GunClient | undefined;

  async function deadLetter(p: SyncRecordPayload, job: Job, code: DeadLetterCode, message: string, record: unknown): Promise<never> {
    const t = now();
    const first = await deps.state.firstFailure(p.did, t);
    await deps.deadLetters.write({
      did: p.did,
      soul: p.soul,
      recordType: p.recordType,
      version: p.version,
      sourceRelay: p.relay,
      code,
      message: message.slice(0, 2048),
      attempts: job.attemptsMade + 1,
      firstFailedAt: first,
      lastFailedAt: t,
      ...capRecordJson(record),
      replays: p.replay ?? 0,
    });
    await deps.state.finish(p.did, p.version, p.replay ?? 0, 'dead', code);
    deps.logger.warn({ did: p.did, version: p.version, code, attempts: job.attemptsMade + 1 }, 'record dead-lettered');
    throw new DeadLettered(code, message);
  }

  async function finishGone(p: SyncRecordPayload, reason: string): Promise<SyncRecordOutcome> {
    const r = await deps.state.finish(p.did, p.version, p.replay ?? 0, 'gone', reason);
    return r === 'stale' ? 'stale' : 'gone';
  }

  return async function processSyncRecord(job: Job): Promise<SyncRecordOutcome> {
    let p: SyncRecordPayload;
    try {
      p = validatePayload(SyncRecordPayloadSchema, job.data, 'sync-record payload');
    } catch (err) {
      // A malformed job names no record we could dead-letter; fail it once, loudly.
      throw new UnrecoverableError((err as Error).message);
    }
    // No up-front deletion check: discovery never queues a deleted DID, and a deletion that
    // lands while the job runs is caught atomically by finish() (one Redis round trip saved per record).
    let record: GunRecordNode | null = null;
    try {
      const client = deps.relays.get(p.relay) ?? firstRelay;
      if (!client) throw new Error(`no relay client for ${p.relay}`);
      record = await client.getRecord(p.soul);
      if (!record) return await finishGone(p, 'not_found');
      // Links followed, arrays restored (legacy publishers), before the checks that need values.
      const prepared = await prepareRecord(record, client, deps.linkBounds);
      if (prepared.kind === 'encrypted') return await finishGone(p, 'encrypted');
      record = prepared.record;

      const check = validateRecord(record);
      if (!check.ok) return await deadLetter(p, job, DeadLetterCodes.INVALID_RECORD, check.message, record);

      const result = await deps.batcher.add(convertRecord(record, p.did, new Date(now())));
      if (!result.ok) {
        const e = result.error ?? { code: 'STORE_ERR_INTERNAL', message: 'store refused the record', permanent: true };
        if (e.permanent) {
          const code = e.code === 'STORE_ERR_MAPPING' ? DeadLetterCodes.MAPPING_CONFLICT : DeadLetterCodes.STORE_REJECTED;
          return await deadLetter(p, job, code, `${e.code}: ${e.message}`, record);
        }
        throw new StoreTransientError(e.code, e.message);
      }
      const fin = await deps.state.finish(p.did, p.version, p.replay ?? 0, 'indexed');
      if (fin === 'deleted') {
        // Deleted while we were writing it: the deletion wins.
        await deps.store.delete(p.did);
        return 'gone';
      }
      return fin === 'stale' ? 'stale' : 'indexed';
    } catch (err) {
      if (err instanceof UnrecoverableError) throw err;
      const c = classifyError(err);
      const message = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
      if (c.permanent) return deadLetter(p, job, c.code, message, record);
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        return deadLetter(p, job, DeadLetterCodes.EXHAUSTED, `after ${attempts} attempts: ${message}`, record);
      }
      await deps.state.noteRetry(p.did, now());
      throw err;
    }
  };
}
