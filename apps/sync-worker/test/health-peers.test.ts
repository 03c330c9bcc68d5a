// A GUN_PEERS peer that serves neither a relay API nor a node's /gun-relay shows on /health as
// unresolved, beside one that resolved; the pass report carries the error too.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startFakeRelay, type FakeRelay } from '@oip/fake-relay';
import { startSyncWorker, type SyncWorker } from '../src/worker.js';
import { createTestEnv, silent, type TestEnv } from './helpers/env.js';

let relay: FakeRelay | undefined;
let env: TestEnv | undefined;
let worker: SyncWorker | undefined;
afterEach(async () => {
  await worker?.close();
  await relay?.close();
  await env?.cleanup();
  worker = relay = env = undefined;
});

describe('/health peers', () => {
  it('lists each GUN_PEERS relay with the base it resolved to, null for a dead one', async () => {
    relay = await startFakeRelay();
    const live = relay.url.replace('http://', 'ws://') + '/gun';
    const dead = 'ws://127.0.0.1:9/gun';
    env = await createTestEnv();
    const base = env.config();
    const { parseConfig } = await import('../src/config.js');
    const config = parseConfig({
      ...base,
      relays: [`${relay.url}/gun-relay`, 'http://127.0.0.1:9/gun-relay'],
      relayPeers: { [`${relay.url}/gun-relay`]: live, 'http://127.0.0.1:9/gun-relay': dead },
      healthPort: 0,
    });
    worker = await startSyncWorker(config, { redis: env.redis, logger: silent, memoryGuard: false });
    const report = await worker.discoverNow();
    expect(report.errors.map((e) => e.code)).toContain('SYNC_ERR_PEER_UNRESOLVED');
    const res = await request(`${worker.healthUrl()}/health`);
    const body = (await res.body.json()) as { peers: Array<{ peer: string; base: string | null }> };
    expect(body.peers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ peer: live, base: relay.url }),
        expect.objectContaining({ peer: dead, base: null }),
      ]),
    );
  }, 20_000);
});
