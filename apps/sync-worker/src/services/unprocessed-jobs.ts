// Record jobs the sync-record processor never runs, dead-lettered here so none stays "in flight":
// a job BullMQ failed for stalling past the limit, and a job naming a relay this worker has no
// client for. Both are recognised by structure (BullMQ's stall counter, the relay map's keys),
// never by an error's message text.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import {
  DeadLetterCodes,
  SyncRecordPayloadSchema,
  validatePayload,
  type DeadLetterCode,
  type SyncRecordPayload,
} from '@oip/queue-contracts';
import type { DeadLetterService, SyncState } from '@oip/sync-state';

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

/** Thrown after the dead letter is written: BullMQ fails the job without another attempt. */
export class RelayNotConfiguredError extends UnrecoverableError {
  readonly code = DeadLetterCodes.RELAY_NOT_CONFIGURED;
  constructor(readonly relay: string) {
    super(`${DeadLetterCodes.RELAY_NOT_CONFIGURED}: relay ${relay} is not configured`);
  }
}

export interface UnprocessedJobsDeps {
  state: SyncState;
  deadLetters: DeadLetterService;
  /** The worker's relay clients by relay key (GUN_PEERS peers keep their key when resolved). */
  relays: ReadonlyMap<string, unknown>;
  maxStalledCount: number;
  logger: Logger;
  now?: () => number;
}

export interface UnprocessedJobs {
  /**
   * Dead-letters the job (SYNC_ERR_RELAY_NOT_CONFIGURED) and throws RelayNotConfiguredError when
   * its relay has no client here. Reading the record from another relay instead could index a
   * version that relay does not hold, or the wrong record: the operator adds the relay to
   * SYNC_RELAYS and replays the dead letters by code.
   */
  checkRelay(job: Job): Promise<void>;
  /** For the worker's 'failed' event: dead-letters a job BullMQ failed for stalling past the limit. */
  onFailed(job: Job | undefined, err: Error): Promise<void>;
}

export function createUnprocessedJobs(deps: UnprocessedJobsDeps): UnprocessedJobs {
  const now = deps.now ?? Date.now;

  async function write(p: SyncRecordPayload, code: DeadLetterCode, message: string, attempts: number): Promise<void> {
    const t = now();
    await deps.deadLetters.write({
      did: p.did,
      soul: p.soul,
      recordType: p.recordType,
      version: p.version,
      sourceRelay: p.relay,
      code,
      message: message.slice(0, 2048),
      attempts: Math.max(1, attempts),
      firstFailedAt: await deps.state.firstFailure(p.did, t),
      lastFailedAt: t,
      recordJson: null,
      recordTruncated: false,
      replays: p.replay ?? 0,
    });
    await deps.state.finish(p.did, p.version, p.replay ?? 0, 'dead', code);
  }

  return {
    async checkRelay(job) {
      const relay = (job.data as { relay?: unknown } | undefined)?.relay;
      // Only a miss pays for the payload check; a malformed payload is the processor's to refuse.
      if (typeof relay !== 'string' || deps.relays.has(relay)) return;
      let p: SyncRecordPayload;
      try {
        p = validatePayload(SyncRecordPayloadSchema, job.data, 'sync-record payload');
      } catch {
        return;
      }
      const configured = [...deps.relays.keys()].join(', ');
      await write(
        p,
        DeadLetterCodes.RELAY_NOT_CONFIGURED,
        `relay ${relay} has no client here (SYNC_RELAYS: ${configured}); add it and replay`,
        job.attemptsMade + 1,
      );
      deps.logger.warn(
        { did: p.did, relay, code: DeadLetterCodes.RELAY_NOT_CONFIGURED },
        'record names a relay that is not configured: dead-lettered',
      );
      throw new RelayNotConfiguredError(relay);
    },

    async onFailed(job, err) {
      if (!job || !stalledPastLimit(job, deps.maxStalledCount)) return;
      const p = validatePayload(SyncRecordPayloadSchema, job.data, 'sync-record payload');
      const current = await deps.state.get(p.did);
      if (!current || current.state !== 'queued' || current.version !== p.version || current.replay !== (p.replay ?? 0))
        return;
      await write(
        p,
        DeadLetterCodes.EXHAUSTED,
        `stalled ${job.stalledCounter} times (limit ${deps.maxStalledCount}): ${err.message}`,
        job.attemptsStarted,
      );
    },
  };
}
