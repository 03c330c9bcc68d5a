// How a record job ends, once its payload is known: indexed, gone, dead-lettered, or (degrade
// mode) indexed with conflicting fields set aside and listed in the dead-letter view. Each end is
// one atomic state transition (SyncState.finish); a deletion that landed meanwhile wins.
import type { BulkItemResult, FieldConflict, OipRecord, RecordStore } from '@oip/record-store';
import type { MicroBatcher } from './batcher.js';
import {
  DeadLetterCodes,
  boundReason,
  capRecordJson,
  type DeadLetterCode,
  type DeadLetterReason,
  type SyncRecordPayload,
} from '@oip/queue-contracts';
import type { Logger } from 'pino';
import type { DeadLetterService, SyncState } from '@oip/sync-state';
import { DeadLetteredError } from '../errors.js';
import { timeStage, type SyncStage } from '../health/metrics.js';

export type SyncRecordOutcome = 'indexed' | 'degraded' | 'gone' | 'dead' | 'stale';

/**
 * What every record processor (sync-record, migrate-record) writes and ends a record with: the
 * store behind its micro-batcher, the sync state, the dead-letter queue, its logger and clock.
 */
export interface RecordProcessorDeps {
  batcher: MicroBatcher<OipRecord, BulkItemResult>;
  store: RecordStore;
  state: SyncState;
  deadLetters: DeadLetterService;
  logger: Logger;
  now?: () => number;
}

export interface RecordEndingsDeps {
  state: SyncState;
  deadLetters: DeadLetterService;
  store: RecordStore;
  logger: Logger;
  now: () => number;
  timing?: ((stage: SyncStage, seconds: number) => void) | undefined;
}

export interface DeadLetterInput {
  code: DeadLetterCode;
  message: string;
  /** This attempt's number, the first being 1. */
  attempts: number;
  /** The record as far as it was read (kept, capped, for the operator). */
  record?: unknown;
  reasons?: DeadLetterReason[];
  degraded?: boolean;
}

/** Writes the dead-letter entry of `p` (one per DID: a later failure replaces it). */
export async function writeDeadLetter(
  deps: Pick<RecordEndingsDeps, 'state' | 'deadLetters' | 'now'>,
  p: SyncRecordPayload,
  d: DeadLetterInput,
): Promise<void> {
  const t = deps.now();
  const reasons = d.reasons ?? [];
  await deps.deadLetters.write({
    did: p.did,
    soul: p.soul,
    recordType: p.recordType,
    version: p.version,
    sourceRelay: p.relay,
    code: d.code,
    message: d.message.slice(0, 2048),
    attempts: Math.max(1, d.attempts),
    firstFailedAt: await deps.state.firstFailure(p.did, t),
    lastFailedAt: t,
    ...capRecordJson(d.record),
    replays: p.replay ?? 0,
    ...(reasons.length > 0 ? { reasons: reasons.slice(0, 16) } : {}),
    ...(d.degraded ? { degraded: true } : {}),
  });
}

export const conflictReason = (c: FieldConflict): DeadLetterReason =>
  boundReason({
    kind: 'mapping_conflict',
    path: c.path,
    fixedType: c.fixedType,
    incomingType: c.incomingType,
    sample: c.sample,
  });

export class RecordEndings {
  readonly #d: RecordEndingsDeps;

  constructor(deps: RecordEndingsDeps) {
    this.#d = deps;
  }

  #timed<T>(stage: SyncStage, fn: () => Promise<T>): Promise<T> {
    return timeStage(this.#d.timing, stage, fn);
  }

  /** Written to the store: finished as indexed, unless deleted meanwhile (the deletion wins). */
  async indexed(p: SyncRecordPayload): Promise<SyncRecordOutcome> {
    const fin = await this.#timed('state_finish', () =>
      this.#d.state.finish(p.did, p.version, p.replay ?? 0, 'indexed'),
    );
    if (fin === 'deleted') {
      await this.#d.store.delete(p.did);
      return 'gone';
    }
    return fin === 'stale' ? 'stale' : 'indexed';
  }

  /** Not found, unreadable or deleted: nothing stored. */
  async gone(p: SyncRecordPayload, reason: string): Promise<SyncRecordOutcome> {
    const r = await this.#d.state.finish(p.did, p.version, p.replay ?? 0, 'gone', reason);
    return r === 'stale' ? 'stale' : 'gone';
  }

  /** Writes the dead letter, finishes as dead and throws DeadLetteredError (BullMQ makes no other attempt). */
  async deadLetter(p: SyncRecordPayload, d: DeadLetterInput): Promise<never> {
    await this.#timed('dead_letter', () => writeDeadLetter(this.#d, p, { ...d, degraded: false }));
    await this.#timed('state_finish', () => this.#d.state.finish(p.did, p.version, p.replay ?? 0, 'dead', d.code));
    this.#d.logger.warn(
      {
        did: p.did,
        version: p.version,
        code: d.code,
        attempts: d.attempts,
        paths: d.reasons?.map((r) => r.path) ?? [],
      },
      'record dead-lettered',
    );
    throw new DeadLetteredError(d.code, d.message);
  }

  /** Stored with `conflicts` set aside: the entry stays in the dead-letter view, marked degraded. */
  async degraded(
    p: SyncRecordPayload,
    attempts: number,
    conflicts: FieldConflict[],
    message: string,
    record: unknown,
  ): Promise<SyncRecordOutcome> {
    const code = DeadLetterCodes.MAPPING_CONFLICT;
    const paths = conflicts.map((c) => c.path);
    await writeDeadLetter(this.#d, p, {
      code,
      message: `indexed degraded, set aside: ${paths.join(', ')} (${message})`,
      attempts,
      record,
      reasons: conflicts.map(conflictReason),
      degraded: true,
    });
    const fin = await this.#d.state.finish(p.did, p.version, p.replay ?? 0, 'degraded', code);
    this.#d.logger.warn({ did: p.did, version: p.version, paths }, 'record indexed degraded');
    if (fin === 'deleted') {
      await this.#d.store.delete(p.did);
      await this.#d.deadLetters.forget(p.did);
      return 'gone';
    }
    return fin === 'stale' ? 'stale' : 'degraded';
  }
}
