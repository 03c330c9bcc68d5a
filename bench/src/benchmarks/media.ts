// Issue 14: apps/media serving files beside Debian nginx serving the same directory, in one run.
// GET throughput (body bytes/s) of a 1 MB and a 100 MB file at a fixed number of keep-alive
// connections, sides alternating, best round each; then 1,000 range reads cut after their first
// bytes, with the media process's RSS, external memory and open descriptors before and after
// (seed 004), measured once a first batch of as many cut reads brought the allocator to its
// steady state (a leak grows with every batch; the seed's grew 340 MB/min).
// Goals: ≥ 0.5× nginx for both sizes; memory flat (RSS ≤ 16 MiB and external ≤ 4 MiB growth)
// and descriptors exactly back.
import { chmod } from 'node:fs/promises';
import { type Benchmark, numberFlag, printResult, printTable } from '../benchmark.js';
import { findNginx, type NginxProcess } from '../nginx/nginx.js';
import { abortedRangeReads, runDownloads, type DownloadResult } from '../media/download-load.js';
import { createMediaFixture, type MediaFixture } from '../media/fixture.js';
import { startMediaProcess, type MediaProcess, type MediaStats } from '../media/media-process.js';
import { startMediaNginx } from '../media/nginx-media.js';

const MB = 1024 * 1024;
const GOAL_RATIO = 0.5;
const FLAT_RSS_BYTES = 16 * MB;
const FLAT_EXTERNAL_BYTES = 4 * MB;

interface SizeCase {
  label: string;
  bytes: number;
  connections: number;
}

async function settle(media: MediaProcess, baselineFds: number, timeoutMs = 10_000): Promise<MediaStats> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await media.stats();
    if ((s.fds <= baselineFds && s.activeStreams === 0) || Date.now() > end) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const mbps = (r: DownloadResult): string => (r.bytesPerSecond / MB).toFixed(0);

export const benchmark: Benchmark = {
  name: 'media',
  description:
    'apps/media GET throughput (1 MB, 100 MB) vs Debian nginx on the same directory (goal ≥0.5×), and RSS/fds around 1,000 aborted range reads (goal flat, fds exactly back); --seconds --rounds --aborts --nginx',
  async run(flags) {
    const seconds = numberFlag(flags, 'seconds', 4, 1, 120);
    const rounds = Math.round(numberFlag(flags, 'rounds', 3, 1, 10));
    const aborts = Math.round(numberFlag(flags, 'aborts', 1000, 10, 100_000));
    const nginxBin = findNginx(flags.nginx);
    if (!nginxBin) {
      console.log(
        `media: skipped, nginx not found (${flags.nginx ? `--nginx ${flags.nginx}` : 'looked on PATH and in /usr/sbin'}); the nginx baseline cannot run.`,
      );
      console.log('media: install it with `apt-get install -y nginx` and run `pnpm bench media` again.');
      printResult('media', { skipped: 'nginx_missing' }, false);
      return;
    }
    const cases: SizeCase[] = [
      { label: '1 MB', bytes: MB, connections: 8 },
      { label: '100 MB', bytes: 100 * MB, connections: 2 },
    ];
    let fixture: MediaFixture | undefined;
    let media: MediaProcess | undefined;
    let nginx: NginxProcess | undefined;
    try {
      fixture = await createMediaFixture(cases.map((c) => c.bytes));
      media = await startMediaProcess(fixture.dir);
      // apps/media makes MEDIA_DIR its own at start (0700); nginx's unprivileged worker reads the
      // same fixture, so the benchmark opens it again (the files in it are the fixture's 0644).
      await chmod(fixture.dir, 0o755);
      nginx = await startMediaNginx(nginxBin, fixture.dir, fixture.ids[0]!);
      const nginxPort = Number(new URL(nginx.url).port);
      console.log(`media dir ${fixture.dir}; ${seconds} s per side per round, ${rounds} rounds, best round kept`);

      const rows: Array<Array<string | number>> = [];
      const ratios: number[] = [];
      for (const [k, c] of cases.entries()) {
        const path = `/api/media/${fixture.ids[k]}`;
        let ours: DownloadResult | undefined;
        let theirs: DownloadResult | undefined;
        for (let r = 0; r < rounds; r++) {
          // Alternate who goes first: page cache and CPU frequency favour neither.
          const order = r % 2 === 0 ? (['media', 'nginx'] as const) : (['nginx', 'media'] as const);
          for (const side of order) {
            const res = await runDownloads(side === 'media' ? media.port : nginxPort, path, seconds, c.connections);
            const bad = Object.keys(res.statuses).filter((s) => s !== '200');
            if (bad.length) throw new Error(`${side} answered ${JSON.stringify(res.statuses)} for ${c.label}`);
            if (side === 'media' && (!ours || res.bytesPerSecond > ours.bytesPerSecond)) ours = res;
            if (side === 'nginx' && (!theirs || res.bytesPerSecond > theirs.bytesPerSecond)) theirs = res;
          }
        }
        const ratio = ours!.bytesPerSecond / theirs!.bytesPerSecond;
        ratios.push(ratio);
        rows.push([
          c.label,
          c.connections,
          mbps(ours!),
          mbps(theirs!),
          (ours!.requests / ours!.seconds).toFixed(1),
          (theirs!.requests / theirs!.seconds).toFixed(1),
          ratio.toFixed(2),
        ]);
      }
      printTable(['file', 'conns', 'media MB/s', 'nginx MB/s', 'media req/s', 'nginx req/s', 'ratio'], rows);

      // Aborted range reads against the media process.
      const warm = await abortedRangeReads(media.port, `/api/media/${fixture.ids[1]}`, aborts, cases[1]!.bytes);
      const before = await settle(media, Number.POSITIVE_INFINITY);
      const cut = await abortedRangeReads(media.port, `/api/media/${fixture.ids[1]}`, aborts, cases[1]!.bytes);
      const after = await settle(media, before.fds);
      const rssGrowth = after.rssBytes - before.rssBytes;
      const externalGrowth = after.externalBytes - before.externalBytes;
      console.log('');
      printTable(
        ['media process', 'rss MB', 'external MB', 'open fds', 'active streams'],
        [
          [
            `after ${warm} cut range reads (warm-up)`,
            (before.rssBytes / MB).toFixed(1),
            (before.externalBytes / MB).toFixed(1),
            before.fds,
            before.activeStreams,
          ],
          [
            `after ${cut} more`,
            (after.rssBytes / MB).toFixed(1),
            (after.externalBytes / MB).toFixed(1),
            after.fds,
            after.activeStreams,
          ],
        ],
      );
      const throughputMet = ratios.every((r) => r >= GOAL_RATIO);
      const flat =
        rssGrowth <= FLAT_RSS_BYTES &&
        externalGrowth <= FLAT_EXTERNAL_BYTES &&
        after.fds === before.fds &&
        after.activeStreams === 0;
      printResult(
        'media',
        {
          ratio_1mb: ratios[0]!.toFixed(2),
          ratio_100mb: ratios[1]!.toFixed(2),
          rss_growth_mb: (rssGrowth / MB).toFixed(1),
          external_growth_mb: (externalGrowth / MB).toFixed(1),
          fds_before: before.fds,
          fds_after: after.fds,
        },
        throughputMet && flat,
      );
    } finally {
      await nginx?.stop();
      await media?.close();
      await fixture?.remove();
    }
  },
};
