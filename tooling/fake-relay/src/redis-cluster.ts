// A real Redis Cluster on loopback for tests and benchmarks: `redis-server` processes in cluster
// mode (Debian's redis-server 7; free ports whose bus port, +10000, is free too), formed by
// `redis-cli --cluster create`, and the few operations a failover test needs (which master owns
// a key's slot, SIGKILL a node, wait for its replica to take over). Each node runs in its own
// process group, so stop() (and this process's exit) kill whole trees, replication forks included.
// Every wait is bounded and throws when its bound passes.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killGroup } from './process-group.js';

export interface RedisClusterOptions {
  /** @defaultValue 6 */
  nodes?: number;
  /** Replicas per master. @defaultValue 1 */
  replicas?: number;
  /** cluster-node-timeout: how long a silent master takes to be failed over. @defaultValue 2000 */
  nodeTimeoutMs?: number;
  /** Longest wait for the nodes to answer and the cluster to be formed and ok. @defaultValue 60000 */
  readyTimeoutMs?: number;
}

export interface RedisClusterNode {
  port: number;
  /** `127.0.0.1:<port>` */
  address: string;
  pid: number;
  alive(): boolean;
}

/** One line of CLUSTER NODES. */
export interface ClusterNodeInfo {
  id: string;
  port: number;
  flags: string[];
  /** The master's id for a replica, null for a master. */
  masterId: string | null;
  connected: boolean;
}

