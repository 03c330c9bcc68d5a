// Starts media-child.ts over a media directory; stats() asks it for RSS, external memory,
// descriptors and active streams; close() stops it (SIGKILL after 5 s).
import { forkServer } from '../child/forked-server.js';

export interface MediaStats {
  rssBytes: number;
  /** process.memoryUsage().external after a GC: file and socket buffers live here (seed 004). */
  externalBytes: number;
  fds: number;
  activeStreams: number;
}

export interface MediaProcess {
  url: string;
  port: number;
  stats(): Promise<MediaStats>;
  close(): Promise<void>;
}

export async function startMediaProcess(dir: string): Promise<MediaProcess> {
  const server = await forkServer(new URL('./media-child.js', import.meta.url), [dir], {
    name: 'media',
    readyMs: 30_000,
    execArgv: ['--expose-gc'],
  });
  return {
    url: server.url,
    port: Number(new URL(server.url).port),
    async stats() {
      const m = await server.ask<MediaStats>('stats');
      return { rssBytes: m.rssBytes, externalBytes: m.externalBytes, fds: m.fds, activeStreams: m.activeStreams };
    },
    close: () => server.close(),
  };
}
