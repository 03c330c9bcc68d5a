import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { afterEach, beforeEach } from 'vitest';
import { legacyRecord } from '@oip/test-kit';
import { GunClient, type GunClientError, type GunClientOptions } from '../src/index.js';

/** A client with fast retries for tests; closed by the caller. */
export function clientFor(baseUrl: string, opts: Partial<GunClientOptions> = {}): GunClient {
  return new GunClient({ baseUrl, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, ...opts });
}

/** A legacy-shape workout as a legacy publisher puts it (`{ data, oip, meta }`, meta.localId `morning-push`). */
export const sampleRecord = legacyRecord('morning-push', {}, { publicKey: 'pk' });

/** heapUsed + external after a full GC, in bytes. */
export function settledMemory(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('tests run with --expose-gc (tooling/vitest)');
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** The error a call rejects with; fails the test when the call succeeds. */
export function failure(p: Promise<unknown>): Promise<GunClientError> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as GunClientError,
  );
}

export interface RelayFixture {
  /** This test's fake relay. */
  readonly relay: FakeRelay;
  /** A test client for this test's relay (`baseUrl` may be overridden); closed after the test. */
  client(opts?: Partial<GunClientOptions>): GunClient;
}

/** A fresh fake relay before each test (after `seed`), and it and the test's clients closed after. */
export function useFakeRelay(seed?: (relay: FakeRelay) => void): RelayFixture {
  let relay: FakeRelay | undefined;
  const clients: GunClient[] = [];
  beforeEach(async () => {
    relay = await startFakeRelay();
    seed?.(relay);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await relay?.close();
    relay = undefined;
  });
  return {
    get relay() {
      if (!relay) throw new Error('the fake relay exists only inside a test');
      return relay;
    },
    client(opts = {}) {
      const c = clientFor(this.relay.url, opts);
      clients.push(c);
      return c;
    },
  };
}
