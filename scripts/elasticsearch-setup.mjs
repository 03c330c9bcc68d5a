// What a local Elasticsearch needs before it can start: the version our client speaks, a JDK it
// runs on, the distribution (Maven Central's minimal runnable zip, cached once under .cache/) and,
// when we are root, the system user it runs as (Elasticsearch refuses root).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIN_JAVA = 21;
const JVM_DIR = '/usr/lib/jvm';
const ES_USER = 'elasticsearch';

/** The server version matching the client: `@elastic/elasticsearch` in pnpm-workspace.yaml's catalog. */
export function elasticsearchVersion(root = repoRoot) {
  const yaml = readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
  const m = /^\s+["']?@elastic\/elasticsearch["']?:\s*["']?\^?~?(\d+\.\d+\.\d+)/m.exec(yaml);
  if (!m) throw new Error('pnpm-workspace.yaml has no catalog entry for @elastic/elasticsearch');
  return m[1];
}

/** The major version of the JDK at `home` (from its `release` file), or null when there is none. */
function javaMajor(home) {
  try {
    const release = readFileSync(path.join(home, 'release'), 'utf8');
    const m = /^JAVA_VERSION="(\d+)/m.exec(release);
    return m && existsSync(path.join(home, 'bin', 'java')) ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * A JDK Elasticsearch 9 runs on (>= 21): ES_JAVA_HOME or JAVA_HOME when new enough, else the
 * newest under /usr/lib/jvm. Returns its home, or null.
 */
export function findJavaHome(env = process.env) {
  for (const home of [env.ES_JAVA_HOME, env.JAVA_HOME]) {
    if (home && (javaMajor(home) ?? 0) >= MIN_JAVA) return home;
  }
  const found = existsSync(JVM_DIR)
    ? readdirSync(JVM_DIR)
        .map((d) => path.join(JVM_DIR, d))
        .map((home) => ({ home, major: javaMajor(home) ?? 0 }))
        .filter((j) => j.major >= MIN_JAVA)
        .sort((a, b) => b.major - a.major)
    : [];
  return found[0]?.home ?? null;
}

function onPath(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * What stops a local Elasticsearch on this machine, as one line, or null when nothing does.
 * A cached distribution makes Maven unnecessary.
 */
export function elasticsearchMissing({ env = process.env, cacheDir = defaultCacheDir() } = {}) {
  const missing = [];
  if (!existsSync(distDirFor(cacheDir, elasticsearchVersion())) && !onPath('mvn')) {
    missing.push('mvn (apt-get install maven) to fetch it from Maven Central');
  }
  if (findJavaHome(env) === null) {
    missing.push(`a JDK >= ${MIN_JAVA} (none in ES_JAVA_HOME, JAVA_HOME or ${JVM_DIR})`);
  }
  return missing.length === 0 ? null : `no local Elasticsearch: missing ${missing.join(' and ')}`;
}

export function defaultCacheDir(root = repoRoot) {
  return path.join(root, '.cache', 'elasticsearch');
}

function distDirFor(cacheDir, version) {
  return path.join(cacheDir, `elasticsearch-${version}`);
}

function runQuiet(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(`${what} failed (${cmd} ${r.error?.message ?? `exit ${r.status}`})${out ? `:\n${out}` : ''}`);
  }
  return r.stdout;
}

// Extracts keeping the zip's permission bits (bin/ scripts must stay executable).
const UNZIP_PY = `
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        out = z.extract(info, sys.argv[2])
        mode = (info.external_attr >> 16) & 0o777
        if mode: os.chmod(out, mode)
`;

/**
 * The unpacked distribution of `version` under `cacheDir`, fetched with Maven and unpacked the
 * first time (into a temporary directory renamed into place, so a half-unpacked copy is never used).
 */
export function ensureDistribution({
  version = elasticsearchVersion(),
  cacheDir = defaultCacheDir(),
  log = () => {},
} = {}) {
  const dist = distDirFor(cacheDir, version);
  if (existsSync(path.join(dist, 'bin', 'elasticsearch'))) return dist;
  mkdirSync(cacheDir, { recursive: true });
  const zip = path.join(cacheDir, `elasticsearch-${version}.zip`);
  if (!existsSync(zip)) {
    log(`fetching Elasticsearch ${version} (integ-test-zip) from Maven Central`);
    const artifact = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${version}:zip`;
    runQuiet('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${cacheDir}`], 'mvn');
  }
  log(`unpacking ${path.basename(zip)}`);
  const tmp = mkdtempSync(path.join(cacheDir, '.unpack-'));
  try {
    runQuiet('python3', ['-c', UNZIP_PY, zip, tmp], 'unpacking with python3');
    try {
      renameSync(path.join(tmp, `elasticsearch-${version}`), dist);
    } catch (err) {
      // Another process unpacked it first.
      if (!existsSync(path.join(dist, 'bin', 'elasticsearch'))) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dist;
}

/**
 * The uid/gid Elasticsearch runs as: ours when we are not root; else the `elasticsearch` system
 * user, created when missing.
 */
export function serviceUser() {
  if (process.getuid?.() !== 0) return null;
  const id = (flag) => spawnSync('id', [flag, ES_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    runQuiet(
      'useradd',
      [
        '--system',
        '--user-group',
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/usr/sbin/nologin',
        ES_USER,
      ],
      `useradd ${ES_USER}`,
    );
  }
  return { name: ES_USER, uid: Number(id('-u').stdout), gid: Number(id('-g').stdout) };
}

/** Fails with one line when `user` cannot read the distribution (e.g. a checkout under /root). */
export function assertReadableBy(user, dist) {
  if (user === null) return;
  const probe = spawnSync('setpriv', [
    `--reuid=${user.uid}`,
    `--regid=${user.gid}`,
    '--clear-groups',
    'test',
    '-x',
    path.join(dist, 'bin', 'elasticsearch'),
  ]);
  if (probe.status !== 0) {
    throw new Error(`user ${user.name} cannot read ${dist}: every directory above it must be world-executable`);
  }
}

/** Gives `dirs` (recursively) to `user`; nothing to do when we are not root. */
export function chownTo(user, dirs) {
  if (user === null) return;
  runQuiet('chown', ['-R', `${user.uid}:${user.gid}`, ...dirs], 'chown');
}
