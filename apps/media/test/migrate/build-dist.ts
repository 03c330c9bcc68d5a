// vitest globalSetup: the migration tests run the built CLI (dist/cli.js) as operators do, so dist
// is built once before any test file starts when a source is newer than it. Built per file in
// beforeAll instead, files running in parallel rewrote dist under each other's running CLIs.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const appRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) newest = Math.max(newest, statSync(path.join(e.parentPath, e.name)).mtimeMs);
  return newest;
}

export default function buildDist(): void {
  const cli = path.join(appRoot, 'dist', 'cli.js');
  const fresh = existsSync(cli) && statSync(cli).mtimeMs >= newestSource(path.join(appRoot, 'src'));
  if (fresh) return;
  execFileSync(path.join(appRoot, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: appRoot,
    stdio: 'inherit',
  });
}
