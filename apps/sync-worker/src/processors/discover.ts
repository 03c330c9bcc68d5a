// The `discover` processor: one discovery pass (services/discovery.ts) per job, with the record
// types the job names (all configured types when it names none).
import type { Job } from 'bullmq';
import { DiscoverPayloadSchema, validatePayload } from '@oip/queue-contracts';
import { runDiscovery, type DiscoveryDeps, type DiscoveryReport } from '../services/discovery.js';

export interface DiscoverProcessorDeps {
  discovery: DiscoveryDeps;
  /** Told when a pass that started at `startedAt` has finished (StateWatch.passFinished, repair mode). */
  passFinished(startedAt: number): Promise<void>;
}

export function createDiscoverProcessor(deps: DiscoverProcessorDeps): (job: Job) => Promise<DiscoveryReport> {
  return async function processDiscover(job: Job): Promise<DiscoveryReport> {
    const payload = validatePayload(DiscoverPayloadSchema, job.data ?? {}, 'discover payload');
    const started = Date.now();
    const report = await runDiscovery(deps.discovery, payload.recordTypes);
    // Marks the pass for every worker's repair mode; a failure here only delays its end.
    await deps.passFinished(started).catch(() => {});
    return report;
  };
}
