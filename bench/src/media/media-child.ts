// apps/media in its own process (forked by media-process.ts) over an existing media directory, so
// the load generator's CPU is not charged to it. argv: `<mediaDir>`. Answers 'stats' with its RSS,
// external memory and open descriptors (after a GC when exposed).
import { readdir } from 'node:fs/promises';
import { buildApp, parseConfig } from '@oip/media';
import { serveInChild } from '../child/forked-server.js';

const [dir = ''] = process.argv.slice(2);
const app = buildApp(
  parseConfig({
    port: 0,
    mediaDir: dir,
    jwtSecret: 'bench-secret-0123456789',
    relayPublish: false,
    logLevel: 'silent',
  }),
);
await app.listen({ port: 0, host: '127.0.0.1' });
serveInChild((app.server.address() as { port: number }).port, () => app.close(), {
  stats: async () => {
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    return {
      rssBytes: mem.rss,
      externalBytes: mem.external,
      fds: (await readdir('/proc/self/fd')).length,
      activeStreams: app.mediaMetrics.activeStreams,
    };
  },
});
