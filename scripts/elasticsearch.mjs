// A local Elasticsearch on loopback, single-node or an N-node cluster, for `oip elasticsearch up`,
// the test command and any test or benchmark that starts (and kills) its own nodes:
//
//   const es = await startElasticsearch({ nodes: 3, heap: '512m' });
//   es.url; await es.nodes[1].kill(); es.nodes[1].start(); await es.waitForHealth(); await es.stop();
//
// Every node runs in its own process group (the launcher and the server JVM under it), so a stop
// or kill reaches the whole tree; its group id is kept in <node dir>/pid for `stopNodesUnder`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  assertReadableBy,
  checkVersion,
  chownTo,
  elasticsearchVersion,
  ensureDistribution,
  findJavaHome,
  hasSecurityModule,
  javaRange,
  serviceUser,
} from './elasticsearch-setup.mjs';

export { elasticsearchMissing, elasticsearchVersion } from './elasticsearch-setup.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Free loopback TCP ports (asked of the kernel, released at once). */
async function freePorts(count) {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const s = net.createServer().once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Whether any process of group `pgid` is left. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Signals the group, waits until it is gone (SIGKILL after `timeoutMs`), then forgets its pid file. */
async function endGroup(pgid, pidFile, { signal = 'SIGTERM', timeoutMs = 30_000 } = {}) {
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, signal);
    } catch {
      // gone in between
    }
    for (let end = Date.now() + timeoutMs; groupAlive(pgid); await sleep(100)) {
      if (Date.now() > end) {
        process.kill(-pgid, 'SIGKILL');
        for (let hard = Date.now() + 10_000; groupAlive(pgid) && Date.now() < hard;) await sleep(100);
        break;
      }
    }
    if (groupAlive(pgid)) throw new Error(`process group ${pgid} did not end after SIGKILL`);
  }
  rmSync(pidFile, { force: true });
}

/** The group in a pid file, when that file names a live Elasticsearch (not a reused pid). */
function recordedGroup(pidFile) {
  if (!existsSync(pidFile)) return null;
  const pgid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pgid) || pgid <= 1 || !groupAlive(pgid)) return null;
  try {
    // The leader may be gone while the server JVM lives on; when it is there, it must be ours.
    if (!readFileSync(`/proc/${pgid}/cmdline`, 'utf8').includes('elasticsearch')) return null;
  } catch {
    // no leader left: the group is still ours (a pid in use as a group id is not handed out)
  }
  return pgid;
}

/** Pid files under `dir`: <dir>/<node>/pid or <dir>/<cluster>/<node>/pid. */
function pidFilesUnder(dir) {
  const found = [];
  const walk = (d, depth) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isFile() && e.name === 'pid') found.push(path.join(d, e.name));
      else if (e.isDirectory() && depth > 0) walk(path.join(d, e.name), depth - 1);
    }
  };
  if (existsSync(dir)) walk(dir, 2);
  return found;
}

/** How many nodes started under `dir` are running. */
export function liveNodesUnder(dir) {
  return pidFilesUnder(dir).filter((file) => recordedGroup(file) !== null).length;
}

/** Stops every node started under `dir` (its whole process tree); resolves to how many were running. */
export async function stopNodesUnder(dir) {
  let stopped = 0;
  await Promise.all(
    pidFilesUnder(dir).map(async (file) => {
      const pgid = recordedGroup(file);
      if (pgid !== null) stopped++;
      if (pgid !== null) await endGroup(pgid, file);
      else rmSync(file, { force: true });
    }),
  );
  return stopped;
}

