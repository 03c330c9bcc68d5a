// Starts media-child.ts over a media directory; stats() asks it for RSS, descriptors and active
// streams; close() stops it (SIGKILL after 5 s).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface MediaStats {
  rssBytes: number;
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
  const child = fork(fileURLToPath(new URL('./media-child.js', import.meta.url)), [dir], { stdio: 'inherit', execArgv: ['--expose-gc'] });
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('media child not ready within 30 s')), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`media child exited (${code}) before it was ready`));
    });
    child.on('message', (m: { kind?: string; url?: string }) => {
      if (m?.kind !== 'ready' || !m.url) return;
      clearTimeout(timer);
      resolve(m.url);
    });
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    url,
    port: Number(new URL(url).port),
    stats: () =>
      new Promise<MediaStats>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('media child did not answer stats within 5 s')), 5000);
        const onMessage = (m: { kind?: string } & MediaStats) => {
          if (m?.kind !== 'stats') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve({ rssBytes: m.rssBytes, fds: m.fds, activeStreams: m.activeStreams });
        };
        child.on('message', onMessage);
        child.send('stats');
      }),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('close');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
