#!/usr/bin/env node
// Bootstrap for a fresh machine with only Node 20+ and npm:
//   node scripts/oip.mjs up     install everything, make sure Redis answers, run the local stack
//   node scripts/oip.mjs test   install everything, make sure Redis answers, run every test
//   node scripts/oip.mjs elasticsearch up|down|status   a local Elasticsearch (scripts/elasticsearch-cli.mjs)
// Also: `redis-ping` (exit 0 when Redis answers) and `pnpm <args…>` (the pinned pnpm).
// Operators: `admin grant|revoke <email>`, `admin list`, `account delete|reset-password <email>` (apps/api's CLI),
// `migrate …` (a legacy node's accounts, records and media: scripts/migrate.mjs),
// `backup <dir>` / `restore <dir> [--force]` (the node's data: scripts/backup.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { elasticsearchCommand, withTestElasticsearch } from './elasticsearch-cli.mjs';
import { COMMANDS, commandHelp, overview, wantsHelp } from './oip-help.mjs';
import { spawnRedis, superviseApps } from './supervisor.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootPkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const pnpmVersion = rootPkg.packageManager.split('@')[1];
// The local stack's settings from the root .env, as Node reads it (a variable already set in the
// environment wins); `up` passes them on to every app. Not for `test`: tests set their own.
const rootEnvFile = path.join(root, '.env');
if (process.argv[2] !== 'test' && existsSync(rootEnvFile)) process.loadEnvFile(rootEnvFile);
let parsedRedisUrl = null;
/** REDIS_URL, read when a command needs Redis (so --help answers whatever it holds). */
function redisUrlOf() {
  parsedRedisUrl ??= parseRedisUrl(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  return parsedRedisUrl;
}
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

/** REDIS_URL must be a redis:// or rediss:// URL: anything else is one line and exit 2, not a stack trace. */
function parseRedisUrl(value) {
  let url = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url && (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname) return url;
  // A value with credentials in it is not echoed.
  process.stderr.write(
    `[oip] invalid REDIS_URL: expected a redis:// or rediss:// URL${value.includes('@') ? '' : `, got "${value.slice(0, 200)}"`}\n`,
  );
  process.exit(2);
}

function log(line) {
  process.stdout.write(`[oip] ${line}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function has(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { stdio: 'pipe', env });
  return r.status === 0 ? r.stdout.toString().trim() : null;
}

let resolvedPnpm;

/** The pinned pnpm: a global one of that version, else npx with the pinned version (found once). */
function pnpmCommand() {
  resolvedPnpm ??= findPnpm();
  return resolvedPnpm;
}

function findPnpm() {
  if (has('pnpm') === pnpmVersion) return ['pnpm'];
  log(`pnpm ${pnpmVersion} not on PATH; installing it with npm`);
  if (
    run('npm', ['install', '--global', '--no-fund', '--no-audit', `pnpm@${pnpmVersion}`]) === 0 &&
    has('pnpm') === pnpmVersion
  ) {
    return ['pnpm'];
  }
  log(`global install not possible; using npx pnpm@${pnpmVersion}`);
  return ['npx', '--yes', `pnpm@${pnpmVersion}`];
}

function pnpm(args) {
  const [cmd, ...pre] = pnpmCommand();
  return run(cmd, [...pre, ...args]);
}

function install() {
  const frozen = env.CI ? ['--frozen-lockfile'] : ['--prefer-frozen-lockfile'];
  const code = pnpm(['install', ...frozen]);
  if (code !== 0) process.exit(code);
}

/** PING over a raw socket: true when something answers +PONG within 1.5 s. */
function redisAnswers(url = redisUrlOf()) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => {
      if (url.password) socket.write(`AUTH ${decodeURIComponent(url.password)}\r\n`);
      socket.write('PING\r\n');
    });
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('+PONG')) done(true);
      else if (buf.includes('-')) done(false);
    });
  });
}

/**
 * A data directory only this user may enter: created 0700, or tightened to 0700 when looser.
 * The apps do the same for their own directories and files (service-kit ensurePrivateDir); this
 * script runs before anything is built, so it cannot import that helper.
 */
function privateDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/** A data file only this user may read: tightened to 0600 when it exists with looser bits. */
function privateFileIfPresent(file) {
  if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

/**
 * Makes sure Redis answers at REDIS_URL, starting a `redis-server` there (in memory) when none does.
 * `managed`: run it as our child and return a handle whose stop() ends it (`up` stops what it
 * started); otherwise it is daemonized and left running (`test`). Null when one already answered.
 */
async function ensureRedis({ managed = false } = {}) {
  if (await redisAnswers()) return null;
  const redisUrl = redisUrlOf();
  const where = `${redisUrl.hostname}:${redisUrl.port || 6379}`;
  if (!has('redis-server')) {
    log(
      `No Redis answers at ${redisUrl.href} and redis-server is not installed: install it (apt-get install redis-server) or set REDIS_URL.`,
    );
    process.exit(1);
  }
  log(
    `No Redis answers at ${where}; starting redis-server there (in memory, nothing saved${managed ? ', stopped with the stack' : ''}).`,
  );
  const dir = privateDir(path.join(privateDir(path.join(root, '.data')), 'redis'));
  const bind = redisUrl.hostname === 'localhost' ? '127.0.0.1' : redisUrl.hostname;
  const args = [
    '--bind',
    bind,
    '--port',
    String(redisUrl.port || 6379),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--logfile',
    path.join(dir, 'redis.log'),
  ];
  let handle = null;
  if (managed) handle = spawnRedis(args);
  else run('redis-server', ['--daemonize', 'yes', ...args]);
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers()) {
      // redis-server creates its log with the mode its umask gives; ours is private.
      privateFileIfPresent(path.join(dir, 'redis.log'));
      return handle;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await handle?.stop();
  log(`redis-server did not answer at ${where} within 5 s; see ${path.join(dir, 'redis.log')}`);
  process.exit(1);
}

/**
 * Runs every workspace's tests through turbo, passing the output through, and closes with one
 * plain `N passed, N failed, N skipped` line summed over the vitest summaries.
 */
function testWithSummary(extra, onChild = () => {}) {
  const [cmd, ...pre] = pnpmCommand();
  const child = spawn(cmd, [...pre, 'exec', 'turbo', 'run', 'test', '--concurrency=2', ...extra], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  onChild(child);
  const totals = { passed: 0, failed: 0, skipped: 0 };
  let pending = '';
  const scan = (line) => {
    const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
    const m = /\bTests\s+(.*)\(\d+\)\s*$/.exec(plain);
    if (!m) return;
    for (const part of m[1].split('|')) {
      const n = /(\d+)\s+(passed|failed|skipped)/.exec(part);
      if (n) totals[n[2]] += Number(n[1]);
    }
  };
  child.stdout.on('data', (d) => {
    process.stdout.write(d);
    const lines = (pending + d.toString()).split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(scan);
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      scan(pending);
      process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
      resolve(code ?? 1);
    });
  });
}

/** The secret in `file`, created (32 random bytes, hex, mode 0600) when missing. */
function localSecret(file) {
  privateDir(path.dirname(file));
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  privateFileIfPresent(file);
  return readFileSync(file, 'utf8').trim();
}

/**
 * Passes one app's output through, line by line: on a terminal each JSON log line becomes one
 * readable line (pino-pretty) with the app's name in front; elsewhere (CI, a file) each line is
 * `<app>: <line as it came>`, the JSON kept whole.
 */
async function logRelay() {
  const pretty = process.stdout.isTTY
    ? (await import('pino-pretty')).prettyFactory({
        colorize: true,
        singleLine: true,
        translateTime: 'HH:MM:ss',
        // A request's line says its method, url, status and time in its message: its http fields are not repeated.
        ignore: 'pid,hostname,http',
      })
    : null;
  const readline = await import('node:readline');
  return (name, stream) => {
    readline.createInterface({ input: stream }).on('line', (line) => {
      if (pretty && line.startsWith('{')) {
        try {
          process.stdout.write(`${name.padEnd(11)} ${pretty(JSON.parse(line))}`);
          return;
        } catch {
          // not a log line: as it came
        }
      }
      process.stdout.write(`${pretty ? name.padEnd(11) : `${name}:`} ${line}\n`);
    });
  };
}

/** The URL each service answers on, from the same variables its config reads. */
function serviceUrls() {
  const port = (names, fallback) => names.map((n) => env[n]).find((v) => v) ?? fallback;
  const api = `http://127.0.0.1:${port(['API_PORT'], '3005')}`;
  return {
    api: { health: `${api}/health`, line: `${api}  (OpenAPI ${api}/docs, queues ${api}/admin/queues)` },
    media: {
      health: `http://127.0.0.1:${port(['MEDIA_PORT'], '3006')}/health`,
      line: `http://127.0.0.1:${port(['MEDIA_PORT'], '3006')}  (public through ${api}/api/media/…)`,
    },
    'gun-proxy': {
      health: `http://127.0.0.1:${port(['GUNPROXY_PORT'], '8765')}/health`,
      line: `http://127.0.0.1:${port(['GUNPROXY_PORT'], '8765')}  (public through ${api}/gun-relay/…)`,
    },
    'sync-worker': {
      health: `http://127.0.0.1:${port(['SYNC_HEALTH_PORT'], '9465')}/health`,
      line: `http://127.0.0.1:${port(['SYNC_HEALTH_PORT'], '9465')}/health  (worker health and /metrics)`,
    },
  };
}

/** One line per service once its health answers (bounded: 3 minutes, then a line saying it did not; stops early on `signal`). */
async function announceReady(apps, signal) {
  const urls = serviceUrls();
  await Promise.all(
    apps
      .filter((a) => urls[a])
      .map(async (a) => {
        const end = Date.now() + 180_000;
        while (Date.now() < end && !signal.aborted) {
          const ok = await fetch(urls[a].health, { signal: AbortSignal.timeout(1000) }).then(
            (r) => r.status < 500,
            () => false,
          );
          if (signal.aborted) return;
          if (ok) return log(`${a.padEnd(11)} ready: ${urls[a].line}`);
          await new Promise((r) => setTimeout(r, 500));
        }
        if (!signal.aborted)
          log(`${a.padEnd(11)} did not answer ${urls[a].health} within 3 minutes: see its log lines above`);
      }),
  );
}

/** Apps that can run: those with a server.ts or main.ts, each with the built entry `up` runs. */
function runnableApps() {
  const appsDir = path.join(root, 'apps');
  if (!existsSync(appsDir)) return [];
  return readdirSync(appsDir).flatMap((name) => {
    const file = ['server', 'main'].find((f) => existsSync(path.join(appsDir, name, 'src', `${f}.ts`)));
    const cwd = path.join(appsDir, name);
    return file ? [{ name, cwd, entry: path.join(cwd, 'dist', `${file}.js`) }] : [];
  });
}

/**
 * `up`: install, build with turbo, make sure Redis answers, then run the apps under our own
 * supervisor (scripts/supervisor.mjs) until Ctrl-C; what `up` started (a redis-server) stops last.
 */
async function up(rest) {
  if (rest.length > 0) {
    log(`up takes no arguments (got ${rest.join(' ')}); set variables in the environment or in .env`);
    process.exit(2);
  }
  redisUrlOf(); // a bad REDIS_URL stops here, before the install and the build
  install();
  const apps = runnableApps();
  if (apps.length === 0) {
    log('no app with a server yet; built the packages only');
    process.exit(pnpm(['exec', 'turbo', 'run', 'build']));
  }
  const built = pnpm([
    'exec',
    'turbo',
    'run',
    'build',
    '--output-logs=errors-only',
    ...apps.flatMap((a) => ['--filter', `./apps/${a.name}`]),
  ]);
  if (built !== 0) process.exit(built);
  const relay = await logRelay();
  // A Ctrl-C while redis-server starts stops it too (the supervisor's own handling starts below).
  let interrupted = false;
  const onInterrupt = () => (interrupted = true);
  process.on('SIGINT', onInterrupt).on('SIGTERM', onInterrupt);
  const redis = await ensureRedis({ managed: true });
  process.off('SIGINT', onInterrupt).off('SIGTERM', onInterrupt);
  if (interrupted) {
    await redis?.stop();
    log('interrupted before the apps started');
    process.exit(130);
  }
  // .data holds account hashes, sealed mnemonics and the JWT secret: this user's only (0700);
  // each app makes its own directory 0700 and its files 0600.
  privateDir(path.join(root, '.data'));
  // Embedded defaults, rooted at the checkout so every app keeps its data under .data/ (a
  // variable set in the environment or the root .env wins).
  env.GUNPROXY_DATA_DIR ??= path.join(root, '.data', 'gun-proxy');
  env.STORE_DATA_DIR ??= path.join(root, '.data', 'records');
  // apps/media keeps files in the legacy layout under .data/media (MEDIA_DATA_DIR still wins).
  env.MEDIA_DIR ??= path.join(root, '.data', 'media');
  // The api refuses to start without a JWT secret; the local stack gets one of its own,
  // created once (random, mode 0600) and reused so tokens survive restarts.
  env.JWT_SECRET ??= localSecret(path.join(root, '.data', 'jwt-secret'));
  log(`starting ${apps.map((a) => a.name).join(', ')} (records in ${env.STORE_DATA_DIR}); Ctrl-C stops them`);
  const stopped = new AbortController();
  const running = superviseApps({ apps, env, log, relay });
  void announceReady(
    apps.map((a) => a.name),
    stopped.signal,
  );
  const code = await running;
  stopped.abort();
  if (redis) {
    await redis.stop();
    log('redis-server stopped');
  }
  log(code === 0 ? 'stopped' : `stopped (exit code ${code})`);
  process.exit(code);
}

/** The built CLI of an app that runs `cmd`, for its --help; null when the command is not an app's. */
function appCli(cmd) {
  const app = { admin: 'api', account: 'api', dlq: 'sync-worker', store: 'sync-worker' }[cmd];
  return app === undefined ? null : path.join(root, 'apps', app, 'dist', 'cli.js');
}

/**
 * --help before anything runs: `oip`, `oip help [cmd]`, `oip --help` list the commands; a command
 * of this script answers from the table (oip-help.mjs); an app's command (admin, account, dlq,
 * store) and migrate answer themselves (commander), or from the table while not built yet;
 * `pnpm --help` is pnpm's.
 */
function answerHelp(cmd, rest) {
  if (cmd === 'help' || cmd === '--help' || cmd === '-h') {
    if (rest[0] === undefined) {
      process.stdout.write(`${overview()}\n`);
      process.exit(0);
    }
    return answerHelp(rest[0], ['--help']);
  }
  if (!COMMANDS.has(cmd)) {
    process.stderr.write(`oip: unknown command "${cmd}"\n${overview()}\n`);
    process.exit(2);
  }
  if (!wantsHelp(rest) || cmd === 'pnpm' || cmd === 'migrate') return [cmd, rest];
  const cli = appCli(cmd);
  if (cli !== null && existsSync(cli)) return [cmd, [...rest.filter((a) => a !== '-h' && a !== '--help'), '--help']];
  process.stdout.write(`${commandHelp(cmd)}\n`);
  process.exit(0);
}

async function main() {
  const [cmd, rest] = answerHelp(process.argv[2] ?? 'help', process.argv.slice(3));
  switch (cmd) {
    case 'test': {
      redisUrlOf();
      install();
      await ensureRedis();
      // test-e2e's browser tests drive /usr/bin/chromium; only .ci/run installs it.
      if (!existsSync('/usr/bin/chromium'))
        log('chromium is not installed (apt-get install chromium): the browser tests will fail');
      // A node of our own unless ELASTICSEARCH_URL names one; stopped however the run ends.
      process.exit(await withTestElasticsearch(env, log, (onChild) => testWithSummary(rest, onChild)));
      break;
    }
    case 'elasticsearch':
      process.exit(await elasticsearchCommand(rest, log));
      break;
    case 'up':
      await up(rest);
      break;
    case 'dlq': {
      // Dead letters of the sync-worker: list | show <did> | replay <did>|--all | discard <did>.
      const cli = path.join(root, 'apps', 'sync-worker', 'dist', 'cli.js');
      if (!existsSync(cli)) {
        log('sync-worker is not built yet: run `node scripts/oip.mjs up` or `pnpm build` first');
        process.exit(1);
      }
      process.exit(run(process.execPath, [cli, 'dlq', ...rest]));
      break;
    }
    case 'store': {
      // The record store's fixed field types: fields | fields widen <path> <type> [--reindex].
      const cli = path.join(root, 'apps', 'sync-worker', 'dist', 'cli.js');
      if (!existsSync(cli)) {
        log('sync-worker is not built yet: run `node scripts/oip.mjs up` or `pnpm build` first');
        process.exit(1);
      }
      process.exit(run(process.execPath, [cli, 'store', ...rest]));
      break;
    }
    case 'admin':
    case 'account': {
      // Accounts of the api: admin grant|revoke <email> | admin list [--json] | account delete|reset-password <email>.
      const cli = path.join(root, 'apps', 'api', 'dist', 'cli.js');
      if (!existsSync(cli)) {
        log('the api is not built yet: run `node scripts/oip.mjs up` or `pnpm build` first');
        process.exit(1);
      }
      // The same accounts store `up` gives the api (STORE_DATA_DIR / API_STORE_DATA_DIR still win).
      env.STORE_DATA_DIR ??= path.join(root, '.data', 'records');
      // account reset-password opens keys with the api's custody secret: the local stack's JWT secret
      // when `up` made one (never made here) and no secret is set.
      const jwtSecretFile = path.join(root, '.data', 'jwt-secret');
      if (!env.JWT_SECRET && !env.API_JWT_SECRET && existsSync(jwtSecretFile))
        env.JWT_SECRET = readFileSync(jwtSecretFile, 'utf8').trim();
      process.exit(run(process.execPath, [cli, cmd, ...rest]));
      break;
    }
    case 'backup':
    case 'restore': {
      // The node's data into a directory and back (scripts/backup.mjs runs each app's own part).
      const { backupCommand } = await import('./backup.mjs');
      process.exit(await backupCommand(cmd, rest, { root, env, log }));
      break;
    }
    case 'migrate': {
      // Its options are commander's (a root devDependency): there after `pnpm install`.
      if (!existsSync(path.join(root, 'node_modules', 'commander'))) {
        if (wantsHelp(rest)) {
          process.stdout.write(`${commandHelp('migrate')}\n`);
          process.exit(0);
        }
        log('migrate needs the workspace installed: run `node scripts/oip.mjs pnpm install` first');
        process.exit(1);
      }
      // A legacy node's accounts, records and media into this node (scripts/migrate.mjs runs each
      // app's own part: api accounts, sync-worker records, media files).
      const { migrateCommand } = await import('./migrate.mjs');
      process.exit(await migrateCommand(rest, { root, env, log, run }));
      break;
    }
    case 'redis-ping':
      process.exit((await redisAnswers()) ? 0 : 1);
      break;
    case 'pnpm':
      process.exit(pnpm(rest));
      break;
    default:
      // A command of the table that nothing here runs: the table and this switch disagree.
      process.stderr.write(`oip: "${cmd}" is listed but not run by scripts/oip.mjs\n`);
      process.exit(2);
  }
}

await main();
