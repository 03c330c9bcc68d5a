// `node scripts/oip.mjs elasticsearch up|down|status` and the test command's own node.
// Node dirs live under .cache/elasticsearch/run/ (ignored; not .data/, which only we may enter,
// while the nodes may run as the `elasticsearch` user): nodes-<N>/ for `up` (nodes-<N>-<version>/ for
// `up --version` of another version than the client's), test-<pid>/{current,v7.17.8}/ for a test
// run's two nodes (ours, and the legacy node's Elasticsearch for the suites that read a legacy node).
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { elasticsearchMissing, liveNodesUnder, startElasticsearch, stopNodesUnder } from './elasticsearch.mjs';
import { checkVersion, defaultCacheDir, elasticsearchVersion } from './elasticsearch-setup.mjs';

const runDir = path.join(defaultCacheDir(), 'run');

async function health(url) {
  try {
    const res = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(3000) });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

function readState(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'cluster.json'), 'utf8'));
  } catch {
    return null;
  }
}

async function up(args, log) {
  const { values } = parseArgs({
    args,
    options: {
      nodes: { type: 'string', default: '1' },
      port: { type: 'string', default: '9200' },
      heap: { type: 'string', default: '512m' },
      version: { type: 'string', default: elasticsearchVersion() },
    },
  });
  const version = checkVersion(values.version);
  const ours = version === elasticsearchVersion();
  const nodes = Number(values.nodes);
  const port = Number(values.port);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) throw new Error(`--nodes must be 1..9, got ${values.nodes}`);
  if (!Number.isInteger(port) || port < 1024 || port > 65000)
    throw new Error(`--port must be 1024..65000, got ${values.port}`);
  if (!/^\d+[mg]$/.test(values.heap)) throw new Error(`--heap must look like 512m or 1g, got ${values.heap}`);
  const name = ours ? `nodes-${nodes}` : `nodes-${nodes}-${version}`;
  const dir = path.join(runDir, name);
  const state = readState(dir);
  if (state !== null && liveNodesUnder(dir) === nodes && (await health(state.url)) !== null) {
    log(`Elasticsearch ${version} already up (${nodes} node${nodes > 1 ? 's' : ''}); \`elasticsearch down\` stops it`);
    process.stdout.write(`ELASTICSEARCH_URL=${state.url}\n`);
    return;
  }
  await stopNodesUnder(dir);
  const missing = elasticsearchMissing({ version });
  if (missing !== null) throw new Error(missing);
  const started = Date.now();
  // A fixed cluster name, so a later `up` starts again over the same data.
  const clusterName = ours ? `oip-local-${nodes}` : `oip-local-${nodes}-${version.replaceAll('.', '-')}`;
  const es = await startElasticsearch({ version, nodes, port, heap: values.heap, dir, clusterName, log });
  writeFileSync(path.join(dir, 'cluster.json'), `${JSON.stringify({ url: es.url, urls: es.urls, nodes })}\n`);
  log(`Elasticsearch ${version} up in ${((Date.now() - started) / 1000).toFixed(1)} s; data in ${dir}`);
  process.stdout.write(`ELASTICSEARCH_URL=${es.url}\n`);
}

async function status(log) {
  const dirs = existsSync(runDir) ? readdirSync(runDir).map((d) => path.join(runDir, d)) : [];
  let any = false;
  for (const dir of dirs) {
    const state = readState(dir);
    const live = liveNodesUnder(dir);
    if (live === 0) continue;
    any = true;
    const h = state === null ? null : await health(state.url);
    const seen =
      h === null ? 'not answering' : `${h.status}, ${h.number_of_nodes} node(s) in cluster ${h.cluster_name}`;
    log(`${path.basename(dir)}: ${live} process tree(s) running; ${state?.url ?? 'no url yet'}: ${seen}`);
  }
  if (!any) log('no local Elasticsearch is running');
  return any ? 0 : 1;
}

/**
 * `elasticsearch up [--nodes N] [--port P] [--heap 512m] [--version X.Y.Z] | down | status`; resolves
 * to an exit code.
 */
export async function elasticsearchCommand([sub, ...args], log) {
  try {
    switch (sub) {
      case 'up':
        await up(args, log);
        return 0;
      case 'down': {
        const n = (await stopLeftoverTestNodes()) + (await stopUpNodes());
        log(n === 0 ? 'no local Elasticsearch was running' : `stopped ${n} Elasticsearch node${n > 1 ? 's' : ''}`);
        return 0;
      }
      case 'status':
        return await status(log);
      default:
        log(
          'usage: node scripts/oip.mjs elasticsearch up [--nodes N] [--port P] [--heap 512m] [--version 7.17.8] | down | status',
        );
        return 2;
    }
  } catch (err) {
    log(err.message);
    return 1;
  }
}

