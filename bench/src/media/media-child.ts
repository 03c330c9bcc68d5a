// apps/media in its own process (forked by media-process.ts) over an existing media directory, so
// the load generator's CPU is not charged to it. argv: `<mediaDir>`. Sends `{ kind: 'ready', url }`;
// answers 'stats' with its RSS and open descriptors (after a GC when exposed); 'close' (or the
// parent going away) closes and exits.
import { readdir } from 'node:fs/promises';
import { buildApp, parseConfig } from '@oip/media';

const [dir = ''] = process.argv.slice(2);
const app = buildApp(parseConfig({ port: 0, mediaDir: dir, jwtSecret: 'bench-secret-0123456789', relayPublish: false, logLevel: 'silent' }));
await app.listen({ port: 0, host: '127.0.0.1' });

let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await app.close();
  process.exit(0);
}

async function stats(): Promise<{ rssBytes: number; fds: number; activeStreams: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  return { rssBytes: process.memoryUsage().rss, fds: (await readdir('/proc/self/fd')).length, activeStreams: app.mediaMetrics.activeStreams };
}

process.on('message', (msg: unknown) => {
  if (msg === 'close') void close();
  if (msg === 'stats') void stats().then((s) => process.send?.({ kind: 'stats', ...s }));
});
process.on('disconnect', () => void close());
process.send?.({ kind: 'ready', url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` });
