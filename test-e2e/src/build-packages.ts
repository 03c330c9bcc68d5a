// Builds workspaces (and what they depend on) with turbo before a suite starts them from their
// dist; cached by turbo when nothing changed (a second or two). OIP_E2E_SKIP_BUILD=1 skips it.
import { resolve } from 'node:path';
import { buildEnv, e2eConfig } from './config.js';
import { runToEnd } from './processes.js';

const REPO = resolve(import.meta.dirname, '..', '..');

/** `turbo run build --filter=<each>`; throws with turbo's output when it fails. */
export async function buildPackages(filters: readonly string[]): Promise<void> {
  if (e2eConfig.skipBuild) return;
  const build = await runToEnd(
    resolve(REPO, 'node_modules/.bin/turbo'),
    ['run', 'build', ...filters.map((f) => `--filter=${f}`), '--output-logs=errors-only'],
    { cwd: REPO, env: buildEnv(), timeoutMs: 540_000 },
  );
  if (build.code !== 0)
    throw new Error(`build failed (exit ${build.code}):\n${build.stdout.slice(-4000)}\n${build.stderr.slice(-4000)}`);
}
