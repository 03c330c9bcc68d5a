// Runs the compose smoke test when podman and podman-compose are installed; says skipped otherwise
// (in CI, where .ci/run installs them, their absence fails the run).
// Podman gets its settings for this machine from a containers.conf of our own (CONTAINERS_CONF)
// unless the caller names one: the runc runtime (crun fails on a hybrid cgroup layout) and
// container ulimits no higher than this process's own hard limits (podman's defaults exceed them).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = ['podman', 'podman-compose', 'debootstrap'].filter((c) => !has(c));
if (missing.length > 0) {
  // CI must run it (.ci/run installs them); elsewhere one line says what is missing.
  const ci = Boolean(process.env.CI);
  console.log(
    `test:compose ${ci ? 'cannot run in CI' : 'skipped'}: ${missing.join(', ')} not installed (apt-get install podman runc podman-compose debootstrap)`,
  );
  process.exit(ci ? 1 : 0);
}

const hardLimit = (flag, cap) => {
  const out = spawnSync('bash', ['-c', `ulimit -H ${flag}`], { encoding: 'utf8' }).stdout.trim();
  const n = Number(out);
  return Number.isSafeInteger(n) && n > 0 ? Math.min(n, cap) : cap;
};

const env = { ...process.env };
if (!env.CONTAINERS_CONF) {
  const dir = path.resolve(import.meta.dirname, '..', '..', '.data', 'podman');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'containers.conf');
  const nofile = hardLimit('-n', 10_000);
  const nproc = hardLimit('-u', 4096);
  const runtime = has('runc') ? '\n[engine]\nruntime = "runc"\n' : '\n';
  writeFileSync(
    file,
    `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]\n${runtime}`,
  );
  env.CONTAINERS_CONF = file;
}
const r = spawnSync('pnpm', ['exec', 'vitest', 'run', '--config', 'vitest.compose.config.ts'], {
  stdio: 'inherit',
  env,
});
process.exit(r.status ?? 1);
