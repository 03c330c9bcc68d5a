// The media directory as `app.media` (a MediaStore) and the service's metrics as `app.mediaMetrics`.
// At start the directory and its temp dir are created and the temp dir is emptied: whatever is
// there was left by an upload or fetch a crash interrupted (one media process per directory).
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { MediaMetrics } from '../services/media-metrics.js';
import { MediaPaths } from '../services/media-paths.js';
import { MediaStore } from '../services/media-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    media: MediaStore;
    mediaMetrics: MediaMetrics;
  }
}

export interface MediaStorePluginOptions {
  mediaDir: string;
  manifestCacheSize: number;
  registry: Registry;
}

async function mediaStorePlugin(app: FastifyInstance, opts: MediaStorePluginOptions): Promise<void> {
  const paths = await MediaPaths.open(opts.mediaDir);
  const leftovers = await readdir(paths.tmpDir);
  await Promise.all(leftovers.map((name) => rm(path.join(paths.tmpDir, name), { recursive: true, force: true })));
  if (leftovers.length > 0)
    app.log.info({ removed: leftovers.length }, 'removed temp files left by an interrupted upload or fetch');
  app.decorate('media', new MediaStore(paths, { manifestCacheSize: opts.manifestCacheSize }));
  app.decorate('mediaMetrics', new MediaMetrics(opts.registry));
}

export default fp(mediaStorePlugin, { name: 'media-store', fastify: '5.x' });
