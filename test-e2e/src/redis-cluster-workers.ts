// Pieces of the Redis Cluster e2e test: the sync-worker dist run as separate OS processes
// (configured through the environment only, each in its own process group so a stop kills the
// whole tree), and a relay seeded with good and poisoned records in one registry index.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeRelay } from '@oip/fake-relay';
import { spawnGroup } from '@oip/fake-relay/process-group';
import { buildRecordSoul, didFromSoul, registryIndexSoul } from '@oip/records';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const WORKER_MAIN = join(repo, 'apps/sync-worker/dist/main.js');

/** Builds the sync-worker and what it imports (turbo: cached when nothing changed). */
export function buildSyncWorker(): void {
  execFileSync(
    join(repo, 'node_modules/.bin/turbo'),
    ['run', 'build', '--filter=@oip/sync-worker...', '--output-logs=errors-only', '--no-update-notifier'],
    {
      cwd: repo,
      stdio: 'inherit',
      timeout: 300_000,
    },
  );
  if (!existsSync(WORKER_MAIN)) throw new Error(`no ${WORKER_MAIN} after the build`);
}

/** Runs the built `oip` CLI (`dist/cli.js`) with exactly `env`; its exit code and output (killed after 30 s). */
export function runOipCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(dirname(WORKER_MAIN), 'cli.js'), ...args],
      { env, timeout: 30_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : null
          : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

export interface WorkerProcess {
  readonly name: string;
  readonly pid: number;
  /** The last 8 KiB of its stdout and stderr, for failure messages. */
  tail(): string;
  alive(): boolean;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `node dist/main.js` with exactly `env` (nothing inherited: the worker needs no PATH). */
export function startWorkerProcess(name: string, env: Record<string, string>): WorkerProcess {
  const p = spawnGroup(process.execPath, [WORKER_MAIN], { env, cwd: dirname(dirname(WORKER_MAIN)), keepStdout: true });
  return { name, pid: p.pid, tail: p.tail, alive: p.alive, stop: p.stop };
}

const PUBLISHER = 'e2e-cluster-publisher-key';

/** A workout record; `poisoned` makes `basic.date` fractional, a conflict with the legacy `long` mapping. */
function workout(i: number, poisoned: boolean): Record<string, unknown> {
  return {
    data: {
      basic: {
        name: `Workout ${i}`,
        description: 'cluster e2e',
        date: poisoned ? 1730505600.5 : 1730505600 + i,
        language: 'en',
        tagItems: ['e2e', `t${i % 10}`],
      },
      workout: { total_duration_minutes: 30 + (i % 30), exercise: [`did:gun:647f79c2a338:ex-${i % 50}`] },
    },
    oip: {
      ver: '0.8.0',
      recordType: 'workout',
      creator: { creatorHandle: 'e2e', didAddress: 'did:arweave:e2e', publicKey: PUBLISHER },
    },
    meta: { created: 1730505600000, localId: `c${i}`, encrypted: false },
  };
}

/** Seeds `total` records straight into the relay's store and one registry index; returns the DIDs of each kind. */
export function seedRecords(
  relay: FakeRelay,
  total: number,
  poisoned: (i: number) => boolean,
): { good: Set<string>; poisoned: Set<string> } {
  const index: Record<string, unknown> = {};
  const out = { good: new Set<string>(), poisoned: new Set<string>() };
  for (let i = 0; i < total; i++) {
    const soul = buildRecordSoul({ publisherPublicKey: PUBLISHER, localId: `c${i}` });
    const bad = poisoned(i);
    relay.store.put(soul, workout(i, bad));
    index[soul] = { soul, nodeId: 'cccccccccccccccc', timestamp: 1730505600000 };
    (bad ? out.poisoned : out.good).add(didFromSoul(soul));
  }
  relay.store.put(registryIndexSoul('workout'), index);
  return out;
}