function yaml(settings) {
  return Object.entries(settings)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}\n`)
    .join('');
}

/** The node's own config directory: the distribution's defaults and our elasticsearch.yml. */
function writeNodeConfig(dist, node, settings) {
  const config = path.join(node.dir, 'config');
  if (!existsSync(config)) cpSync(path.join(dist, 'config'), config, { recursive: true });
  for (const d of ['data', 'logs', 'tmp']) mkdirSync(path.join(node.dir, d), { recursive: true });
  // 7.x's launcher runs from the distribution's directory, where its jvm.options put logs/gc.log,
  // data/ (heap dumps) and logs/hs_err: point them into the node's own dirs (9.x's name none of these).
  const jvmOptions = path.join(config, 'jvm.options');
  writeFileSync(
    jvmOptions,
    readFileSync(jvmOptions, 'utf8')
      .replaceAll('file=logs/', `file=${path.join(node.dir, 'logs')}/`)
      .replaceAll('-Xloggc:logs/', `-Xloggc:${path.join(node.dir, 'logs')}/`)
      .replaceAll('HeapDumpPath=data', `HeapDumpPath=${path.join(node.dir, 'data')}`)
      .replaceAll('ErrorFile=logs/', `ErrorFile=${path.join(node.dir, 'logs')}/`),
  );
  writeFileSync(
    path.join(config, 'elasticsearch.yml'),
    yaml({
      'node.name': node.name,
      'network.host': '127.0.0.1',
      'http.port': node.httpPort,
      'transport.port': node.transportPort,
      'path.data': path.join(node.dir, 'data'),
      'path.logs': path.join(node.dir, 'logs'),
      // A distribution without X-Pack (7.x's integ-test-zip) refuses to start on an xpack setting.
      ...(hasSecurityModule(dist) ? { 'xpack.security.enabled': false } : {}),
      // A nearly-full disk must not make test indices read-only or unassigned.
      'cluster.routing.allocation.disk.threshold_enabled': false,
      ...settings,
    }),
  );
}

/**
 * Starts Elasticsearch on 127.0.0.1 and resolves once the cluster is yellow or green with every
 * node in it; throws (with the tail of a node's log) when it is not within `timeoutMs`.
 *
 * @param {object} [o]
 * @param {string} [o.version] e.g. '7.17.8' (the legacy node's). @defaultValue the client's, from the catalog
 * @param {number} [o.nodes] @defaultValue 1
 * @param {string} [o.heap] -Xms/-Xmx of each node. @defaultValue '512m'
 * @param {string} [o.dir] where node dirs (config, data, logs) go; a temp dir, removed by stop(), when omitted
 * @param {number} [o.port] first HTTP port (then +1 a node; transport ports from port + 100); free ports when omitted
 * @param {string} [o.clusterName] keep it fixed to restart over the same data. @defaultValue random
 * @param {Record<string, unknown>} [o.settings] more elasticsearch.yml settings for every node
 * @param {number} [o.timeoutMs] @defaultValue 180000
 * @param {(line: string) => void} [o.log]
 */
export async function startElasticsearch(o = {}) {
  const count = o.nodes ?? 1;
  const heap = o.heap ?? '512m';
  const log = o.log ?? (() => {});
  const version = checkVersion(o.version ?? elasticsearchVersion());
  const javaHome = findJavaHome(process.env, version);
  if (javaHome === null) {
    const { min, max } = javaRange(version);
    const range = max === Infinity ? `>= ${min}` : `${min}..${max}`;
    throw new Error(`no JDK ${range} for Elasticsearch ${version} (ES_JAVA_HOME, JAVA_HOME, /usr/lib/jvm)`);
  }
  const dist = ensureDistribution({ version, log });
  const user = serviceUser();
  assertReadableBy(user, dist);
  const ownDir = o.dir === undefined;
  const dir = o.dir ?? mkdtempSync(path.join(os.tmpdir(), 'oip-es-'));
  mkdirSync(dir, { recursive: true });
  const ports = o.port ? [] : await freePorts(count * 2);
  const clusterName = o.clusterName ?? `oip-${randomBytes(4).toString('hex')}`;
  const specs = Array.from({ length: count }, (_, i) => ({
    name: `node-${i + 1}`,
    dir: path.join(dir, `node-${i + 1}`),
    httpPort: o.port ? o.port + i : ports[i],
    transportPort: o.port ? o.port + 100 + i : ports[count + i],
  }));
  const discovery =
    count === 1
      ? { 'discovery.type': 'single-node' }
      : {
          'discovery.seed_hosts': specs.map((s) => `127.0.0.1:${s.transportPort}`),
          'cluster.initial_master_nodes': specs.map((s) => s.name),
        };
  for (const s of specs) writeNodeConfig(dist, s, { 'cluster.name': clusterName, ...discovery, ...o.settings });
  chownTo(user, [dir]);

  const nodes = specs.map((spec) => nodeHandle(spec, { dist, javaHome, heap, user }));
  const url = `http://127.0.0.1:${specs[0].httpPort}`;
  const cluster = {
    version,
    url,
    urls: specs.map((s) => `http://127.0.0.1:${s.httpPort}`),
    dir,
    nodes,
    /** Waits until the cluster is at least `status` with `nodes` nodes (a throwing, bounded wait). */
    waitForHealth: (w = {}) => waitForHealth(cluster, { nodes: count, timeoutMs: o.timeoutMs ?? 180_000, ...w }),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    log(
      `starting ${count} Elasticsearch ${version} node${count > 1 ? 's' : ''} (heap ${heap}, Java ${javaHome}) in ${dir}`,
    );
    for (const n of nodes) n.start();
    await cluster.waitForHealth();
  } catch (err) {
    await cluster.stop().catch(() => {});
    throw err;
  }
  return cluster;
}

