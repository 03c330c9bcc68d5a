// What a local Elasticsearch needs before it can start: the version our client speaks (or another,
// e.g. the legacy node's 7.17.8), a JDK that version runs on, the distribution (Maven Central's minimal runnable zip, cached once under .cache/) and,
// when we are root, the system user it runs as (Elasticsearch refuses root).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
 * The Java majors an Elasticsearch version runs on. 9.x needs 21+. 7.17 runs on 11 to 21 here:
 * its bootstrap installs a SecurityManager, which Java 24 removed (and 22+ refuse by default).
 */
export function javaRange(version = elasticsearchVersion()) {
  const major = Number(version.split('.')[0]);
  if (major <= 7) return { min: 11, max: 21 };
  if (major === 8) return { min: 17, max: 23 };
  return { min: 21, max: Infinity };
}

/**
 * A JDK `version` runs on: ES_JAVA_HOME or JAVA_HOME when in its range, else the newest in range
 * under /usr/lib/jvm. Returns its home, or null.
 */
export function findJavaHome(env = process.env, version = elasticsearchVersion()) {
  const { min, max } = javaRange(version);
  const fits = (major) => major !== null && major >= min && major <= max;
  for (const home of [env.ES_JAVA_HOME, env.JAVA_HOME]) {
    if (home && fits(javaMajor(home))) return home;
  }
  const found = existsSync(JVM_DIR)
    ? readdirSync(JVM_DIR)
        .map((d) => path.join(JVM_DIR, d))
        .map((home) => ({ home, major: javaMajor(home) }))
        .filter((j) => fits(j.major))
        .sort((a, b) => b.major - a.major)
    : [];
  return found[0]?.home ?? null;
}

/** `version` when it is a plain x.y.z of 7.x or later; else throws one line saying what is wrong. */
export function checkVersion(version) {
  if (!/^\d{1,2}\.\d{1,3}\.\d{1,3}$/.test(version)) throw new Error(`--version must look like 7.17.8, got ${version}`);
  if (Number(version.split('.')[0]) < 7)
    throw new Error(`Elasticsearch ${version} is not supported here (7.x and later)`);
  return version;
}

/** Whether the distribution ships X-Pack security (the integ-test-zip of 7.x does not; 9.x does). */
export function hasSecurityModule(dist) {
  return existsSync(path.join(dist, 'modules', 'x-pack-security'));
}

function onPath(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * What stops a local Elasticsearch on this machine, as one line, or null when nothing does.
 * A cached distribution makes Maven unnecessary.
 */
export function elasticsearchMissing({
  env = process.env,
  cacheDir = defaultCacheDir(),
  version = elasticsearchVersion(),
} = {}) {
  const missing = [];
  const cached = existsSync(distDirFor(cacheDir, version)) || existsSync(zipFor(cacheDir, version));
  if (!cached && !onPath('mvn')) {
    missing.push('mvn (apt-get install maven) to fetch it from Maven Central');
  }
  if (findJavaHome(env, version) === null) {
    const { min, max } = javaRange(version);
    const range = max === Infinity ? `>= ${min}` : `${min}..${max}`;
    missing.push(`a JDK ${range} (none in ES_JAVA_HOME, JAVA_HOME or ${JVM_DIR})`);
  }
  return missing.length === 0 ? null : `no local Elasticsearch ${version}: missing ${missing.join(' and ')}`;
}

export function defaultCacheDir(root = repoRoot) {
  return path.join(root, '.cache', 'elasticsearch');
}

function distDirFor(cacheDir, version) {
  return path.join(cacheDir, `elasticsearch-${version}`);
}

function zipFor(cacheDir, version) {
  return path.join(cacheDir, `elasticsearch-${version}.zip`);
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
  const zip = zipFor(cacheDir, version);
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
