// The real media server (src/server.ts, configured through its environment only) in a child
// process, with replication on and every announced peer misbehaving (404, 500, a reset
// mid-body): GETs are answered 404, and the process is still running and serving afterwards, with
// no "closing after error" from its fatal-error handler (an uncaught error there used to stop
// it). The child runs in its own process group, killed whole after the test.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startProcess, type StartedProcess } from '@oip/test-kit';
import { GunClient, announceMedia } from '@oip/gun-client';
import { startGunProxy } from '@oip/gun-proxy/testing';
import { startFaultPeer, type PeerFault } from './fault-peer.js';
import { SECRET, patternBytes, putPublicManifest } from './helpers.js';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** `node src/server.ts` from source (@oip/vitest-config's ts-loader), stopped (its whole group) after the test. */
async function startMediaProcess(env: Record<string, string>): Promise<StartedProcess> {
  const media = await startProcess({
    what: 'media process',
    args: ['--conditions=source', '--import', '@oip/vitest-config/register-ts', 'src/server.ts'],
    cwd: appDir,
    env: {
      PATH: process.env.PATH ?? '',
      MEDIA_PORT: '0',
      MEDIA_HOST: '127.0.0.1',
      MEDIA_JWT_SECRET: SECRET,
      MEDIA_RELAY_PUBLISH: 'false',
      LOG_LEVEL: 'info',
      ...env,
    },
    ready: /Server listening at (http:\/\/127\.0\.0\.1:\d+)/,
  });
  cleanup.push(() => media.stop());
  return media;
}

describe('the media process with misbehaving replication peers', () => {
  it('answers 404 for media only failing peers have, and keeps running and serving', async () => {
    const relay = await startGunProxy();
    cleanup.push(() => relay.close());
    const gun = new GunClient({ baseUrl: relay.url, negativeCache: false });
    cleanup.push(() => gun.close());
    const dir = await mkdtemp(path.join(os.tmpdir(), 'media-process-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));

    const bytes = patternBytes(120_000, 9);
    const mediaId = await putPublicManifest(gun, bytes);
    const peers = [];
    for (const fault of ['status404', 'status500', 'reset'] satisfies PeerFault[]) {
      const p = await startFaultPeer(fault, bytes);
      cleanup.push(() => p.close());
      peers.push(p);
      await announceMedia(gun, { mediaId, peerId: `peer-${fault}`, endpoints: { http: p.url } });
    }

    const media = await startMediaProcess({
      MEDIA_DATA_DIR: dir,
      MEDIA_RELAY_URL: relay.url,
      MEDIA_PEER_ALLOWLIST: peers.map((p) => p.origin).join(','),
      MEDIA_PEER_ID: 'cccccccccccccccc',
    });
    const url = media.ready;
    const GETS = 3;
    for (let i = 0; i < GETS; i++) {
      const res = await fetch(`${url}/api/media/${mediaId}`);
      expect([res.status, await res.json()]).toEqual([404, { error: 'Media not found' }]);
    }
    // Every GET asks each announced peer again (failures are not remembered).
    expect(peers.map((p) => p.hits)).toEqual([GETS, GETS, GETS]);
    const health = await fetch(`${url}/health`);
    expect((await health.json()) as unknown).toMatchObject({ status: 'OK' });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^oip_media_peer_fetch_total\\{result="status"\\} ${2 * GETS}$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^oip_media_peer_fetch_total\\{result="connection"\\} ${GETS}$`, 'm'));
    expect([media.child.exitCode, media.child.signalCode]).toEqual([null, null]);
    expect(media.output()).not.toContain('closing after error');
  }, 90_000);
});
