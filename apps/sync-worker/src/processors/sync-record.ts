// The `sync-record` processor: fetch → validate → convert → batched store write, then a single
// atomic state transition. Permanent failures are dead-lettered (with structured reasons: the
// conflicting fields or the broken schema rules) and end the job at once (UnrecoverableError);
// transient ones retry with capped backoff until attempts run out, then are dead-lettered as
// exhausted. Nothing retries forever. In degrade mode a record whose only problems are
// conflicting fields is stored with them set aside and kept visible in the dead-letter queue.
import { UnrecoverableError, type Job } from 'bullmq';
import type { GunClient } from '@oip/gun-client';
import {
  convertRecord,
  type GunRecordNode,
  type LinkBounds,
  resolveLinks,
  restoreRecord,
  validateRecord,
} from '@oip/records';
import type { BulkItemResult, FieldConflict, OipRecord, RecordStore } from '@oip/record-store';
import {
  DeadLetterCodes,
  SyncRecordPayloadSchema,
  boundReason,
  capRecordJson,
  validatePayload,
  type DeadLetterCode,
  type DeadLetterReason,
  type SyncRecordPayload,
} from '@oip/queue-contracts';
import type { Logger } from 'pino';
import type { DeadLetterService } from '@oip/sync-state';
import { StoreTransientError, classifyError } from '../errors.js';
import type { MicroBatcher } from '../services/batcher.js';
import { storeDegraded } from '../services/degrade.js';
import { trustRecord, type TrustDeps } from '../services/trust-record.js';
import type { SyncState } from '@oip/sync-state';
import { timeStage, type SyncStage } from '../health/metrics.js';

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
  /** What a mapping conflict does: dead-letter the record, or store it degraded. @defaultValue 'deadletter' */
  onMappingConflict?: 'deadletter' | 'degrade';
  /** Told how long each stage of a record took (the worker's oip_sync_stage_seconds). */
  timing?: (stage: SyncStage, seconds: number) => void;
  /** Signature, unsigned-record and decryption rules (trust-record.ts). */
  trust: Omit<TrustDeps, 'store'>;
}

export type SyncRecordOutcome = 'indexed' | 'degraded' | 'gone' | 'dead' | 'stale';

/** Thrown once the dead letter is written: BullMQ fails the job without another attempt. */
class DeadLettered extends UnrecoverableError {
  constructor(
    readonly deadLetterCode: DeadLetterCode,
    message: string,
  ) {
    super(`${deadLetterCode}: ${message}`);
  }
}

const conflictReason = (c: FieldConflict): DeadLetterReason =>
  boundReason({
    kind: 'mapping_conflict',
    path: c.path,
    fixedType: c.fixedType,
    incomingType: c.incomingType,
    sample: c.sample,
  });

