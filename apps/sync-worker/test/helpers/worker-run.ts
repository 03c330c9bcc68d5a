// One worker run per test: a fake relay, a fresh Redis prefix + temp dir, and the worker started
// on them; everything is stopped after each test. Call useWorkerRun() at the top of a test file.
import { afterEach, beforeEach } from 'vitest';
import { startFakeRelay, type FakeRelay, type FakeRelayOptions } from '@oip/fake-relay';
import { startSyncWorker, type SyncWorker, type SyncWorkerDeps } from '../../src/worker.js';
import { createTestEnv, silent, type TestEnv } from './env.js';

export interface WorkerRun {
  readonly relay: FakeRelay;
  readonly env: TestEnv;
  /** Starts a worker on this run's env (config overrides over the file's defaults); closed after the test. */
  start(overrides?: Record<string, unknown>, deps?: Partial<SyncWorkerDeps>): Promise<SyncWorker>;
  /** Closes the running worker now (a restart test starts another after it). */
  stop(): Promise<void>;
}

export function useWorkerRun(options: { relay?: FakeRelayOptions; config?: Record<string, unknown> } = {}): WorkerRun {
  let relay: FakeRelay | undefined;
  let env: TestEnv | undefined;
  let worker: SyncWorker | null = null;
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} is only available inside a test`);
    return v;
  };
  beforeEach(async () => {
    relay = await startFakeRelay(options.relay);
    env = await createTestEnv([relay.url]);
  });
  afterEach(async () => {
    await worker?.close();
    worker = null;
    await relay?.close();
    await env?.cleanup();
    relay = undefined;
    env = undefined;
  });
  return {
    get relay() {
      return need(relay, 'relay');
    },
    get env() {
      return need(env, 'env');
    },
    async start(overrides = {}, deps = {}) {
      const e = need(env, 'env');
      await worker?.close();
      worker = await startSyncWorker(e.config({ ...options.config, ...overrides }), {
        redis: e.redis,
        logger: silent,
        memoryGuard: false,
        ...deps,
      });
      return worker;
    },
    async stop() {
      await worker?.close();
      worker = null;
    },
  };
}
