// The `migrate-record` processor: the replay of a record `oip migrate records` dead-lettered
// (`oip dlq replay` queues it; DeadLetterService). The legacy document is read again, by id, from
// the index its dead letter names (only from a URL in MIGRATE_ELASTICSEARCH_URL, with the
// MIGRATE_ELASTICSEARCH_* credentials), converted as the migration converts it (@oip/records
// convertLegacyIndexDoc, content hash in oip.migrationHash), written through the worker's batcher,
// and ends like a synced record (services/record-endings.ts: indexed, gone when the legacy index no
// longer holds it, dead-lettered again with its reasons, retried while transient).
import { UnrecoverableError, type Job } from 'bullmq';
import { convertLegacyIndexDoc } from '@oip/records';
import type { createEsClient } from '@oip/record-store';
import {
  DeadLetterCodes,
  MigrateRecordPayloadSchema,
  boundReason,
  parseLegacyEsSource,
  validatePayload,
  type MigrateRecordPayload,
  type SyncRecordPayload,
} from '@oip/queue-contracts';
import { InvalidPayloadError, StoreTransientError } from '../errors.js';
import {
  RecordEndings,
  conflictReason,
  type RecordProcessorDeps,
  type SyncRecordOutcome,
} from '../services/record-endings.js';
import { MIGRATION_HASH_FIELD, contentHash } from '../migrate/migrate-batch.js';

export type LegacyClient = ReturnType<typeof createEsClient>;

export interface MigrateRecordDeps extends RecordProcessorDeps {
  /** One client per configured legacy URL (MIGRATE_ELASTICSEARCH_URL). */
  sources: ReadonlyMap<string, LegacyClient>;
}

/** The endings speak sync-record payloads: the same fields, the legacy source as the relay. */
export function asSyncPayload(p: MigrateRecordPayload): SyncRecordPayload {
  return {
    did: p.did,
    soul: p.docId,
    recordType: p.recordType,
    version: p.version,
    relay: p.source,
    discoveredAt: p.discoveredAt,
    ...(p.replay === undefined ? {} : { replay: p.replay }),
  };
}

export function createMigrateRecordProcessor(deps: MigrateRecordDeps): (job: Job) => Promise<SyncRecordOutcome> {
  const now = deps.now ?? Date.now;
  const ends = new RecordEndings({ ...deps, now });

  return async function processMigrateRecord(job: Job): Promise<SyncRecordOutcome> {
    let p: MigrateRecordPayload;
    try {
      p = validatePayload(MigrateRecordPayloadSchema, job.data, 'migrate-record payload');
    } catch (err) {
      throw new InvalidPayloadError((err as Error).message);
    }
    const sp = asSyncPayload(p);
    const attempt = job.attemptsMade + 1;
    const attempts = job.opts.attempts ?? 1;
    const where = parseLegacyEsSource(p.source);
    const client = where === null ? undefined : deps.sources.get(where.url);
    if (where === null || client === undefined) {
      const configured = [...deps.sources.keys()].join(', ') || 'none';
      return ends.deadLetter(sp, {
        code: DeadLetterCodes.RELAY_NOT_CONFIGURED,
        message: `legacy source ${p.source} is not configured here (MIGRATE_ELASTICSEARCH_URL: ${configured}); add it and replay`,
        attempts: attempt,
      });
    }
    let source: unknown = null;
    try {
      const res = await client.get({ index: where.index, id: p.docId }, { ignore: [404] });
      if (!res.found) return await ends.gone(sp, 'not_found');
      source = res._source;
      const out = convertLegacyIndexDoc(p.kind, source, p.docId);
      if (!out.ok) {
        const reasons = out.failures.map((f) => boundReason({ kind: 'invalid', path: f.path, rule: f.rule }));
        const code = DeadLetterCodes.INVALID_RECORD;
        return await ends.deadLetter(sp, { code, message: out.message, attempts: attempt, record: source, reasons });
      }
      out.record.oip[MIGRATION_HASH_FIELD] = contentHash(source);
      const result = await deps.batcher.add(out.record);
      if (!result.ok) {
        const e = result.error ?? { code: 'STORE_ERR_INTERNAL', message: 'store refused the record', permanent: true };
        if (!e.permanent) throw new StoreTransientError(e.code, e.message);
        const code = e.code === 'STORE_ERR_MAPPING' ? DeadLetterCodes.MAPPING_CONFLICT : DeadLetterCodes.STORE_REJECTED;
        const reasons = e.conflict ? [conflictReason(e.conflict)] : [];
        return await ends.deadLetter(sp, {
          code,
          message: `${e.code}: ${e.message}`,
          attempts: attempt,
          record: source,
          reasons,
        });
      }
      return await ends.indexed(sp);
    } catch (err) {
      if (err instanceof UnrecoverableError) throw err;
      const message =
        err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
      if (attempt >= attempts) {
        return ends.deadLetter(sp, {
          code: DeadLetterCodes.EXHAUSTED,
          message: `after ${attempts} attempts: ${message}`,
          attempts: attempt,
          record: source,
        });
      }
      await deps.state.noteRetry(p.did, now());
      throw err;
    }
  };
}