/** Nodes of `up` (nodes-<N>/); resolves to how many were running. */
async function stopUpNodes() {
  let n = 0;
  for (const d of existsSync(runDir) ? readdirSync(runDir) : []) {
    if (/^nodes-\d+(-\d+\.\d+\.\d+)?$/.test(d)) n += await stopNodesUnder(path.join(runDir, d));
  }
  return n;
}

/**
 * Nodes of test runs whose process is gone (test-<pid>/, e.g. after a SIGKILL), and their dirs;
 * a running test run's node is left alone. Resolves to how many were running.
 */
async function stopLeftoverTestNodes() {
  let n = 0;
  for (const d of existsSync(runDir) ? readdirSync(runDir) : []) {
    const m = /^test-(\d+)$/.exec(d);
    if (m && !pidAlive(Number(m[1]))) {
      n += await stopNodesUnder(path.join(runDir, d));
      rmSync(path.join(runDir, d), { recursive: true, force: true });
    }
  }
  return n;
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The legacy node's Elasticsearch (its docker-compose.yml), for the suites that read a legacy node. */
export const LEGACY_ELASTICSEARCH_VERSION = '7.17.8';

/**
 * A single node for one test run when `env[variable]` is not given; sets it in `env` and returns a
 * stop function (null when nothing was started). When Elasticsearch cannot be had, says so in one
 * line and returns null outside CI; in CI (CI set) it throws.
 */
async function testElasticsearch(env, log, { variable, version, heap, suites }) {
  if (env[variable]) return null;
  const missing = elasticsearchMissing({ env, version });
  const skip = (why) => {
    if (env.CI) throw new Error(`${why} (CI needs it)`);
    log(`${why}: ${suites} are skipped`);
    return null;
  };
  if (missing !== null) return skip(missing);
  const dir = path.join(runDir, `test-${process.pid}`, version ? `v${version}` : 'current');
  const started = Date.now();
  let es;
  try {
    es = await startElasticsearch({ ...(version ? { version } : {}), dir, heap, log });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return skip(`Elasticsearch${version ? ` ${version}` : ''} did not start: ${err.message}`);
  }
  log(
    `Elasticsearch ${es.version} for the tests at ${es.url} (${variable}, up in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  env[variable] = es.url;
  return async () => {
    await es.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * The test run's nodes, started side by side: one of the client's version (ELASTICSEARCH_URL) and
 * one of the legacy node's 7.17.8 (LEGACY_ELASTICSEARCH_URL) for the suites that read a legacy
 * node's indices, each unless its variable names one. Resolves to one stop function for both.
 */
async function testElasticsearchNodes(env, log) {
  await stopLeftoverTestNodes();
  const started = await Promise.allSettled([
    testElasticsearch(env, log, { variable: 'ELASTICSEARCH_URL', heap: '512m', suites: 'the Elasticsearch suites' }),
    testElasticsearch(env, log, {
      variable: 'LEGACY_ELASTICSEARCH_URL',
      version: LEGACY_ELASTICSEARCH_VERSION,
      heap: '256m',
      suites: "the suites on a legacy node's Elasticsearch",
    }),
  ]);
  const stops = started.flatMap((r) => (r.status === 'fulfilled' && r.value !== null ? [r.value] : []));
  const stopAll = async () => {
    await Promise.all(stops.map((stop) => stop()));
    rmSync(path.join(runDir, `test-${process.pid}`), { recursive: true, force: true });
  };
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  return stops.length === 0 ? null : stopAll;
}

/**
 * Runs `run` (a test run: it hands its child process to `onChild`) with the nodes of
 * testElasticsearchNodes, stopped when the run ends, also on SIGINT/SIGTERM (passed on to the child).
 * Resolves to the run's exit code (1 when Elasticsearch is required and cannot be had).
 */
export async function withTestElasticsearch(env, log, run) {
  let stop = null;
  try {
    stop = await testElasticsearchNodes(env, log);
  } catch (err) {
    log(err.message);
    return 1;
  }
  let child = null;
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, async () => {
      child?.kill(sig);
      await stop?.();
      process.exit(130);
    });
  }
  const code = await run((c) => (child = c));
  await stop?.();
  return code;
}
