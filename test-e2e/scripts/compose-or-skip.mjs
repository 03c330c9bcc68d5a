// Runs the compose smoke test when podman and podman-compose are installed; says skipped otherwise.
import { spawnSync } from 'node:child_process';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = ['podman', 'podman-compose', 'debootstrap'].filter((c) => !has(c));
if (missing.length > 0) {
  console.log(`test:compose skipped: ${missing.join(', ')} not installed (apt-get install podman runc podman-compose debootstrap)`);
  process.exit(0);
}
const r = spawnSync('pnpm', ['exec', 'vitest', 'run', '--config', 'vitest.compose.config.ts'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
