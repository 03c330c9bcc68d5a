// SIGKILL of a real worker process mid-run, then a restart: nothing lost, nothing duplicated.
// Runs `node dist/main.js` (built in beforeAll) configured through the environment only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { createSqliteRecordStore } from '@oip/record-store';
import { SyncState, invariantHolds, type SyncCounters } from '@oip/sync-state';
import { REDIS_URL, createTestEnv, type TestEnv } from './helpers/env.js';
import { legacyRecord, until } from '@oip/test-kit';
import { conflictingRecord, seed } from './helpers/records.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TOTAL = 600;
const CONFLICTS = 30;

let relay: FakeRelay;
let env: TestEnv;
const children = new Set<ChildProcess>();
let stderrTail = '';

beforeAll(() => {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}, 120_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
});

function spawnWorker(): ChildProcess {
  const child = spawn(process.execPath, [join(root, 'dist/main.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      REDIS_URL,
      SYNC_QUEUE_PREFIX: env.prefix,
      SYNC_RELAYS: relay.url,
      SYNC_RECORD_TYPES: 'workout',
      STORE_DATA_DIR: join(env.dir, 'records'),
      SYNC_CONCURRENCY: '10',
      SYNC_BATCH_SIZE: '10',
      SYNC_BATCH_MS: '10',
      SYNC_ATTEMPTS: '3',
      SYNC_BACKOFF_MS: '50',
      SYNC_LOCK_DURATION_MS: '1000',
      SYNC_STALLED_INTERVAL_MS: '500',
      SYNC_HEALTH_PORT: '-1',
      SYNC_UNSIGNED_RECORDS: 'accept',
      LOG_LEVEL: 'warn',
    },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  // Keep the tail of stderr for failure messages; never let the pipe fill up.
  child.stderr?.on('data', (b: Buffer) => (stderrTail = (stderrTail + b.toString()).slice(-4096)));
  return child;
}

/** until() on the counters; a timeout names the worker's stderr tail too. */
function waitFor(state: SyncState, ok: (c: SyncCounters) => boolean, timeoutMs: number): Promise<SyncCounters> {
  return until(() => state.counters(), { what: 'the counters', ok, timeoutMs, intervalMs: 25 }).catch((err: Error) => {
    throw new Error(`${err.message}; worker stderr: ${stderrTail}`, { cause: err });
  });
}

describe('worker process killed mid-run', () => {
  it('restarts and finishes every record exactly once', async () => {
    relay = await startFakeRelay();
    env = await createTestEnv([relay.url]);
    try {
      await seed(relay.store, [
        ...Array.from({ length: TOTAL - CONFLICTS }, (_, i) => ({ localId: `r-${i}`, record: legacyRecord(`r-${i}`) })),
        ...Array.from({ length: CONFLICTS }, (_, i) => ({ localId: `c-${i}`, record: conflictingRecord(`c-${i}`) })),
      ]);
      // Slow record reads so the kill lands in the middle of the run.
      relay.addFault({ path: '/get', soul: /^[0-9a-f]{12}:/, delayMs: 15, times: Infinity });
      const state = new SyncState(env.redis, env.prefix);

      const first = spawnWorker();
      const before = await waitFor(state, (c) => c.indexed >= 100, 30_000);
      first.kill('SIGKILL');
      await once(first, 'exit');
      expect(before.indexed).toBeLessThan(TOTAL - CONFLICTS);

      const second = spawnWorker();
      const done = await waitFor(state, (c) => c.discovered >= TOTAL && c.inflight === 0, 60_000);
      second.kill('SIGTERM');
      const [code] = (await once(second, 'exit')) as [number | null];
      expect(code).toBe(0);

      expect(done).toMatchObject({ indexed: TOTAL - CONFLICTS, dead: CONFLICTS, gone: 0, inflight: 0 });
      expect(invariantHolds(done)).toBe(true);
      const store = createSqliteRecordStore({ dataDir: join(env.dir, 'records') });
      try {
        expect(await store.count()).toBe(TOTAL - CONFLICTS);
      } finally {
        await store.close();
      }
      expect((await state.counters()).indexed).toBe(TOTAL - CONFLICTS);
    } finally {
      await relay.close();
      await env.cleanup();
    }
  }, 120_000);
});