function nodeHandle(spec, { dist, javaHome, heap, user }) {
  const pidFile = path.join(spec.dir, 'pid');
  let pgid = null;
  return {
    ...spec,
    url: `http://127.0.0.1:${spec.httpPort}`,
    get pid() {
      return pgid;
    },
    running: () => pgid !== null && groupAlive(pgid),
    /** Launches the node (again, over the same data after a stop or kill); does not wait for it. */
    start() {
      if (pgid !== null && groupAlive(pgid)) return;
      const logFile = path.join(spec.dir, 'logs', 'console.log');
      const out = openSync(logFile, 'a');
      const bin = path.join(dist, 'bin', 'elasticsearch');
      const drop = user === null ? [] : ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups'];
      const [cmd, ...args] = [...drop, bin];
      const child = spawn(cmd, args, {
        cwd: path.join(spec.dir, 'logs'),
        detached: true,
        stdio: ['ignore', out, out],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          LANG: 'C.UTF-8',
          ES_JAVA_HOME: javaHome,
          ES_PATH_CONF: path.join(spec.dir, 'config'),
          ES_TMPDIR: path.join(spec.dir, 'tmp'),
          ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap}`,
        },
      });
      closeSync(out);
      child.unref();
      pgid = child.pid;
      writeFileSync(pidFile, `${pgid}\n`);
    },
    /** SIGTERM to the node's process tree, SIGKILL after `timeoutMs`; resolves once it is gone. */
    async stop(timeoutMs = 30_000) {
      if (pgid !== null) await endGroup(pgid, pidFile, { timeoutMs });
      pgid = null;
    },
    /** SIGKILL to the node's process tree (a crash); resolves once it is gone. */
    async kill() {
      if (pgid !== null) await endGroup(pgid, pidFile, { signal: 'SIGKILL', timeoutMs: 10_000 });
      pgid = null;
    },
    logTail(lines = 20) {
      try {
        return readFileSync(path.join(spec.dir, 'logs', 'console.log'), 'utf8')
          .trimEnd()
          .split('\n')
          .slice(-lines)
          .join('\n');
      } catch {
        return '';
      }
    },
  };
}

async function waitForHealth(cluster, { status = 'yellow', nodes, timeoutMs }) {
  const end = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < end) {
    const dead = cluster.nodes.find((n) => n.pid !== null && !n.running());
    if (dead) throw new Error(`Elasticsearch ${dead.name} exited while starting:\n${dead.logTail()}`);
    const live = cluster.nodes.find((n) => n.running());
    if (live) {
      const q = `wait_for_status=${status}&wait_for_nodes=${nodes}&timeout=2s`;
      try {
        const res = await fetch(`${live.url}/_cluster/health?${q}`, { signal: AbortSignal.timeout(5000) });
        const body = await res.json();
        if (res.ok && !body.timed_out) return body;
        last = `status ${body.status}, ${body.number_of_nodes} node(s)`;
      } catch (err) {
        last = err.cause?.code ?? err.message;
      }
    }
    await sleep(500);
  }
  const tail = cluster.nodes[0]?.logTail() ?? '';
  throw new Error(`Elasticsearch not ${status} with ${nodes} node(s) within ${timeoutMs} ms (${last})\n${tail}`);
}
