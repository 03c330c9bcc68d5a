// One podman-compose project of the smoke test: a compose file run under a unique project name
// with the test's environment, its commands bounded, and its containers' last log lines at hand
// when a wait fails.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { until } from '@oip/test-kit';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export interface ComposeProject {
  /** Runs `podman-compose <args>` on the file; throws with its output when it fails. */
  run(...args: string[]): string;
  /** Waits until `url` answers 200 (bounded); on timeout the error carries the containers' logs. */
  healthy(url: string, timeoutMs: number, headers?: Record<string, string>): Promise<void>;
}

export function composeProject(file: string, env: NodeJS.ProcessEnv): ComposeProject {
  const project = `oip-smoke-${randomBytes(3).toString('hex')}`;
  const run = (...args: string[]) => {
    const r = spawnSync('podman-compose', ['-p', project, '-f', path.join(repoRoot, 'infra', file), ...args], {
      cwd: path.join(repoRoot, 'infra'),
      env,
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (r.status !== 0)
      throw new Error(`podman-compose ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const logs = () => {
    const ps = spawnSync(
      'podman',
      ['ps', '-a', '--filter', `label=io.podman.compose.project=${project}`, '--format', '{{.Names}} {{.Status}}'],
      { encoding: 'utf8' },
    );
    const names = ps.stdout
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter((n): n is string => Boolean(n));
    const tails = names.map((n) => {
      const r = spawnSync('podman', ['logs', '--tail', '15', n], { encoding: 'utf8' });
      return `--- ${n}\n${`${r.stdout}${r.stderr}`.slice(-3000)}`;
    });
    return `containers:\n${ps.stdout}${tails.join('\n')}`;
  };
  const healthy = async (url: string, timeoutMs: number, headers: Record<string, string> = {}) => {
    try {
      await until(
        () =>
          fetch(url, { headers }).then(
            (r) => r.status,
            () => 0,
          ),
        { what: `${url} healthy`, ok: (s) => s === 200, timeoutMs, intervalMs: 250 },
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${logs()}`, { cause: err });
    }
  };
  return { run, healthy };
}
