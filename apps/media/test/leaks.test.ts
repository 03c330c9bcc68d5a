// Seed 004: every aborted video request leaked a descriptor and its buffers. Here 1,000 requests
// are cut mid-stream (whole file and ranges), and slow readers are left to the idle timeout; open
// descriptors (/proc/self/fd of this process, where the server runs) and the active-streams gauge
// must come back to exactly their baseline.
import { readdir } from 'node:fs/promises';
import net from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { until } from '@oip/test-kit';
import { patternBytes, putMedia, useMedia } from './helpers.js';

const start = useMedia();
const fds = async (): Promise<number> => (await readdir('/proc/self/fd')).length;

/** GET on a raw socket; resolves once `minBody` body bytes arrived; the socket is left open. */
function openStream(port: number, path: string, extra = '', minBody = 1): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let seen = 0;
    let headerDone = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no body within 5 s'));
    }, 5000);
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    const onData = (chunk: Buffer) => {
      if (!headerDone) {
        const at = chunk.indexOf('\r\n\r\n');
        if (at < 0) return;
        headerDone = true;
        seen += chunk.length - at - 4;
      } else {
        seen += chunk.length;
      }
      if (seen >= minBody) {
        clearTimeout(timer);
        socket.off('data', onData);
        resolve(socket);
      }
    };
    socket.on('data', onData);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`);
  });
}

describe('aborted and stalled streams', () => {
  it('1,000 requests aborted mid-stream: descriptors and the active-streams gauge back to baseline', async () => {
    const m = await start();
    const id = await putMedia(m.dir, patternBytes(8 * 1024 * 1024));
    const path = `/api/media/${id}`;
    // Warm up (lazy handles of the first file read and response), then the baseline.
    await (await request(`${m.url}${path}`)).body.arrayBuffer();
    await until(() => m.app.mediaMetrics.activeStreams === 0, {
      what: 'the warm-up stream to close',
      timeoutMs: 10_000,
    });
    const baseline = await fds();

    const total = 1000;
    const concurrency = 50;
    let next = 0;
    let peakStreams = 0;
    const worker = async () => {
      for (let i = next++; i < total; i = next++) {
        const range = i % 2 === 0 ? '' : `Range: bytes=${(i * 4099) % 1_000_000}-\r\n`;
        const socket = await openStream(m.port, path, range, 1);
        peakStreams = Math.max(peakStreams, m.app.mediaMetrics.activeStreams);
        socket.destroy();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    expect(peakStreams).toBeGreaterThan(1);

    await until(() => m.app.mediaMetrics.activeStreams === 0, { what: 'active streams back to 0', timeoutMs: 15_000 });
    await until(async () => (await fds()) === baseline, {
      what: `open fds back to the baseline of ${baseline}`,
      timeoutMs: 15_000,
    });
    const metrics = await (await request(`${m.url}/metrics`)).body.text();
    expect(metrics).toContain('oip_media_active_streams 0');
    // The streams were cut, not read through: far fewer bytes read than 1,000 whole files.
    const served = Number(/oip_media_bytes_served_total (\d+)/.exec(metrics)?.[1]);
    expect(served).toBeGreaterThan(total);
    expect(served).toBeLessThan((total * 8 * 1024 * 1024) / 4);
  });

  it('a reader that stops reading is cut by the idle timeout, and its file stream closed', async () => {
    const m = await start({ idleTimeoutMs: 1000 });
    const id = await putMedia(m.dir, patternBytes(16 * 1024 * 1024));
    await (await request(`${m.url}/api/media/${id}`)).body.arrayBuffer();
    await until(() => m.app.mediaMetrics.activeStreams === 0, {
      what: 'the warm-up stream to close',
      timeoutMs: 10_000,
    });
    const baseline = await fds();
    const stalled = await Promise.all(Array.from({ length: 10 }, () => openStream(m.port, `/api/media/${id}`)));
    for (const s of stalled) s.pause();
    expect(m.app.mediaMetrics.activeStreams).toBe(10);
    const closed = stalled.map((s) => new Promise<void>((r) => s.once('close', () => r())));
    // The clients never read another byte and never close: the server must.
    await until(() => m.app.mediaMetrics.activeStreams === 0, {
      what: 'the stalled streams to be closed by the server',
      timeoutMs: 10_000,
    });
    for (const s of stalled) s.resume();
    await Promise.all(closed);
    await until(async () => (await fds()) === baseline, {
      what: `open fds back to the baseline of ${baseline}`,
      timeoutMs: 10_000,
    });
  });
});
