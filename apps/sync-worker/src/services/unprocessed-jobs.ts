// Record jobs the sync-record processor never runs, dead-lettered here so none stays "in flight":
// a job BullMQ failed for stalling past the limit, recognised by structure (BullMQ's stall
// counter), never by an error's message text.
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import {
  DeadLetterCodes,
  JobNames,
  MigrateRecordPayloadSchema,
  SyncRecordPayloadSchema,
  validatePayload,
} from '@oip/queue-contracts';
import { asSyncPayload } from '../processors/migrate-record.js';
import type { DeadLetterService, SyncState } from '@oip/sync-state';
import { writeDeadLetter } from './record-endings.js';

/**
 * BullMQ 6's own signal that a job failed for stalling: each stall increments the job's
 * `stalledCounter` (`stc`); past `maxStalledCount` the stalled checker sets `deferredFailure` and
 * the next worker to fetch the job fails it (UnrecoverableError) without running the processor.
 */
export function stalledPastLimit(
  job: Pick<Job, 'stalledCounter' | 'deferredFailure'>,
  maxStalledCount: number,
): boolean {
  return (
    job.stalledCounter > maxStalledCount && typeof job.deferredFailure === 'string' && job.deferredFailure.length > 0
  );
}

export interface UnprocessedJobsDeps {
  state: SyncState;
  deadLetters: DeadLetterService;
  maxStalledCount: number;
  logger: Logger;
  now?: () => number;
}

export interface UnprocessedJobs {
  /** For the worker's 'failed' event: dead-letters a job BullMQ failed for stalling past the limit. */
  onFailed(job: Job | undefined, err: Error): Promise<void>;
}

export function createUnprocessedJobs(deps: UnprocessedJobsDeps): UnprocessedJobs {
  const now = deps.now ?? Date.now;
  return {
    async onFailed(job, err) {
      if (!job || !stalledPastLimit(job, deps.maxStalledCount)) return;
      // A migrated record's replay is dead-lettered the same way, its legacy source as the relay.
      const p =
        job.name === JobNames.MIGRATE_RECORD
          ? asSyncPayload(validatePayload(MigrateRecordPayloadSchema, job.data, 'migrate-record payload'))
          : validatePayload(SyncRecordPayloadSchema, job.data, 'sync-record payload');
      const current = await deps.state.get(p.did);
      if (!current || current.state !== 'queued' || current.version !== p.version || current.replay !== (p.replay ?? 0))
        return;
      const code = DeadLetterCodes.EXHAUSTED;
      await writeDeadLetter({ ...deps, now }, p, {
        code,
        message: `stalled ${job.stalledCounter} times (limit ${deps.maxStalledCount}): ${err.message}`,
        attempts: job.attemptsStarted,
      });
      await deps.state.finish(p.did, p.version, p.replay ?? 0, 'dead', code);
    },
  };
}
