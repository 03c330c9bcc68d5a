// Two network namespaces joined by one veth link (the A↔B "WAN"), each also linked to the host
// namespace so the test process reaches its services. No namespace gets a default route, so the
// only way between A and B is their own link, even on a host that forwards IP: taking that link
// down is a partition (the kernel here has no netem, so there is no loss or delay to dial).
//
// Addresses come from one /24 of 10.231.0.0/16 that no interface on the host uses yet:
//   A↔B      10.231.N.1 (A)  — 10.231.N.2 (B)     /30
//   host↔A   10.231.N.5 (host) — 10.231.N.6 (A)   /30
//   host↔B   10.231.N.9 (host) — 10.231.N.10 (B)  /30
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { onExit } from './cleanup.js';

const execFileP = promisify(execFile);
const IP_TIMEOUT_MS = 10_000;
/** Namespaces this harness names `oip-e2e-<a|b>-<creator pid>-<tag>`. */
const NS_PATTERN = /^oip-e2e-[ab]-(\d+)-[0-9a-f]+$/;

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await execFileP('ip', args, { timeout: IP_TIMEOUT_MS });
  return stdout;
}

export interface NetnsTopology {
  readonly nsA: string;
  readonly nsB: string;
  /** A's and B's addresses on their link: what each node dials to reach the other. */
  readonly linkA: string;
  readonly linkB: string;
  /** A's and B's addresses on their host links: what the test process dials. */
  readonly hostSideA: string;
  readonly hostSideB: string;
  /** Takes the A↔B link down (both ends). */
  partition(): Promise<void>;
  /** Brings the A↔B link up again (both ends). */
  heal(): Promise<void>;
  /** Whether the A↔B link is up on both ends. */
  linkIsUp(): Promise<boolean>;
  /** Deletes both namespaces (their veth devices go with them). Processes inside must be stopped first. */
  destroy(): Promise<void>;
}

/**
 * Removes namespaces an earlier run of this harness left behind (its process is gone): SIGKILLs the
 * processes still inside them, then deletes them. Namespaces of a live run are left alone.
 */
export async function sweepStaleNamespaces(): Promise<string[]> {
  const swept: string[] = [];
  const names = (await ip('netns', 'list'))
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => NS_PATTERN.test(n));
  for (const ns of names) {
    const owner = Number(NS_PATTERN.exec(ns)![1]);
    if (pidAlive(owner)) continue;
    const pids = (await ip('netns', 'pids', ns))
      .split('\n')
      .map(Number)
      .filter((p) => p > 0);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await ip('netns', 'del', ns).catch(() => undefined);
    swept.push(ns);
  }
  return swept;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A third octet no address or route of the host mentions yet (bounded tries). */
async function freeSubnet(): Promise<number> {
  const used = (await ip('-4', '-o', 'addr', 'show')) + (await ip('-4', 'route', 'show', 'table', 'all'));
  for (let i = 0; i < 64; i++) {
    const n = randomInt(16, 250);
    if (!used.includes(`10.231.${n}.`)) return n;
  }
  throw new Error('no free 10.231.N.0/24 found in 64 tries');
}

/**
 * Creates the two namespaces and three links. Throws when `ip netns add` is not permitted (the
 * caller falls back to loopback); anything created before a failure is removed.
 */
export async function createNetnsTopology(): Promise<NetnsTopology> {
  const tag = randomBytes(3).toString('hex');
  const nsA = `oip-e2e-a-${process.pid}-${tag}`;
  const nsB = `oip-e2e-b-${process.pid}-${tag}`;
  // Interface names: at most 15 characters.
  const dev = {
    ab: `oe${tag}ab`,
    ba: `oe${tag}ba`,
    ha: `oe${tag}ha`,
    a: `oe${tag}a`,
    hb: `oe${tag}hb`,
    b: `oe${tag}b`,
  };
  const created: string[] = [];
  const destroySync = () => {
    for (const ns of created) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { timeout: IP_TIMEOUT_MS, stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  };
  const removeHook = onExit(destroySync);
  try {
    await ip('netns', 'add', nsA);
    created.push(nsA);
    await ip('netns', 'add', nsB);
    created.push(nsB);
    const n = await freeSubnet();
    const addr = (last: number) => `10.231.${n}.${last}`;
    for (const ns of [nsA, nsB]) await ip('-n', ns, 'link', 'set', 'lo', 'up');
    // A↔B
    await ip('link', 'add', dev.ab, 'type', 'veth', 'peer', 'name', dev.ba);
    await ip('link', 'set', dev.ab, 'netns', nsA);
    await ip('link', 'set', dev.ba, 'netns', nsB);
    await ip('-n', nsA, 'addr', 'add', `${addr(1)}/30`, 'dev', dev.ab);
    await ip('-n', nsB, 'addr', 'add', `${addr(2)}/30`, 'dev', dev.ba);
    await ip('-n', nsA, 'link', 'set', dev.ab, 'up');
    await ip('-n', nsB, 'link', 'set', dev.ba, 'up');
    // host↔A and host↔B: the host ends stay in the host namespace and go when their peers' namespace is deleted.
    for (const [hostDev, nodeDev, ns, hostAddr, nodeAddr] of [
      [dev.ha, dev.a, nsA, addr(5), addr(6)],
      [dev.hb, dev.b, nsB, addr(9), addr(10)],
    ] as const) {
      await ip('link', 'add', hostDev, 'type', 'veth', 'peer', 'name', nodeDev);
      await ip('link', 'set', nodeDev, 'netns', ns);
      await ip('addr', 'add', `${hostAddr}/30`, 'dev', hostDev);
      await ip('-n', ns, 'addr', 'add', `${nodeAddr}/30`, 'dev', nodeDev);
      await ip('link', 'set', hostDev, 'up');
      await ip('-n', ns, 'link', 'set', nodeDev, 'up');
    }
    const setLink = async (state: 'up' | 'down') => {
      await ip('-n', nsA, 'link', 'set', dev.ab, state);
      await ip('-n', nsB, 'link', 'set', dev.ba, state);
    };
    const isUp = async (ns: string, d: string) => /[<,]UP[,>]/.test(await ip('-n', ns, 'link', 'show', d));
    return {
      nsA,
      nsB,
      linkA: addr(1),
      linkB: addr(2),
      hostSideA: addr(6),
      hostSideB: addr(10),
      partition: () => setLink('down'),
      heal: () => setLink('up'),
      linkIsUp: async () => (await isUp(nsA, dev.ab)) && (await isUp(nsB, dev.ba)),
      destroy: async () => {
        for (const ns of created) await ip('netns', 'del', ns).catch(() => undefined);
        created.length = 0;
        removeHook();
      },
    };
  } catch (err) {
    destroySync();
    removeHook();
    throw err;
  }
}