export function createSyncRecordProcessor(deps: SyncRecordDeps) {
  const now = deps.now ?? Date.now;
  const timing = deps.timing;
  const timed = <T>(stage: SyncStage, fn: () => Promise<T>): Promise<T> => timeStage(timing, stage, fn);
  const firstRelay = deps.relays.values().next().value as GunClient | undefined;
  const degrade = deps.onMappingConflict === 'degrade';
  const trustDeps: TrustDeps = { ...deps.trust, store: deps.store };

  async function writeEntry(
    p: SyncRecordPayload,
    job: Job,
    code: DeadLetterCode,
    message: string,
    record: unknown,
    reasons: DeadLetterReason[],
    degraded: boolean,
  ): Promise<void> {
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
      ...(reasons.length > 0 ? { reasons: reasons.slice(0, 16) } : {}),
      ...(degraded ? { degraded: true } : {}),
    });
  }

  async function deadLetter(
    p: SyncRecordPayload,
    job: Job,
    code: DeadLetterCode,
    message: string,
    record: unknown,
    reasons: DeadLetterReason[] = [],
  ): Promise<never> {
    await timed('dead_letter', () => writeEntry(p, job, code, message, record, reasons, false));
    await timed('state_finish', () => deps.state.finish(p.did, p.version, p.replay ?? 0, 'dead', code));
    deps.logger.warn(
      { did: p.did, version: p.version, code, attempts: job.attemptsMade + 1, paths: reasons.map((r) => r.path) },
      'record dead-lettered',
    );
    throw new DeadLettered(code, message);
  }

  /** Stored with `conflicts` set aside: the entry stays in the dead-letter view, marked degraded. */
  async function finishDegraded(
    p: SyncRecordPayload,
    job: Job,
    conflicts: FieldConflict[],
    message: string,
    record: unknown,
  ): Promise<SyncRecordOutcome> {
    const code = DeadLetterCodes.MAPPING_CONFLICT;
    const paths = conflicts.map((c) => c.path);
    await writeEntry(
      p,
      job,
      code,
      `indexed degraded, set aside: ${paths.join(', ')} (${message})`,
      record,
      conflicts.map(conflictReason),
      true,
    );
    const fin = await deps.state.finish(p.did, p.version, p.replay ?? 0, 'degraded', code);
    deps.logger.warn({ did: p.did, version: p.version, paths }, 'record indexed degraded');
    if (fin === 'deleted') {
      await deps.store.delete(p.did);
      await deps.deadLetters.forget(p.did);
      return 'gone';
    }
    return fin === 'stale' ? 'stale' : 'degraded';
  }

  async function finishGone(p: SyncRecordPayload, reason: string): Promise<SyncRecordOutcome> {
    const r = await deps.state.finish(p.did, p.version, p.replay ?? 0, 'gone', reason);
    return r === 'stale' ? 'stale' : 'gone';
  }

  /** A permanent store refusal: degraded when allowed and possible, else dead-lettered with its reasons. */
  async function refused(
    p: SyncRecordPayload,
    job: Job,
    converted: OipRecord,
    e: NonNullable<BulkItemResult['error']>,
    record: unknown,
  ): Promise<SyncRecordOutcome> {
    const code = e.code === 'STORE_ERR_MAPPING' ? DeadLetterCodes.MAPPING_CONFLICT : DeadLetterCodes.STORE_REJECTED;
    const message = `${e.code}: ${e.message}`;
    if (!degrade || e.conflict === undefined)
      return deadLetter(p, job, code, message, record, e.conflict ? [conflictReason(e.conflict)] : []);
    const d = await storeDegraded((r) => deps.batcher.add(r), converted, e.conflict);
    if (d.ok) return finishDegraded(p, job, d.conflicts, message, record);
    const last = d.result?.error;
    if (last !== undefined && !last.permanent) throw new StoreTransientError(last.code, last.message);
    return deadLetter(
      p,
      job,
      code,
      last ? `${last.code}: ${last.message}` : message,
      record,
      d.conflicts.map(conflictReason),
    );
  }

  return async function processSyncRecord(job: Job): Promise<SyncRecordOutcome> {
    let p: SyncRecordPayload;
    try {
      p = validatePayload(SyncRecordPayloadSchema, job.data, 'sync-record payload');
    } catch (err) {
      // A malformed job names no record we could dead-letter; fail it once, loudly.
      throw new UnrecoverableError((err as Error).message);
    }
    if (timing && job.processedOn) timing('queue_wait', Math.max(0, job.processedOn - job.timestamp) / 1000);
    // No up-front deletion check: discovery never queues a deleted DID, and a deletion that
    // lands while the job runs is caught atomically by finish() (one Redis round trip saved per record).
    let record: GunRecordNode | null = null;
    try {
      const client = deps.relays.get(p.relay) ?? firstRelay;
      if (!client) throw new Error(`no relay client for ${p.relay}`);
      const fetchStart = performance.now();
      record = await client.getRecord(p.soul);
      if (!record) {
        timing?.('relay_fetch', (performance.now() - fetchStart) / 1000);
        return await finishGone(p, 'not_found');
      }
      // Links followed; the signature checked and encrypted data opened on the record as its
      // publisher put it; then arrays restored (legacy publishers), before the checks that need values.
      // Throws LinkUnresolvedError (retry) or LinkBoundError (dead letter).
      const resolved = await resolveLinks(record, client, deps.linkBounds);
      timing?.('relay_fetch', (performance.now() - fetchStart) / 1000);
      record = resolved;
      const trusted = await trustRecord(p.soul, p.did, resolved, trustDeps);
      if (trusted.kind === 'dead') return await deadLetter(p, job, trusted.code, trusted.message, resolved);
      if (trusted.kind === 'unreadable') return await finishGone(p, trusted.reason);
      if (trusted.kind === 'deleted') return await finishGone(p, 'deleted_unsigned');
      record = restoreRecord(trusted.record);

      const checkStart = performance.now();
      const check = validateRecord(record);
      if (!check.ok) {
        const reasons = check.failures.map((f) => boundReason({ kind: 'invalid', path: f.path, rule: f.rule }));
        return await deadLetter(p, job, DeadLetterCodes.INVALID_RECORD, check.message, record, reasons);
      }

      const converted = convertRecord(record, p.did, new Date(now()));
      timing?.('validate_convert', (performance.now() - checkStart) / 1000);
      const result = await timed('store_write', () => deps.batcher.add(converted));
      if (!result.ok) {
        const e = result.error ?? { code: 'STORE_ERR_INTERNAL', message: 'store refused the record', permanent: true };
        if (e.permanent) return await refused(p, job, converted, e, record);
        throw new StoreTransientError(e.code, e.message);
      }
      const fin = await timed('state_finish', () => deps.state.finish(p.did, p.version, p.replay ?? 0, 'indexed'));
      if (fin === 'deleted') {
        // Deleted while we were writing it: the deletion wins.
        await deps.store.delete(p.did);
        return 'gone';
      }
      return fin === 'stale' ? 'stale' : 'indexed';
    } catch (err) {
      if (err instanceof UnrecoverableError) throw err;
      const c = classifyError(err);
      const message =
        err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
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
