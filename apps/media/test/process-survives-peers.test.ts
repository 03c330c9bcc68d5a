// The real media server (src/server.ts, configured through its environment only) in a child
// process, with replication on and every announced peer misbehaving (404, 500, a reset
// mid-body): GETs are answered 404, and the process is still running and serving afterwards, with
// no "closing after error" from its fatal-error handler (an uncaught error there used to stop
// it). The child runs in its own process group, killed whole after the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { GunClient, announceMedia } from '@oip/gun-client';
import { startGunProxy } from '@oip/gun-proxy/testing';
import { startFaultPeer, type PeerFault } from './fault-peer.js';
import { SECRET, patternBytes, sha256 } from './helpers.js';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

interface MediaChild {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** `node src/server.ts` from source (@oip/vitest-config's ts-loader) in its own process group. */
async function startMediaProcess(env: Record<string, string>): Promise<MediaChild> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', '@oip/vitest-config/register-ts', 'src/server.ts'],
    {
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
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let out = '';
  const keep = (b: Buffer) => (out = (out + b.toString()).slice(-64 * 1024));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  cleanup.push(async () => {
    // The whole group: the server and anything it started.
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    await exited;
  });
  let url: string | undefined;
  await until(
    () => {
      if (child.exitCode !== null) throw new Error(`media process exited ${child.exitCode}: ${out}`);
      url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      return url !== undefined;
    },
    { what: `media process listening (output: ${out})`, timeoutMs: 60_000, intervalMs: 50 },
  );
  return { url: url!, child, output: () => out };
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
    const mediaId = sha256(bytes);
    await gun.putMediaManifest({
      media: { id: mediaId },
      mediaId,
      mimeType: 'video/mp4',
      fileSize: bytes.length,
      accessLevel: 'public',
      userPublicKey: 'pk-owner',
    });
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
    const GETS = 3;
    for (let i = 0; i < GETS; i++) {
      const res = await fetch(`${media.url}/api/media/${mediaId}`);
      expect([res.status, await res.json()]).toEqual([404, { error: 'Media not found' }]);
    }
    // Every GET asks each announced peer again (failures are not remembered).
    expect(peers.map((p) => p.hits)).toEqual([GETS, GETS, GETS]);
    const health = await fetch(`${media.url}/health`);
    expect((await health.json()) as unknown).toMatchObject({ status: 'OK' });
    const metrics = await (await fetch(`${media.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^oip_media_peer_fetch_total\\{result="status"\\} ${2 * GETS}$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^oip_media_peer_fetch_total\\{result="connection"\\} ${GETS}$`, 'm'));
    expect([media.child.exitCode, media.child.signalCode]).toEqual([null, null]);
    expect(media.output()).not.toContain('closing after error');
  }, 90_000);
});
