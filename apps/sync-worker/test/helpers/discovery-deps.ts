// runDiscovery's dependencies on the real Redis (queue, state, DLQ) and a temp SQLite store,
// without the record worker: for discovery tests that must not process what they queue.
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { GunClient } from '@oip/gun-client';
import { createRecordStore } from '@oip/record-store';
import { SYNC_RECORDS_QUEUE } from '@oip/queue-contracts';
import { DeadLetterService, DeletionLedger } from '@oip/sync-state';
import type { DiscoveryDeps } from '../../src/services/discovery.js';
import { SyncState } from '@oip/sync-state';
import { silent, type TestEnv } from './env.js';

export interface DiscoveryFixture {
  deps: DiscoveryDeps;
  state: SyncState;
  queue: Queue;
  close(): Promise<void>;
}

export function discoveryFixture(
  env: TestEnv,
  relayUrl: string,
  overrides: Partial<DiscoveryDeps> = {},
): DiscoveryFixture {
  const state = new SyncState(env.redis, env.prefix);
  const queue = new Queue(SYNC_RECORDS_QUEUE, { connection: env.redis, prefix: env.prefix });
  const store = createRecordStore({ kind: 'sqlite', dataDir: join(env.dir, 'records') });
  const deadLetters = new DeadLetterService({
    connection: env.redis,
    prefix: env.prefix,
    jobOptions: { attempts: 1, backoffMs: 10 },
  });
  const client = new GunClient({ baseUrl: relayUrl, retry: { attempts: 1 }, negativeCache: false, connections: 16 });
  const deps: DiscoveryDeps = {
    relays: new Map([[relayUrl, client]]),
    state,
    recordsQueue: queue,
    store,
    deadLetters,
    ledger: new DeletionLedger(env.redis, env.prefix),
    logger: silent,
    registryRoot: 'oip:registry',
    recordTypes: ['image'],
    jobOptions: { attempts: 1, backoffMs: 10 },
    linkConcurrency: 16,
    ...overrides,
  };
  return {
    deps,
    state,
    queue,
    async close() {
      await client.close();
      await queue.close();
      await deadLetters.close();
      await store.close();
    },
  };
}
