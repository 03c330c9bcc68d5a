// A redis-server child of the test on a free loopback port, in memory only (`--save ""
// --appendonly no`), so a test can kill it and bring it back empty without touching the shared
// Redis at 6379. stop() kills it; every test that starts one stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { freePort } from '@oip/fake-relay/process-group';

export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: the data is gone (nothing is saved). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (after kill()). */
  launch(): Promise<void>;
  /** kill() then launch(). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.on('error', () => done(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (b) => done(b.toString().startsWith('+PONG')));
  });
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp'],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 5000;
    while (!(await ping(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${port} within 5 s`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = once(c, 'exit');
    c.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    launch,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: kill,
  };
}
