// The `sync-record` processor. Its door checks the job's payload, once; the record then takes the
// pipeline's steps: its relay's client → (repair mode) finished from the store when it holds this
// version → fetch with links → trust (signature, encryption, unsigned deletion) → convertGunRecord
// (arrays restored, validated, converted: the api's relay reads use it too) → batched store write stamped with the job's version → one atomic state
// transition (services/record-endings.ts). Permanent failures are dead-lettered (with structured
// reasons: the conflicting fields or the broken schema rules) and end the job at once
// (UnrecoverableError); transient ones retry with capped backoff until attempts run out, then are
// dead-lettered as exhausted. Nothing retries forever. In degrade mode a record whose only problems
// are conflicting fields is stored with them set aside and kept visible in the dead-letter queue.
import { UnrecoverableError, type Job } from 'bullmq';
import type { GunClient } from '@oip/gun-client';
import { convertGunRecord, type GunRecordNode, type LinkBounds, resolveLinks } from '@oip/records';
import type { BulkItemResult, OipRecord } from '@oip/record-store';
import {
  DeadLetterCodes,
  JobNames,
  SyncRecordPayloadSchema,
  boundReason,
  validatePayload,
  type SyncRecordPayload,
} from '@oip/queue-contracts';
import { InvalidPayloadError, StoreTransientError, classifyError } from '../errors.js';
import { timeStage, type SyncStage } from '../health/metrics.js';
import { storeDegraded } from '../services/degrade.js';
import {
  RecordEndings,
  conflictReason,
  type RecordProcessorDeps,
  type SyncRecordOutcome,
} from '../services/record-endings.js';
import { trustRecord, type TrustDeps } from '../services/trust-record.js';
import { finishFromStore, withSyncVersion } from '../state/store-repair.js';
import { createMigrateRecordProcessor, type LegacyClient } from './migrate-record.js';

export type { SyncRecordOutcome } from '../services/record-endings.js';

export interface SyncRecordDeps extends RecordProcessorDeps {
  /** One client per relay key; a job naming another relay is dead-lettered, never read elsewhere. */
  relays: ReadonlyMap<string, GunClient>;
  /** Bounds on GUN links followed per record (@oip/records resolveLinks). @defaultValue 32 links, 1 MiB, 4 levels */
  linkBounds?: LinkBounds;
  /** What a mapping conflict does: dead-letter the record, or store it degraded. @defaultValue 'deadletter' */
  onMappingConflict?: 'deadletter' | 'degrade';
  /** Told how long each stage of a record took (the worker's oip_sync_stage_seconds). */
  timing?: (stage: SyncStage, seconds: number) => void;
  /** Signature, unsigned-record and decryption rules (trust-record.ts). */
  trust: Omit<TrustDeps, 'store'>;
  /** Repair mode (StateWatch.repairing), after a Redis state loss. @defaultValue never */
  repairing?: () => boolean;
  /** Told of each job finished from the store in repair mode. */
  onRepaired?: () => void;
  /**
   * Legacy Elasticsearch clients by URL (MIGRATE_ELASTICSEARCH_URL) for migrate-record jobs, the
   * replays of migrated records (processors/migrate-record.ts). @defaultValue none: such a job is
   * dead-lettered as SYNC_ERR_RELAY_NOT_CONFIGURED
   */
  legacySources?: ReadonlyMap<string, LegacyClient>;
}

/** A job past the door: its payload, and where it stands in its attempts. */
interface RecordJob {
  p: SyncRecordPayload;
  /** This attempt's number, the first being 1. */
  attempt: number;
  /** Attempts allowed. */
  attempts: number;
}