export interface StartedRedisCluster {
  readonly nodes: readonly RedisClusterNode[];
  /** `host:port` of every node (REDIS_CLUSTER_NODES). */
  readonly seeds: string[];
  /** redis-cli against one node; resolves with its output (rejects after 10 s). */
  cli(port: number, ...args: string[]): Promise<string>;
  /** CLUSTER NODES as seen by `port` (any live node by default). */
  clusterNodes(port?: number): Promise<ClusterNodeInfo[]>;
  /** The master serving `key`'s slot now, and its replicas. */
  slotOwner(key: string): Promise<{ slot: number; master: ClusterNodeInfo; replicas: ClusterNodeInfo[] }>;
  /**
   * Sends `signal` to the node's whole process group and waits (bounded) until it is gone.
   * `justBefore` runs right before the signal, after the topology is read (a last read of the
   * node as close to its death as the caller can get).
   */
  kill(port: number, signal?: NodeJS.Signals, justBefore?: () => Promise<void>): Promise<void>;
  /** SIGSTOP / SIGCONT to a node's process group: a node that stops answering and reading (a stalled replica, a partition). */
  pause(port: number): void;
  resume(port: number): void;
  /** Waits until a replica of the (killed) master at `port` is a master and the cluster is ok again. */
  waitForFailover(port: number, timeoutMs?: number): Promise<ClusterNodeInfo>;
  /** Waits until every live node reports cluster_state:ok. */
  waitOk(timeoutMs?: number): Promise<void>;
  /** CPU time (user + system) the live nodes have used so far, ms. */
  cpuMs(): number;
  /** Kills every node (whole process groups) and removes the data directory. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function run(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err)
          reject(new Error(`${cmd} ${args.join(' ')}: ${err.message} ${String(stderr).slice(0, 500)}`, { cause: err }));
        else resolve(String(stdout));
      },
    );
  });
}

/** Polls `probe` every 200 ms until it returns a value; throws naming `what` once `timeoutMs` passes. */
async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end)
      throw new Error(
        `redis cluster: ${what} not reached within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await sleep(200);
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, HOST, () => s.close(() => resolve(true)));
  });
}

function anyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, HOST, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** `n` distinct free loopback ports whose cluster bus port (+10000) is free too. */
async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let tries = 0; out.length < n; tries++) {
    if (tries > 200) throw new Error(`redis cluster: no ${n} free port pairs found`);
    const p = await anyPort();
    if (p + 10_000 < 65_536 && !out.includes(p) && (await portFree(p + 10_000))) out.push(p);
  }
  return out;
}

let clockTicks = 0;
/** CPU time (user + system) of a live process from /proc, ms; 0 when it is gone or not on Linux. */
export function processCpuMs(pid: number): number {
  try {
    clockTicks ||= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return 0;
  }
}

export function parseClusterNodes(text: string): ClusterNodeInfo[] {
  return text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const [id = '', addr = '', flags = '', master = '-', , , , link = ''] = line.trim().split(' ');
      const port = Number(addr.slice(addr.lastIndexOf(':') + 1).split('@')[0]);
      return {
        id,
        port,
        flags: flags.split(','),
        masterId: master === '-' ? null : master,
        connected: link === 'connected',
      };
    });
}

/** Slots a CLUSTER NODES line's master serves (`0-5460`, `12`, importing/migrating entries ignored). */
function servesSlot(line: string, slot: number): boolean {
  for (const part of line.trim().split(' ').slice(8)) {
    if (part.startsWith('[')) continue;
    const [a, b] = part.split('-').map(Number);
    if (a !== undefined && slot >= a && slot <= (b ?? a)) return true;
  }
  return false;
}

/** Starts the nodes, forms the cluster and waits until it is ok with every replica in sync. */
export async function startRedisCluster(opts: RedisClusterOptions = {}): Promise<StartedRedisCluster> {
  const count = opts.nodes ?? 6;
  const replicas = opts.replicas ?? 1;
  const readyMs = opts.readyTimeoutMs ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'oip-redis-cluster-'));
  const procs = new Map<number, ChildProcess>();
  const killNode = (child: ChildProcess, signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killGroup(child.pid, signal);
  };
  // The test runner dying must not leave nodes behind.
  const onExit = () => {
    for (const c of procs.values()) killNode(c, 'SIGKILL');
  };
  process.once('exit', onExit);

  const cli = (port: number, ...args: string[]) => run('redis-cli', ['-h', HOST, '-p', String(port), ...args], 10_000);
  const livePorts = () =>
    [...procs.entries()].filter(([, c]) => c.exitCode === null && c.signalCode === null).map(([p]) => p);
  const anyLive = () => {
    const p = livePorts()[0];
    if (p === undefined) throw new Error('redis cluster: no node is running');
    return p;
  };
  const replicasOf = new Map<number, string[]>();
  const clusterNodes = async (port = anyLive()) => parseClusterNodes(await cli(port, 'CLUSTER', 'NODES'));
  const stateOk = async (port: number) => /cluster_state:ok/.test(await cli(port, 'CLUSTER', 'INFO'));

  const stop = async () => {
    for (const c of procs.values()) killNode(c, 'SIGKILL');
    await Promise.all(
      [...procs.values()].map((c) =>
        c.exitCode !== null || c.signalCode !== null
          ? undefined
          : new Promise<void>((r) => {
              const t = setTimeout(r, 10_000);
              c.once('exit', () => {
                clearTimeout(t);
                r();
              });
            }),
      ),
    );
    process.off('exit', onExit);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const ports = await freePorts(count);
    for (const port of ports) {
      const nodeDir = join(dir, String(port));
      mkdirSync(nodeDir, { recursive: true });
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          HOST,
          '--dir',
          nodeDir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(nodeDir, 'nodes.conf'),
          '--cluster-node-timeout',
          String(opts.nodeTimeoutMs ?? 2000),
          '--appendonly',
          'no',
          '--save',
          '',
          '--logfile',
          join(nodeDir, 'redis.log'),
        ],
        { stdio: 'ignore', detached: true },
      );
      child.unref();
      procs.set(port, child);
    }
    for (const port of ports)
      await until(`node ${port} answering`, readyMs, async () =>
        (await cli(port, 'PING')).trim() === 'PONG' ? true : null,
      );
    await run(
      'redis-cli',
      [
        '--cluster',
        'create',
        ...ports.map((p) => `${HOST}:${p}`),
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ],
      readyMs,
    );
    await until('cluster_state:ok on every node', readyMs, async () =>
      (await Promise.all(ports.map(stateOk))).every(Boolean) ? true : null,
    );
    // Replicas in sync, so a failover has someone to promote.
    await until('every replica linked to its master', readyMs, async () => {
      const nodes = await clusterNodes(ports[0]);
      const reps = nodes.filter((n) => n.flags.includes('slave'));
      if (reps.length !== count - count / (replicas + 1)) return null;
      const infos = await Promise.all(reps.map((r) => cli(r.port, 'INFO', 'replication')));
      return infos.every((i) => /master_link_status:up/.test(i)) ? true : null;
    });
  } catch (err) {
    await stop();
    throw err;
  }

  const nodes = [...procs.entries()].map(([port, child]) => ({
    port,
    address: `${HOST}:${port}`,
    pid: child.pid ?? -1,
    alive: () => child.exitCode === null && child.signalCode === null,
  }));

  return {
    nodes,
    seeds: nodes.map((n) => n.address),
    cli,
    clusterNodes,
    async slotOwner(key) {
      const port = anyLive();
      const slot = Number((await cli(port, 'CLUSTER', 'KEYSLOT', key)).trim());
      const text = await cli(port, 'CLUSTER', 'NODES');
      const lines = text.trim().split('\n');
      const all = parseClusterNodes(text);
      const idx = lines.findIndex(
        (l, i) => all[i]!.flags.includes('master') && !all[i]!.flags.includes('fail') && servesSlot(l, slot),
      );
      const master = all[idx];
      if (!master) throw new Error(`redis cluster: no live master serves slot ${slot}`);
      return { slot, master, replicas: all.filter((n) => n.masterId === master.id) };
    },
    async kill(port, signal = 'SIGKILL', justBefore) {
      const child = procs.get(port);
      if (!child) throw new Error(`redis cluster: no node on port ${port}`);
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Its replicas as they stand now: the candidates waitForFailover watches.
      const before = await clusterNodes();
      const self = before.find((n) => n.port === port);
      if (self)
        replicasOf.set(
          port,
          before.filter((n) => n.masterId === self.id).map((n) => n.id),
        );
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      await justBefore?.();
      killNode(child, signal);
      await Promise.race([
        exited,
        sleep(10_000).then(() =>
          Promise.reject(new Error(`redis cluster: node ${port} still running 10 s after ${signal}`)),
        ),
      ]);
    },
    pause(port) {
      const child = procs.get(port);
      if (!child) throw new Error(`redis cluster: no node on port ${port}`);
      killNode(child, 'SIGSTOP');
    },
    resume(port) {
      const child = procs.get(port);
      if (!child) throw new Error(`redis cluster: no node on port ${port}`);
      killNode(child, 'SIGCONT');
    },
    async waitForFailover(port, timeoutMs = 60_000) {
      const candidates = replicasOf.get(port);
      if (!candidates || candidates.length === 0)
        throw new Error(`redis cluster: node ${port} was not killed as a master with replicas`);
      const end = Date.now() + timeoutMs;
      const promoted = await until(`a replica of ${port} promoted`, timeoutMs, async () => {
        const now = await clusterNodes();
        return (
          now.find(
            (n) =>
              candidates.includes(n.id) &&
              n.flags.includes('master') &&
              !n.flags.includes('fail') &&
              !n.flags.includes('fail?'),
          ) ?? null
        );
      });
      await until('cluster_state:ok after the failover', Math.max(1000, end - Date.now()), async () =>
        (await Promise.all(livePorts().map(stateOk))).every(Boolean) ? true : null,
      );
      return promoted;
    },
    async waitOk(timeoutMs = 30_000) {
      await until('cluster_state:ok', timeoutMs, async () =>
        (await Promise.all(livePorts().map(stateOk))).every(Boolean) ? true : null,
      );
    },
    cpuMs: () => livePorts().reduce((sum, p) => sum + processCpuMs(procs.get(p)?.pid ?? -1), 0),
    stop,
  };
}
