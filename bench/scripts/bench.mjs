// `pnpm bench …`: builds the bench workspace, what it imports, and the apps some benchmarks start
// as child processes from their dist (gun-proxy; api and sync-worker are imports) — turbo, cached
// after the first time — then runs dist/cli.js with --expose-gc. A failed build prints its log and exits non-zero.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(
  'turbo',
  [
    'run',
    'build',
    '--filter=@oip/bench...',
    '--filter=@oip/gun-proxy...',
    '--output-logs=errors-only',
    '--no-update-notifier',
  ],
  {
    cwd: benchDir,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  },
);
if (build.status !== 0) {
  process.stderr.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  console.error(`bench: building the benchmarks failed (${build.error?.message ?? `exit ${build.status}`})`);
  process.exit(1);
}
const run = spawnSync(process.execPath, ['--expose-gc', path.join(benchDir, 'dist/cli.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