export function createSyncRecordProcessor(deps: SyncRecordDeps): (job: Job) => Promise<SyncRecordOutcome> {
  const now = deps.now ?? Date.now;
  const timing = deps.timing;
  const timed = <T>(stage: SyncStage, fn: () => Promise<T>): Promise<T> => timeStage(timing, stage, fn);
  const degrade = deps.onMappingConflict === 'degrade';
  const trustDeps: TrustDeps = { ...deps.trust, store: deps.store };
  const ends = new RecordEndings({ ...deps, now, timing });
  const migrate = createMigrateRecordProcessor({ ...deps, sources: deps.legacySources ?? new Map(), now });

  /** The door. A malformed job names no record we could dead-letter: it fails once, loudly. */
  function admit(job: Job): RecordJob {
    try {
      const p = validatePayload(SyncRecordPayloadSchema, job.data, 'sync-record payload');
      return { p, attempt: job.attemptsMade + 1, attempts: job.opts.attempts ?? 1 };
    } catch (err) {
      throw new InvalidPayloadError((err as Error).message);
    }
  }

  /** A permanent store refusal: degraded when allowed and possible, else dead-lettered with its reasons. */
  async function refused(
    j: RecordJob,
    write: (r: OipRecord) => Promise<BulkItemResult>,
    converted: OipRecord,
    e: NonNullable<BulkItemResult['error']>,
    record: unknown,
  ): Promise<SyncRecordOutcome> {
    const code = e.code === 'STORE_ERR_MAPPING' ? DeadLetterCodes.MAPPING_CONFLICT : DeadLetterCodes.STORE_REJECTED;
    const message = `${e.code}: ${e.message}`;
    const attempts = j.attempt;
    if (!degrade || e.conflict === undefined) {
      const reasons = e.conflict ? [conflictReason(e.conflict)] : [];
      return ends.deadLetter(j.p, { code, message, attempts, record, reasons });
    }
    const d = await storeDegraded(write, converted, e.conflict);
    if (d.ok) return ends.degraded(j.p, attempts, d.conflicts, message, record);
    const last = d.result?.error;
    if (last !== undefined && !last.permanent) throw new StoreTransientError(last.code, last.message);
    return ends.deadLetter(j.p, {
      code,
      message: last ? `${last.code}: ${last.message}` : message,
      attempts,
      record,
      reasons: d.conflicts.map(conflictReason),
    });
  }

  /** Fetch → trust → validate → convert → store → finish, for a record on `client`. */
  async function run(j: RecordJob, client: GunClient): Promise<SyncRecordOutcome> {
    const { p } = j;
    // No up-front deletion check: discovery never queues a deleted DID, and a deletion that
    // lands while the job runs is caught atomically by finish() (one Redis round trip saved per record).
    let record: GunRecordNode | null = null;
    try {
      const fetchStart = performance.now();
      record = await client.getRecord(p.soul);
      if (!record) {
        timing?.('relay_fetch', (performance.now() - fetchStart) / 1000);
        return await ends.gone(p, 'not_found');
      }
      // Links followed; the signature checked and encrypted data opened on the record as its
      // publisher put it; then arrays restored (legacy publishers), before the checks that need values.
      // Throws RECORDS_ERR_LINK_UNRESOLVED (retry) or RECORDS_ERR_LINK_BOUND (dead letter).
      const resolved = await resolveLinks(record, client, deps.linkBounds);
      timing?.('relay_fetch', (performance.now() - fetchStart) / 1000);
      record = resolved;
      const trusted = await trustRecord(p.soul, p.did, resolved, trustDeps);
      if (trusted.kind === 'dead')
        return await ends.deadLetter(p, {
          code: trusted.code,
          message: trusted.message,
          attempts: j.attempt,
          record: resolved,
        });
      if (trusted.kind === 'unreadable') return await ends.gone(p, trusted.reason);
      if (trusted.kind === 'deleted') return await ends.gone(p, 'deleted_unsigned');
      // Arrays restored, validated and converted by the one conversion the api's relay reads use.
      const checkStart = performance.now();
      const outcome = convertGunRecord(trusted.record, p.did, new Date(now()));
      record = outcome.restored;
      if (!outcome.ok) {
        const reasons = outcome.failures.map((f) => boundReason({ kind: 'invalid', path: f.path, rule: f.rule }));
        const code = DeadLetterCodes.INVALID_RECORD;
        return await ends.deadLetter(p, { code, message: outcome.message, attempts: j.attempt, record, reasons });
      }
      const converted = outcome.record;
      timing?.('validate_convert', (performance.now() - checkStart) / 1000);
      // Each write carries the job's registry version, for the repair after a state loss.
      const write = (r: OipRecord) => deps.batcher.add(withSyncVersion(r, p.version));
      const result = await timed('store_write', () => write(converted));
      if (!result.ok) {
        const e = result.error ?? { code: 'STORE_ERR_INTERNAL', message: 'store refused the record', permanent: true };
        if (e.permanent) return await refused(j, write, converted, e, record);
        throw new StoreTransientError(e.code, e.message);
      }
      return await ends.indexed(p);
    } catch (err) {
      if (err instanceof UnrecoverableError) throw err;
      const c = classifyError(err);
      const message =
        err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
      if (c.permanent) return ends.deadLetter(p, { code: c.code, message, attempts: j.attempt, record });
      if (j.attempt >= j.attempts) {
        const code = DeadLetterCodes.EXHAUSTED;
        return ends.deadLetter(p, {
          code,
          message: `after ${j.attempts} attempts: ${message}`,
          attempts: j.attempt,
          record,
        });
      }
      await deps.state.noteRetry(p.did, now());
      throw err;
    }
  }

  return async function processSyncRecord(job: Job): Promise<SyncRecordOutcome> {
    // A migrated record's replay shares the queue, the state and the dead letters.
    if (job.name === JobNames.MIGRATE_RECORD) return migrate(job);
    const j = admit(job);
    const client = deps.relays.get(j.p.relay);
    if (!client) {
      // A configuration error, never read from another relay: it may hold another version, or
      // another record under the soul. The operator adds the relay to SYNC_RELAYS and replays by code.
      const configured = [...deps.relays.keys()].join(', ');
      return ends.deadLetter(j.p, {
        code: DeadLetterCodes.RELAY_NOT_CONFIGURED,
        message: `relay ${j.p.relay} has no client here (SYNC_RELAYS: ${configured}); add it and replay`,
        attempts: j.attempt,
      });
    }
    if (deps.repairing?.() && !j.p.replay && j.attempt === 1) {
      const repaired = await finishFromStore(j.p, deps);
      if (repaired) return repaired;
    }
    if (timing && job.processedOn) timing('queue_wait', Math.max(0, job.processedOn - job.timestamp) / 1000);
    return run(j, client);
  };
}
